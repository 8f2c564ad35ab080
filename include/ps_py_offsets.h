/* SPDX-License-Identifier: MIT */
/*
 * The CPython layout one target process uses, as the BPF side needs it.
 * Userspace fills it per process from the per-version table (user/python/py_layouts.c)
 * or, for 3.13+, from the target's own _Py_DebugOffsets; BPF only reads it.
 * Every offset is bytes from the start of the named object.
 */
#ifndef PYSTROBE_PS_PY_OFFSETS_H
#define PYSTROBE_PS_PY_OFFSETS_H

#include "ps_types.h"

#define PS_OFF_NONE 0xffff /* field absent in this version */

/* Bytes BPF copies of one object; every offset + 8 must fit (userspace checks). */
#define PS_TSTATE_READ_MAX 512 /* PyThreadState prefix */
#define PS_FRAME_READ_MAX 256 /* PyFrameObject / _PyInterpreterFrame prefix */
#define PS_CODE_READ_MAX 256 /* PyCodeObject prefix */
#define PS_OBJ_HDR_READ 64 /* str / bytes header */
#define PS_GIL_READ 32 /* struct _gil_runtime_state prefix (last_holder, locked) */
#define PS_INTERP_READ_MAX 8192 /* only single fields are read from interpreters */

/* How a frame records its position (frame_instr). */
enum ps_instr_kind {
	PS_INSTR_LASTI = 0, /* int f_lasti: bytes (<=3.9) or code units (3.10) */
	PS_INSTR_PTR = 1, /* pointer into the code object's bytecode (3.11+) */
};

/* How names are stored (str_*). */
enum ps_str_kind {
	PS_STR_PEP393 = 0, /* 3.3+: PyASCIIObject state bits + compact data */
	PS_STR_BYTES = 1, /* 2.7: PyStringObject, ob_size + ob_sval */
};

struct ps_py_offsets {
	/* PyInterpreterState */
	__u16 interp_next;
	__u16 interp_threads_head; /* tstate_head / threads.head */
	/* PyThreadState */
	__u16 tstate_next;
	__u16 tstate_thread_id; /* pthread_self() == the thread's fs_base */
	__u16 tstate_frame; /* frame (<=3.10), cframe (3.11-3.12), current_frame (3.13+) */
	__u16 cframe_frame; /* _PyCFrame.current_frame; PS_OFF_NONE: no cframe hop */
	__u16 tstate_size; /* bytes to read: max tstate offset + 8 */
	/* PyFrameObject (<=3.10) or _PyInterpreterFrame (3.11+) */
	__u16 frame_back; /* f_back / previous */
	__u16 frame_code; /* f_code / f_executable */
	__u16 frame_instr; /* f_lasti / prev_instr / instr_ptr */
	__u16 frame_owner; /* char owner (3.11+); PS_OFF_NONE before */
	__u16 frame_size; /* bytes to read: max frame offset + 8 */
	/* PyCodeObject */
	__u16 code_filename;
	__u16 code_name;
	__u16 code_qualname; /* PS_OFF_NONE before 3.11 */
	__u16 code_firstlineno;
	__u16 code_linetable; /* co_lnotab (<=3.9) or co_linetable */
	__u16 code_firsttraceable; /* _co_firsttraceable (3.11+), else PS_OFF_NONE */
	__u16 code_size; /* bytes to read: max code offset + 8 */
	/* PyObject / str / bytes */
	__u16 obj_type; /* ob_type */
	__u16 str_len; /* length in code points (or ob_size) */
	__u16 str_state; /* PEP 393 state bit field; PS_OFF_NONE for 2.7 */
	__u16 str_ascii_data; /* compact ASCII data (or 2.7 ob_sval) */
	__u16 str_compact_data; /* compact non-ASCII data */
	__u16 bytes_len; /* ob_size of bytes / str (line table) */
	__u16 bytes_data; /* ob_sval */
	/* GIL (3.12+: tstate->interp->ceval.gil -> struct _gil_runtime_state) */
	__u16 tstate_interp; /* PyThreadState.interp */
	__u16 interp_gil; /* PyInterpreterState.ceval.gil (a pointer); PS_OFF_NONE <= 3.11 */
	__u16 gil_last_holder; /* in struct _gil_runtime_state */
	__u16 gil_locked; /* in struct _gil_runtime_state (an int) */
	__u8 instr_kind; /* enum ps_instr_kind */
	__u8 str_kind; /* enum ps_str_kind */
	__u8 owner_skip_min; /* owner >= this: no code (3.12-3.13 C-stack shim, 3.14+
				 * FRAME_OWNED_BY_INTERPRETER / _CSTACK), skipped (0xff: none) */
	__u8 code_tag_mask; /* tag bits in the code pointer (3.14 _PyStackRef: 3) */
	/* which Python frames start a C-level eval call (--native merging): the frame
	 * whose bool is_entry is set (3.11), else the frame before a shim (3.12+, see
	 * owner_skip_min), else every frame (<= 3.10); 0 or PS_OFF_NONE: no is_entry */
	__u16 frame_is_entry;
};
_Static_assert(sizeof(struct ps_py_offsets) == 66, "ABI");

#endif /* PYSTROBE_PS_PY_OFFSETS_H */
