// SPDX-License-Identifier: MIT
/* threading._active read from a target: (native thread id, Thread._name) pairs. */
#include <errno.h>
#include "python/pythreads.h"

/* The walk's output. */
struct collect {
	struct pymem *m;
	struct pythread *out;
	size_t cap, nr;
};

/* pyobj_dict_fn over _active: one Thread object (value); its ident key is not needed. */
static int add_thread(void *ctx, uint64_t key, uint64_t thread)
{
	struct collect *c = ctx;
	struct pythread *t = &c->out[c->nr];
	uint64_t name, nid;
	int64_t tid;

	(void)key;
	if (c->nr >= c->cap)
		return 1;
	/* a thread whose attributes cannot be read is skipped, not fatal */
	if (pyobj_attr(c->m, thread, "_native_id", &nid) || pyobj_int(c->m, nid, &tid) ||
	    tid <= 0 || tid > UINT32_MAX)
		return c->m->over_budget ? -E2BIG : 0;
	if (pyobj_attr(c->m, thread, "_name", &name) ||
	    pyobj_str(c->m, name, t->name, sizeof(t->name)) || !t->name[0])
		return c->m->over_budget ? -E2BIG : 0;
	t->tid = (uint32_t)tid;
	c->nr++;
	return 0;
}

int pythreads_active(struct pymem *m, uint64_t interp, uint64_t *active)
{
	const struct py_names_pos *n = &m->l->names;
	uint64_t modules, threading, md;
	int err;

	if (n->dict_kind == PY_DICT_NONE)
		return -ENOTSUP;
	if ((err = pymem_u64(m, interp + n->interp_modules, &modules)) ||
	    (err = pyobj_dict_get(m, modules, "threading", &threading)) ||
	    (err = pymem_u64(m, threading + n->module_dict, &md)))
		return err;
	return pyobj_dict_get(m, md, "_active", active);
}

int pythreads_read(struct pymem *m, uint64_t active, struct pythread *out, size_t cap, size_t *nr)
{
	struct collect c = { m, out, cap, 0 };
	int err;

	*nr = 0;
	if (m->l->names.dict_kind == PY_DICT_NONE)
		return -ENOTSUP;
	err = pyobj_dict_each(m, active, add_thread, &c);
	*nr = c.nr;
	return err < 0 && !c.nr ? err : 0;
}

int pythreads_interp(struct pymem *m, uint64_t runtime_addr, uint64_t *interp)
{
	if (m->l->root_kind == PY_ROOT_INTERP_HEAD) /* 2.7 / 3.6: the head pointer itself */
		return pymem_u64(m, runtime_addr, interp);
	return pymem_u64(m, runtime_addr + m->l->runtime_interp_head, interp);
}
