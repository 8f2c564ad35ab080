// SPDX-License-Identifier: MIT
/*
 * A small BTF for CO-RE, copied from the kernel's. libbpf 1.1 reads and
 * checks the whole of /sys/kernel/btf/vmlinux (126k types) for every object
 * it loads; the objects relocate against a handful of structs. Here the
 * kernel BTF is mapped (kernels >= 6.16 map it; older ones are read once),
 * walked without copying, and only the ROOTS structs are copied, with every
 * embedded struct, union, array and integer at its kernel offset and every
 * pointer turned into void * (CO-RE accepts any pointer for a pointer; a
 * read through it is relocated against its own struct, also a root).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include "lib/log.h"
#include "bpf/kernel_btf.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* Structs the BPF objects read with BPF_CORE_READ; one missing fails the load, then libbpf reads all. */
static const char *const ROOTS[] = { "task_struct", "signal_struct", "pt_regs", "iovec",
				     "mm_struct",   "thread_struct", "file",	"inode",
				     "super_block", "linux_binprm" };
#define NR_ROOTS (sizeof(ROOTS) / sizeof(ROOTS[0]))

/* The kernel BTF as mapped (or read), with each type's place. */
struct kbtf {
	const char *data;
	size_t size;
	bool mapped; /* else malloc'ed */
	const char *types, *strs;
	uint32_t types_len, strs_len;
	uint32_t *offs; /* type id -> offset in types; [0] unused (void) */
	uint32_t nr; /* ids 1 .. nr - 1 */
};

/* The copy being built: new id per kernel id, the void * shared by all pointers. */
struct cut {
	const struct kbtf *k;
	struct btf *out;
	int *ids; /* kernel id -> id in out, 0: not copied yet */
	int void_ptr;
};

/* A tracepoint's BTF typedef (btf_trace_<name>): what a tp_btf program attaches to. */
struct trace_type {
	char *name; /* without the btf_trace_ prefix */
	uint32_t id;
};

#define TRACE_PREFIX "btf_trace_"

static struct {
	bool tried, disabled;
	int fd;
	char path[32];
	struct trace_type *traces;
	size_t nr_traces, cap_traces;
} state = { .fd = -1 };

/* Bytes after struct btf_type for a type of this kind and vlen, or -1 (unknown kind). */
static long extra_bytes(const struct btf_type *t)
{
	__u16 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		return (long)vlen * 12;
	case BTF_KIND_ENUM:
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * 8;
	case BTF_KIND_ENUM64:
		return (long)vlen * 12;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

/* Find where every type starts; 0 or -EINVAL (a malformed section). */
static int index_types(struct kbtf *k)
{
	uint32_t cap = 1024, off = 0;
	const struct btf_type *t;
	long extra;

	k->nr = 1;
	k->offs = malloc(cap * sizeof(*k->offs));
	while (k->offs && off + sizeof(*t) <= k->types_len) {
		t = (const void *)(k->types + off);
		extra = extra_bytes(t);
		if (extra < 0 || off + sizeof(*t) + extra > k->types_len)
			return -EINVAL;
		if (k->nr == cap) {
			uint32_t *n = realloc(k->offs, (cap *= 2) * sizeof(*n));

			if (!n)
				return -ENOMEM;
			k->offs = n;
		}
		k->offs[k->nr++] = off;
		off += sizeof(*t) + extra;
	}
	return k->offs ? 0 : -ENOMEM;
}

/* Map (kernels >= 6.16) or read the kernel BTF; 0 or -errno. */
static int load_raw(struct kbtf *k)
{
	int fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC), err = 0;
	struct stat st;
	char *buf;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) || st.st_size < (off_t)sizeof(struct btf_header))
		err = -errno ?: -EINVAL;
	k->size = err ? 0 : (size_t)st.st_size;
	buf = err ? MAP_FAILED : mmap(NULL, k->size, PROT_READ, MAP_PRIVATE, fd, 0);
	k->mapped = buf != MAP_FAILED;
	if (!err && !k->mapped) {
		buf = malloc(k->size);
		/* sysfs hands out one page per read */
		for (size_t got = 0; buf && got < k->size; got += (size_t)n) {
			n = read(fd, buf + got, k->size - got);
			if (n <= 0) {
				k->size = got;
				break;
			}
		}
		err = buf ? 0 : -ENOMEM;
	}
	if (fd >= 0)
		close(fd);
	k->data = err ? NULL : buf;
	return err;
}

/* Check the header, find the sections and index the types; 0 or -errno. */
static int kbtf_open(struct kbtf *k)
{
	const struct btf_header *h;
	int err = load_raw(k);

	if (err)
		return err;
	h = (const void *)k->data;
	if (h->magic != BTF_MAGIC || h->hdr_len > k->size ||
	    (size_t)h->hdr_len + h->type_off + h->type_len > k->size ||
	    (size_t)h->hdr_len + h->str_off + h->str_len > k->size || h->str_len == 0)
		return -EINVAL;
	k->types = k->data + h->hdr_len + h->type_off;
	k->types_len = h->type_len;
	k->strs = k->data + h->hdr_len + h->str_off;
	k->strs_len = h->str_len;
	if (k->strs[k->strs_len - 1] != '\0')
		return -EINVAL;
	return index_types(k);
}

static void kbtf_close(struct kbtf *k)
{
	if (k->data && k->mapped)
		munmap((void *)k->data, k->size);
	else
		free((void *)k->data);
	free(k->offs);
}

static const struct btf_type *type_at(const struct kbtf *k, uint32_t id)
{
	return id && id < k->nr ? (const void *)(k->types + k->offs[id]) : NULL;
}

/* The name at off; "" when out of range. */
static const char *name_at(const struct kbtf *k, uint32_t off)
{
	return off < k->strs_len ? k->strs + off : "";
}

/* Skip typedefs and qualifiers: what CO-RE compares. */
static uint32_t resolve(const struct kbtf *k, uint32_t id)
{
	const struct btf_type *t;

	for (int depth = 0; (t = type_at(k, id)) && depth < 32; depth++) {
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		}
		break;
	}
	return id;
}

static int copy_type(struct cut *c, uint32_t id, int depth);

/* A struct or union: its members' types first, then the struct and its fields. */
static int copy_composite(struct cut *c, const struct btf_type *t, int depth)
{
	const struct btf_member *m = (const void *)(t + 1);
	__u16 vlen = BTF_INFO_VLEN(t->info);
	bool kflag = BTF_INFO_KFLAG(t->info);
	int *mt = calloc(vlen ? vlen : 1, sizeof(*mt)), id, err = 0;
	const char *name = name_at(c->k, t->name_off);

	for (__u16 i = 0; mt && !err && i < vlen; i++)
		err = (mt[i] = copy_type(c, m[i].type, depth + 1)) < 0 ? mt[i] : 0;
	if (!mt || err) {
		free(mt);
		return err ?: -ENOMEM;
	}
	id = BTF_INFO_KIND(t->info) == BTF_KIND_UNION ? btf__add_union(c->out, name, t->size) :
							btf__add_struct(c->out, name, t->size);
	for (__u16 i = 0; id > 0 && !err && i < vlen; i++)
		err = btf__add_field(c->out, name_at(c->k, m[i].name_off), mt[i],
				     kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset,
				     kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0);
	free(mt);
	return err ?: id;
}

/* One resolved kernel type into the copy; its new id or -errno. */
static int copy_kind(struct cut *c, const struct btf_type *t, int depth)
{
	const char *name = name_at(c->k, t->name_off);
	const struct btf_array *a;
	int elem, index;

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return btf__add_int(c->out, name, t->size,
				    BTF_INT_ENCODING(*(const __u32 *)(t + 1)) & BTF_INT_SIGNED);
	case BTF_KIND_PTR:
	case BTF_KIND_FUNC_PROTO:
		if (!c->void_ptr)
			c->void_ptr = btf__add_ptr(c->out, 0);
		return c->void_ptr;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return btf__add_enum(c->out, name, t->size); /* CO-RE compares enum names only */
	case BTF_KIND_FLOAT:
		return btf__add_float(c->out, name, t->size);
	case BTF_KIND_FWD:
		return btf__add_fwd(c->out, name,
				    BTF_INFO_KFLAG(t->info) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
	case BTF_KIND_ARRAY:
		a = (const void *)(t + 1);
		elem = copy_type(c, a->type, depth + 1);
		index = elem < 0 ? elem : btf__add_int(c->out, "unsigned int", 4, 0);
		return index < 0 ? index : btf__add_array(c->out, index, elem, a->nelems);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return copy_composite(c, t, depth);
	}
	return -EINVAL;
}

/* Copy kernel type id (resolved) once; its id in the copy (0: void) or -errno. */
static int copy_type(struct cut *c, uint32_t id, int depth)
{
	const struct btf_type *t;

	id = resolve(c->k, id);
	if (id == 0)
		return 0;
	t = type_at(c->k, id);
	if (!t || depth > 64)
		return -EINVAL;
	if (!c->ids[id])
		c->ids[id] = copy_kind(c, t, depth);
	return c->ids[id];
}

/* Is the struct at id one of ROOTS? */
static bool is_root(const struct kbtf *k, const struct btf_type *t)
{
	const char *name;

	if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT || !t->name_off)
		return false;
	name = name_at(k, t->name_off);
	for (size_t i = 0; i < NR_ROOTS; i++)
		if (!strcmp(name, ROOTS[i]))
			return true;
	return false;
}

/* Note id when it is a tracepoint's typedef; 0 or -ENOMEM. */
static int note_trace(const struct kbtf *k, const struct btf_type *t, uint32_t id)
{
	const char *name;
	struct trace_type *grown;

	if (BTF_INFO_KIND(t->info) != BTF_KIND_TYPEDEF)
		return 0;
	name = name_at(k, t->name_off);
	if (strncmp(name, TRACE_PREFIX, sizeof(TRACE_PREFIX) - 1))
		return 0;
	if (state.nr_traces == state.cap_traces) {
		state.cap_traces = state.cap_traces ? 2 * state.cap_traces : 1024;
		grown = realloc(state.traces, state.cap_traces * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		state.traces = grown;
	}
	state.traces[state.nr_traces].name = strdup(name + sizeof(TRACE_PREFIX) - 1);
	state.traces[state.nr_traces].id = id;
	return state.traces[state.nr_traces++].name ? 0 : -ENOMEM;
}

/* Copy every root struct of the kernel BTF into out, note the tracepoints; 0 or -errno. */
static int cut_roots(const struct kbtf *k, struct btf *out)
{
	struct cut c = { .k = k, .out = out, .ids = calloc(k->nr, sizeof(int)) };
	int err = c.ids ? 0 : -ENOMEM;

	for (uint32_t id = 1; !err && id < k->nr; id++) {
		if (is_root(k, type_at(k, id)))
			err = copy_type(&c, id, 0) < 0 ? -EINVAL : 0;
		err = err ?: note_trace(k, type_at(k, id), id);
	}
	free(c.ids);
	return err;
}

/* Write the raw BTF of out to a memfd; the fd or -errno. */
static int to_memfd(const struct btf *out)
{
	uint32_t size;
	const void *raw = btf__raw_data(out, &size);
	int fd = raw ? memfd_create("pystrobe-btf", MFD_CLOEXEC) : -1;

	if (fd < 0)
		return -errno ?: -ENOMEM;
	if (write(fd, raw, size) != (ssize_t)size) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/* Build the cut-down BTF; the memfd or -errno. */
static int build(void)
{
	struct kbtf k = {};
	struct btf *out = NULL;
	int err = kbtf_open(&k);

	if (!err && !(out = btf__new_empty()))
		err = -errno;
	err = err ?: cut_roots(&k, out);
	err = err ?: to_memfd(out);
	btf__free(out);
	kbtf_close(&k);
	return err;
}

/* Build the cut-down BTF and the tracepoint table, once. */
static void build_once(void)
{
	if (!state.tried) {
		state.tried = true;
		state.fd = build();
		if (state.fd < 0)
			ps_debug("kernel BTF: no cut-down copy (%s): libbpf reads all of it",
				 strerror(-state.fd));
		else
			snprintf(state.path, sizeof(state.path), "/proc/self/fd/%d", state.fd);
	}
}

const char *kernel_btf_path(void)
{
	build_once();
	return state.fd >= 0 && !state.disabled ? state.path : NULL;
}

int kernel_btf_trace_id(const char *tracepoint)
{
	build_once();
	if (state.fd < 0)
		return -ENOENT; /* the table is only whole when the build succeeded */
	for (size_t i = 0; i < state.nr_traces; i++)
		if (!strcmp(state.traces[i].name, tracepoint))
			return (int)state.traces[i].id;
	return -ENOENT;
}

bool kernel_btf_retry(const struct bpf_object *obj)
{
	if (state.fd < 0 || state.disabled)
		return false;
	ps_debug("%s: load with the cut-down kernel BTF failed: again with all of it",
		 bpf_object__name(obj));
	state.disabled = true;
	return true;
}
