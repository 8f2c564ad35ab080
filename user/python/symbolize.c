// SPDX-License-Identifier: MIT
/* Instruction position -> line, and live reads of code objects (userspace fallback). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "python/linetable.h"
#include "target/procfs.h"
#include "python/symbolize.h"
#include "target/refusals.h"

#define FRAME_OWNED_BY_GENERATOR 1 /* _PyInterpreterFrame.owner, 3.11+ */

/* Line-table position of frame f, or -1 when the frame has not started. */
static int64_t frame_pos(const struct pysym *sym, const struct py_layout *l,
			 const struct ps_frame *f, int *incomplete)
{
	int64_t idx;

	*incomplete = 0;
	if (l->off.instr_kind == PS_INSTR_LASTI) {
		int32_t lasti = (int32_t)f->instr;

		return lasti < 0 ? -1 : (int64_t)lasti * (l->lasti_unit ? l->lasti_unit : 1);
	}
	/* 3.11+: instr = ip - code; ip points into co_code_adaptive in 2-byte units */
	if (f->instr < l->code_adaptive)
		return -1;
	idx = (f->instr - l->code_adaptive) / 2;
	/* mirrors CPython's _PyFrame_IsIncomplete */
	if ((f->owner & ~PS_FRAME_ENTRY) != FRAME_OWNED_BY_GENERATOR && idx < sym->firsttraceable)
		*incomplete = 1;
	return idx;
}

int symbolize_line(const struct pysym *sym, const struct py_layout *l, const struct ps_frame *f)
{
	int incomplete;
	int64_t pos = frame_pos(sym, l, f, &incomplete);

	if (incomplete)
		return SYMBOLIZE_INCOMPLETE;
	if (pos < 0)
		return sym->firstlineno;
	if (pos > UINT32_MAX)
		return LINETABLE_BAD;
	return linetable_line(l->lt_fmt, sym->linetable, sym->lt_len, sym->firstlineno,
			      (uint32_t)pos);
}

/* Copy a str object like BPF's read_pystr does. */
static int read_str(pid_t pid, const struct ps_py_offsets *o, uint64_t addr, struct ps_pystr *out)
{
	uint8_t hdr[PS_OBJ_HDR_READ];
	uint64_t len, nbytes, data_off = o->str_ascii_data;
	uint32_t state, kind = 1;
	int err;

	memset(out, 0, sizeof(*out));
	out->kind = 1;
	err = procfs_read_mem(pid, addr, hdr, sizeof(hdr));
	if (err || o->str_len > PS_OBJ_HDR_READ - 8 ||
	    (o->str_kind == PS_STR_PEP393 && o->str_state > PS_OBJ_HDR_READ - 4)) {
		out->flags = PS_STR_UNREADABLE;
		return err ?: -EINVAL;
	}
	memcpy(&len, hdr + o->str_len, 8);
	if (o->str_kind == PS_STR_PEP393) {
		memcpy(&state, hdr + o->str_state, 4);
		if (!(state & (1U << 5))) {
			out->flags = PS_STR_NOT_COMPACT;
			return -ENOTSUP;
		}
		if (!(state & (1U << 6))) {
			kind = (state >> 2) & 7;
			data_off = o->str_compact_data;
		}
	}
	if (kind != 1 && kind != 2 && kind != 4)
		kind = 1;
	out->nr_chars = len;
	out->kind = kind;
	nbytes = len > PS_STR_MAX ? PS_STR_MAX + 1 : len * kind;
	if (nbytes > PS_STR_MAX) {
		nbytes = PS_STR_MAX;
		out->flags = PS_STR_CUT;
	}
	err = procfs_read_mem(pid, addr + data_off, out->data, nbytes);
	out->nbytes = err ? 0 : nbytes;
	return err;
}

/* The code object's line-table object address and its length. */
static int linetable_obj(pid_t pid, const struct py_layout *l, uint64_t code, uint64_t *obj,
			 uint64_t *len)
{
	const struct ps_py_offsets *o = &l->off;
	int err = procfs_read_mem(pid, code + o->code_linetable, obj, sizeof(*obj));

	return err ?: procfs_read_mem(pid, *obj + o->bytes_len, len, sizeof(*len));
}

/* Where a line table is read from: symtab_fill_fn's context. */
struct lt_src {
	pid_t pid;
	uint64_t addr; /* the bytes object's data */
};

/* symtab_fill_fn: the table's bytes from the live process. */
static int fill_from_process(void *ctx, uint8_t *buf, size_t len)
{
	const struct lt_src *src = ctx;

	return procfs_read_mem(src->pid, src->addr, buf, len);
}

int symbolize_complete_linetable(struct symtab *st, struct pysym *sym, pid_t pid,
				 const struct py_layout *l)
{
	uint64_t obj, n;
	struct lt_src src = { pid, 0 };
	int err;

	/* once per symbol: a refused table must not be refused (and counted) per frame */
	if (sym->flags & SYMTAB_LT_TRIED)
		return -EALREADY;
	sym->flags |= SYMTAB_LT_TRIED;
	err = linetable_obj(pid, l, sym->code_addr, &obj, &n);
	if (err)
		return err;
	if (n > SYMBOLIZE_LT_MAX) {
		refusals_add(REFUSED_LINETABLE);
		return -E2BIG;
	}
	src.addr = obj + l->off.bytes_data;
	/* keyed by the bytes object: code objects sharing one table share one copy */
	return symtab_set_linetable(st, sym, obj, n, fill_from_process, &src);
}

/* Read a field of the code prefix. */
static uint64_t code_u64(const uint8_t *c, uint16_t off)
{
	uint64_t v = 0;

	if (off != PS_OFF_NONE && off <= PS_CODE_READ_MAX - 8)
		memcpy(&v, c + off, 8);
	return v;
}

int symbolize_read_symbol(pid_t pid, const struct py_layout *l, uint64_t code, uint32_t gen,
			  uint64_t code_type_addr, struct ps_symbol *rec)
{
	const struct ps_py_offsets *o = &l->off;
	uint8_t c[PS_CODE_READ_MAX];
	uint64_t lt, n;
	int err;

	memset(rec, 0, PS_SYMBOL_HDR_SIZE);
	if (o->code_size == 0 || o->code_size > PS_CODE_READ_MAX)
		return -EINVAL;
	err = procfs_read_mem(pid, code, c, o->code_size);
	if (err)
		return err;
	rec->type = PS_REC_SYMBOL;
	rec->pid = pid;
	rec->gen = gen;
	rec->code_addr = code;
	rec->code_tag =
		ps_code_fingerprint(code_u64(c, o->code_linetable), code_u64(c, o->code_name),
				    (uint32_t)code_u64(c, o->code_firstlineno));
	if (code_type_addr && code_u64(c, o->obj_type) != code_type_addr)
		rec->flags |= PS_SYM_NOT_CODE;
	rec->firstlineno = (int32_t)code_u64(c, o->code_firstlineno);
	if (o->code_firsttraceable != PS_OFF_NONE)
		rec->firsttraceable = (int32_t)code_u64(c, o->code_firsttraceable);
	err = read_str(pid, o, code_u64(c, o->code_filename), &rec->filename);
	err = err ?: read_str(pid, o, code_u64(c, o->code_name), &rec->name);
	if (err)
		return err;
	if (o->code_qualname != PS_OFF_NONE)
		read_str(pid, o, code_u64(c, o->code_qualname), &rec->qualname);
	lt = code_u64(c, o->code_linetable);
	if (procfs_read_mem(pid, lt + o->bytes_len, &n, sizeof(n)) == 0) {
		rec->linetable_len = n;
		if (n > PS_LINETABLE_MAX) {
			n = PS_LINETABLE_MAX;
			rec->flags |= PS_SYM_LT_CUT;
		}
		if (procfs_read_mem(pid, lt + o->bytes_data, rec->linetable, n) == 0)
			rec->linetable_nbytes = n;
	}
	return 0;
}
