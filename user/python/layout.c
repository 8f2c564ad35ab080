// SPDX-License-Identifier: MIT
/*
 * The per-version CPython layouts: lookups in the generated table
 * (py_layouts.c, scripts/gen-offsets.sh), the checks that make a layout safe
 * to hand to BPF, and the 3.13+ path that reads a process's own
 * _Py_DebugOffsets. That block comes from target memory or a target file, so
 * every byte of it is treated as hostile.
 *
 * _Py_DebugOffsets starts with a header that identifies the version before
 * any table entry can be chosen: cookie "xdebugpy" @0, u64 version
 * (PY_VERSION_HEX) @8, u64 free_threaded @16 (gen-offsets.sh checks these
 * positions against the 3.13 headers). Everything after the header moves
 * between minor versions (3.14 and 3.15 insert fields in most groups); the
 * positions come from the table entry (.dbg). A minor version without an
 * entry (3.16+) is -ENOTSUP.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "python/layout.h"

/* Defined in the generated py_layouts.c. */
extern const struct py_layout py_layouts[];
extern const size_t nr_py_layouts;

#define DBG_COOKIE "xdebugpy"
#define DBG_COOKIE_LEN 8
#define DBG_VERSION_POS 8 /* u64 PY_VERSION_HEX */
#define DBG_FREE_THREADED_POS 16 /* u64 0 or 1 */
#define DBG_HDR_LEN 24

/* Limits on values read from _Py_DebugOffsets; beyond them: -EINVAL. */
#define RUNTIME_SIZE_MAX (16u << 20) /* sizeof(_PyRuntimeState): 283320 in 3.13 */
#define INTERP_SIZE_MAX (1u << 20) /* sizeof(PyInterpreterState): 194968 in 3.13 */
#define OBJ_SIZE_MAX 4096 /* sizeof of a thread state, frame, code or str */
#define GIL_STATE_MAX 256 /* sizeof(struct _gil_runtime_state): 208 */
/* str / bytes data offsets are added to an address, never read from a buffer */
#define OBJ_DATA_MAX 256

/* Number of entries in the generated table. */
size_t layout_count(void)
{
	return nr_py_layouts;
}

/* Entry i of the table, or NULL past its end. */
const struct py_layout *layout_at(size_t i)
{
	return i < nr_py_layouts ? &py_layouts[i] : NULL;
}

/* The table entry of major.minor, or NULL. */
const struct py_layout *layout_for_version(unsigned major, unsigned minor)
{
	for (size_t i = 0; i < nr_py_layouts; i++)
		if (py_layouts[i].major == major && py_layouts[i].minor == minor)
			return &py_layouts[i];
	return NULL;
}

/*
 * Can BPF read the field at off from its buf_max-byte copy of the object?
 * pystack.bpf.h masks offsets with (buf_max - mask_sub): mask_sub is 1 for a
 * plain bound, 8 or 4 where it also forces 8- or 4-byte alignment. The mask
 * must leave off unchanged, and off + 8 must fit (the *_size rule).
 */
static bool field_ok(uint16_t off, unsigned buf_max, unsigned mask_sub)
{
	return off != PS_OFF_NONE && off + 8u <= buf_max && (off & (buf_max - mask_sub)) == off;
}

/* Like field_ok, for a field that may be PS_OFF_NONE. */
static bool opt_field_ok(uint16_t off, unsigned buf_max, unsigned mask_sub)
{
	return off == PS_OFF_NONE || field_ok(off, buf_max, mask_sub);
}

/* max of the present offsets in offs[0..n) + 8: the bytes BPF copies of the object. */
static uint16_t read_size(const uint16_t *offs, size_t n)
{
	uint16_t max = 0;

	for (size_t i = 0; i < n; i++)
		if (offs[i] != PS_OFF_NONE && offs[i] > max)
			max = offs[i];
	return max + 8;
}

#define READ_SIZE(...)                               \
	read_size((const uint16_t[]){ __VA_ARGS__ }, \
		  sizeof((const uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t))

/* Thread-state, interpreter and frame offsets fit BPF's buffers. */
static bool states_ok(const struct ps_py_offsets *o)
{
	return o->interp_next + 8u <= PS_INTERP_READ_MAX &&
	       o->interp_threads_head + 8u <= PS_INTERP_READ_MAX &&
	       field_ok(o->tstate_next, PS_TSTATE_READ_MAX, 1) &&
	       field_ok(o->tstate_thread_id, PS_TSTATE_READ_MAX, 1) &&
	       field_ok(o->tstate_frame, PS_TSTATE_READ_MAX, 1) &&
	       field_ok(o->tstate_interp, PS_TSTATE_READ_MAX, 1) &&
	       (o->interp_gil == PS_OFF_NONE || o->interp_gil + 8u <= PS_INTERP_READ_MAX) &&
	       opt_field_ok(o->gil_last_holder, PS_GIL_READ, 8) &&
	       opt_field_ok(o->gil_locked, PS_GIL_READ, 4) &&
	       /* a _PyCFrame is read one field at a time: bound it like a frame */
	       opt_field_ok(o->cframe_frame, PS_FRAME_READ_MAX, 1) &&
	       field_ok(o->frame_back, PS_FRAME_READ_MAX, 1) &&
	       field_ok(o->frame_code, PS_FRAME_READ_MAX, 1) &&
	       field_ok(o->frame_instr, PS_FRAME_READ_MAX, 1) &&
	       opt_field_ok(o->frame_owner, PS_FRAME_READ_MAX, 1) &&
	       opt_field_ok(o->frame_is_entry, PS_FRAME_READ_MAX, 1);
}

/* Code-object and str / bytes offsets fit BPF's buffers and masks. */
static bool objects_ok(const struct ps_py_offsets *o)
{
	bool pep393 = o->str_kind == PS_STR_PEP393;

	return field_ok(o->code_filename, PS_CODE_READ_MAX, 8) &&
	       field_ok(o->code_name, PS_CODE_READ_MAX, 8) &&
	       opt_field_ok(o->code_qualname, PS_CODE_READ_MAX, 8) &&
	       field_ok(o->code_firstlineno, PS_CODE_READ_MAX, 4) &&
	       field_ok(o->code_linetable, PS_CODE_READ_MAX, 8) &&
	       opt_field_ok(o->code_firsttraceable, PS_CODE_READ_MAX, 4) &&
	       field_ok(o->obj_type, PS_CODE_READ_MAX, 8) &&
	       field_ok(o->str_len, PS_OBJ_HDR_READ, 8) &&
	       field_ok(o->bytes_len, PS_OBJ_HDR_READ, 8) &&
	       (pep393 ? field_ok(o->str_state, PS_OBJ_HDR_READ, 4) :
			 o->str_state == PS_OFF_NONE) &&
	       o->str_ascii_data <= OBJ_DATA_MAX && o->bytes_data <= OBJ_DATA_MAX &&
	       (pep393 ? o->str_compact_data <= OBJ_DATA_MAX : true);
}

/* The enum-valued fields hold known values. */
static bool kinds_ok(const struct py_layout *l)
{
	const struct ps_py_offsets *o = &l->off;

	return l->root_kind <= PY_ROOT_INTERP_HEAD && l->gil_kind <= PY_GIL_INTERP_PTR &&
	       l->lt_fmt < PY_LT__COUNT && o->instr_kind <= PS_INSTR_PTR &&
	       o->str_kind <= PS_STR_BYTES && o->code_tag_mask <= 7;
}

/* Check every offset BPF uses against its bounds, then fill off.*_size. */
int layout_finish(struct py_layout *l)
{
	struct ps_py_offsets *o;

	if (!l)
		return -EINVAL;
	o = &l->off;
	if (!kinds_ok(l) || !states_ok(o) || !objects_ok(o))
		return -EINVAL;
	/* the fields pystack.bpf.h reads from each object's copy */
	o->tstate_size =
		READ_SIZE(o->tstate_next, o->tstate_thread_id, o->tstate_frame, o->tstate_interp);
	o->frame_size = READ_SIZE(o->frame_back, o->frame_code, o->frame_instr, o->frame_owner,
				  o->frame_is_entry);
	o->code_size =
		READ_SIZE(o->code_filename, o->code_name, o->code_qualname, o->code_firstlineno,
			  o->code_linetable, o->code_firsttraceable, o->obj_type);
	return 0;
}

/* Little-endian u64 at p (target memory has no alignment guarantee). */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * Reads values out of one _Py_DebugOffsets block. The first error sticks:
 * later reads return 0 and the caller checks err once at the end.
 */
struct dbg_reader {
	const uint8_t *buf;
	uint16_t len; /* the entry's dbg.size; buf holds at least this much */
	uint64_t group; /* sizeof of the struct described by the current group */
	int err;
};

/* The u64 at position pos, or 0 with r->err set if pos is outside the block. */
static uint64_t dbg_u64(struct dbg_reader *r, uint16_t pos)
{
	if (r->err)
		return 0;
	if (pos < DBG_HDR_LEN || pos + 8u > r->len) {
		r->err = -EINVAL;
		return 0;
	}
	return le64(r->buf + pos);
}

/* Start a group: its size field (at pos) must be in 1..max. */
static void dbg_group(struct dbg_reader *r, uint16_t pos, uint64_t max)
{
	uint64_t v = dbg_u64(r, pos);

	if (!r->err && (v == 0 || v > max))
		r->err = -EINVAL;
	r->group = r->err ? 0 : v;
}

/* An offset in the current group: off + width must fit the group and off <= max. */
static uint64_t dbg_off(struct dbg_reader *r, uint16_t pos, unsigned width, uint64_t max)
{
	uint64_t v = dbg_u64(r, pos);

	if (!r->err && (v > max || v > r->group || width > r->group - v))
		r->err = -EINVAL;
	return r->err ? 0 : v;
}

/* _PyRuntime and interpreter fields, including the interpreter's own GIL. */
static void dbg_runtime_interp(struct dbg_reader *r, const struct py_debug_pos *p,
			       struct py_layout *l)
{
	uint64_t gil, locked, holder;

	dbg_group(r, p->runtime_size, RUNTIME_SIZE_MAX);
	l->runtime_interp_head = dbg_off(r, p->runtime_interp_head, 8, RUNTIME_SIZE_MAX);
	dbg_group(r, p->interp_size, INTERP_SIZE_MAX);
	l->off.interp_next = dbg_off(r, p->interp_next, 8, PS_INTERP_READ_MAX - 8);
	l->off.interp_threads_head = dbg_off(r, p->interp_threads_head, 8, PS_INTERP_READ_MAX - 8);
	l->off.interp_gil = dbg_off(r, p->interp_ceval_gil, 8, PS_INTERP_READ_MAX - 8);
	gil = dbg_off(r, p->interp_gil, 0, INTERP_SIZE_MAX);
	locked = dbg_off(r, p->interp_gil_locked, 4, INTERP_SIZE_MAX);
	holder = dbg_off(r, p->interp_gil_holder, 8, INTERP_SIZE_MAX);
	/* 3.13: given as offsets of the interpreter's own _gil; BPF wants them inside the struct */
	if (!r->err && (locked < gil || holder < gil || locked - gil > GIL_STATE_MAX - 4 ||
			holder - gil > GIL_STATE_MAX - 8))
		r->err = -EINVAL;
	l->off.gil_locked = r->err ? 0 : locked - gil;
	l->off.gil_last_holder = r->err ? 0 : holder - gil;
}

/* Thread-state and frame fields. */
static void dbg_tstate_frame(struct dbg_reader *r, const struct py_debug_pos *p,
			     struct py_layout *l)
{
	struct ps_py_offsets *o = &l->off;

	dbg_group(r, p->tstate_size, OBJ_SIZE_MAX);
	o->tstate_next = dbg_off(r, p->tstate_next, 8, PS_TSTATE_READ_MAX - 8);
	o->tstate_interp = dbg_off(r, p->tstate_interp, 8, PS_TSTATE_READ_MAX - 8);
	o->tstate_frame = dbg_off(r, p->tstate_frame, 8, PS_TSTATE_READ_MAX - 8);
	o->tstate_thread_id = dbg_off(r, p->tstate_thread_id, 8, PS_TSTATE_READ_MAX - 8);
	l->tstate_native_thread_id = dbg_off(r, p->tstate_native_thread_id, 8, OBJ_SIZE_MAX);
	dbg_group(r, p->frame_size, OBJ_SIZE_MAX);
	o->frame_back = dbg_off(r, p->frame_back, 8, PS_FRAME_READ_MAX - 8);
	o->frame_code = dbg_off(r, p->frame_code, 8, PS_FRAME_READ_MAX - 8);
	o->frame_instr = dbg_off(r, p->frame_instr, 8, PS_FRAME_READ_MAX - 8);
	o->frame_owner = dbg_off(r, p->frame_owner, 1, PS_FRAME_READ_MAX - 8);
}

/* Code-object, PyObject, bytes and str fields. */
static void dbg_objects(struct dbg_reader *r, const struct py_debug_pos *p, struct py_layout *l)
{
	struct ps_py_offsets *o = &l->off;

	dbg_group(r, p->code_size, OBJ_SIZE_MAX);
	o->code_filename = dbg_off(r, p->code_filename, 8, PS_CODE_READ_MAX - 8);
	o->code_name = dbg_off(r, p->code_name, 8, PS_CODE_READ_MAX - 8);
	o->code_qualname = dbg_off(r, p->code_qualname, 8, PS_CODE_READ_MAX - 8);
	o->code_linetable = dbg_off(r, p->code_linetable, 8, PS_CODE_READ_MAX - 8);
	o->code_firstlineno = dbg_off(r, p->code_firstlineno, 4, PS_CODE_READ_MAX - 8);
	/* co_code_adaptive is a flexible array: it may start at sizeof */
	l->code_adaptive = dbg_off(r, p->code_adaptive, 0, OBJ_SIZE_MAX);
	dbg_group(r, p->obj_size, OBJ_SIZE_MAX);
	o->obj_type = dbg_off(r, p->obj_type, 8, PS_OBJ_HDR_READ - 8);
	dbg_group(r, p->bytes_size, OBJ_SIZE_MAX);
	o->bytes_len = dbg_off(r, p->bytes_len, 8, PS_OBJ_HDR_READ - 8);
	o->bytes_data = dbg_off(r, p->bytes_data, 0, OBJ_DATA_MAX);
	dbg_group(r, p->str_size, OBJ_SIZE_MAX);
	o->str_len = dbg_off(r, p->str_len, 8, PS_OBJ_HDR_READ - 8);
	o->str_state = dbg_off(r, p->str_state, 4, PS_OBJ_HDR_READ - 4);
	o->str_ascii_data = dbg_off(r, p->str_ascii_data, 0, OBJ_DATA_MAX);
}

/*
 * The table entry whose debug-offset positions apply to the block's header:
 * -EINVAL for a short block, a bad cookie or an impossible header value,
 * -EPROTONOSUPPORT for a free-threaded build, -ENOTSUP for a version
 * without known positions.
 */
static int dbg_entry(const uint8_t *buf, size_t len, const struct py_layout **entry)
{
	const struct py_layout *l;
	uint64_t ver, ft;

	if (!buf || len < DBG_HDR_LEN || memcmp(buf, DBG_COOKIE, DBG_COOKIE_LEN))
		return -EINVAL;
	ver = le64(buf + DBG_VERSION_POS);
	ft = le64(buf + DBG_FREE_THREADED_POS);
	if (ver > UINT32_MAX || ft > 1)
		return -EINVAL;
	/* 3.13t+: another object header (ob_tid, ob_ref_local/shared), per-thread
	 * bytecode (instr_ptr may point into co_tlbc[tlbc_index], not
	 * co_code_adaptive) and no GIL: none of it is read yet, and no such build
	 * was available to test against */
	if (ft)
		return -EPROTONOSUPPORT;
	l = layout_for_version((ver >> 24) & 0xff, (ver >> 16) & 0xff);
	if (!l || !l->dbg.size)
		return -ENOTSUP;
	if (len < l->dbg.size)
		return -EINVAL;
	*entry = l;
	return 0;
}

/* Build a finished layout from a 3.13+ _Py_DebugOffsets block; out is untouched on error. */
int layout_from_debug_offsets(const uint8_t *buf, size_t len, struct py_layout *out)
{
	const struct py_layout *entry;
	struct dbg_reader r = { .buf = buf };
	struct py_layout l;
	int err;

	if (!out)
		return -EINVAL;
	err = dbg_entry(buf, len, &entry);
	if (err)
		return err;
	/* what the block does not describe (cframe, firsttraceable, kinds, ...) stays */
	l = *entry;
	r.len = entry->dbg.size;
	dbg_runtime_interp(&r, &entry->dbg, &l);
	dbg_tstate_frame(&r, &entry->dbg, &l);
	dbg_objects(&r, &entry->dbg, &l);
	if (r.err)
		return r.err;
	err = layout_finish(&l);
	if (err)
		return err;
	*out = l;
	return 0;
}
