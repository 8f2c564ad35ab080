/* SPDX-License-Identifier: MIT */
/*
 * Everything pystrobe knows about one CPython version's memory layout: the
 * part BPF needs (struct ps_py_offsets) plus what only userspace uses. The
 * values live in one generated table (py_layouts.c, made by
 * scripts/gen-offsets.sh from each version's installed headers); 3.13+
 * processes override it from their own _Py_DebugOffsets.
 */
#ifndef PYSTROBE_LAYOUT_H
#define PYSTROBE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "ps_py_offsets.h"
#include "python/linetable.h"

/* How a process's first interpreter is found. */
enum py_root_kind {
	PY_ROOT_RUNTIME = 0, /* _PyRuntime (3.7+): head pointer at runtime_interp_head */
	PY_ROOT_INTERP_HEAD, /* static interp_head (2.7, 3.6; .symtab only) */
};

/* How "this thread holds the GIL" is read (GIL state of a sample, --gil, --split-gil). */
enum py_gil_kind {
	PY_GIL_NONE = 0, /* unknown */
	PY_GIL_TSTATE_CURRENT, /* _PyThreadState_Current / gilstate.tstate_current != NULL (2.7-3.11) */
	PY_GIL_INTERP_PTR, /* interp->ceval.gil -> {last_holder, locked} (3.12+) */
};

/*
 * Where one minor version's _Py_DebugOffsets (3.13+, at _PyRuntime + 0) keeps
 * each value pystrobe takes from it: byte positions inside _Py_DebugOffsets,
 * from offsetof() probes of that version's headers. size == 0: the version
 * has no debug offsets. Named after the py_layout / ps_py_offsets field each
 * one fills; *_size are the described structs' sizeof (sanity bounds).
 */
struct py_debug_pos {
	uint16_t size; /* sizeof(_Py_DebugOffsets): bytes needed */
	uint16_t runtime_size, runtime_interp_head;
	uint16_t interp_size, interp_next, interp_threads_head, interp_ceval_gil;
	uint16_t interp_gil, interp_gil_locked, interp_gil_holder; /* the interpreter's own _gil */
	uint16_t tstate_size, tstate_next, tstate_interp, tstate_frame, tstate_thread_id;
	uint16_t tstate_native_thread_id;
	uint16_t frame_size, frame_back, frame_code, frame_instr, frame_owner;
	uint16_t code_size, code_filename, code_name, code_qualname, code_linetable;
	uint16_t code_firstlineno, code_adaptive;
	uint16_t obj_size, obj_type, bytes_size, bytes_len, bytes_data;
	uint16_t str_size, str_len, str_state, str_ascii_data;
};

/* How a dict's keys object gives its size and entries. */
enum py_dict_kind {
	PY_DICT_NONE = 0, /* not read (before 3.8: no Thread._native_id) */
	PY_DICT_SIZE, /* 3.8-3.10: Py_ssize_t dk_size, one entry layout */
	PY_DICT_LOG2, /* 3.11+: dk_log2_size, dk_log2_index_bytes, dk_kind picks the entry */
};

/* Where an instance of a Python class keeps its attributes. */
enum py_idict_kind {
	PY_IDICT_OFFSET = 0, /* 3.8-3.10: a dict at tp_dictoffset */
	PY_IDICT_VALUES_PTR, /* 3.11: values pointer one word before the managed dict */
	PY_IDICT_DORV, /* 3.12: dict or values (bit 0 set) at the managed dict's place */
	PY_IDICT_INLINE, /* 3.13+: values inline at tp_basicsize, else the managed dict */
};

/* How a PyLongObject gives its digit count and sign. */
enum py_long_kind {
	PY_LONG_SIZE = 0, /* signed ob_size (<=3.11) */
	PY_LONG_TAG, /* lv_tag: digits << 3 | sign (0 +, 1 zero, 2 -) (3.12+) */
};

/*
 * What the thread-name reader (python/pythreads.c) needs to walk
 * sys.modules -> threading._active -> Thread.__dict__, 3.8+ (dict_kind
 * PY_DICT_NONE: not read). Offsets from offsetof() probes of each version's
 * headers (scripts/offsets_probe.c); *_back are distances before the object.
 */
struct py_names_pos {
	uint8_t dict_kind, idict_kind, long_kind; /* enums above */
	uint8_t keys_kind_general; /* dk_kind of a general (hash, key, value) table */
	uint32_t interp_modules; /* PyInterpreterState: modules / imports.modules */
	uint32_t flag_inline_values; /* Py_TPFLAGS_INLINE_VALUES (3.13+), else 0 */
	uint32_t flag_managed_dict; /* Py_TPFLAGS_MANAGED_DICT (3.11+), else 0 */
	uint16_t module_dict; /* PyModuleObject.md_dict */
	uint16_t dict_used, dict_keys, dict_values; /* PyDictObject */
	uint16_t keys_size; /* dk_size (Py_ssize_t) or dk_log2_size (u8) */
	uint16_t keys_log2_index_bytes, keys_kind; /* u8s, 3.11+, else PS_OFF_NONE */
	uint16_t keys_nentries, keys_indices;
	uint16_t entry_size, entry_key, entry_value; /* PyDictKeyEntry */
	uint16_t uentry_size, uentry_key, uentry_value; /* PyDictUnicodeEntry (3.11+) */
	uint16_t values_values; /* offsetof(PyDictValues, values) */
	uint16_t values_valid; /* PyDictValues.valid (3.13+), else PS_OFF_NONE */
	uint16_t type_basicsize, type_dictoffset, type_flags, ht_cached_keys;
	uint16_t managed_dict_back; /* -MANAGED_DICT_OFFSET (3.11+) */
	uint16_t long_size, long_digit; /* PyLongObject */
};

struct py_layout {
	uint8_t major, minor; /* version this entry describes */
	uint8_t root_kind; /* enum py_root_kind */
	uint8_t lt_fmt; /* enum py_linetable_fmt */
	uint8_t lasti_unit; /* bytes per f_lasti unit: 1 (<=3.9), 2 (3.10); 0 for 3.11+ */
	uint8_t gil_kind; /* enum py_gil_kind */
	uint16_t code_adaptive; /* offsetof(PyCodeObject, co_code_adaptive) (3.11+), else 0 */
	uint32_t runtime_interp_head; /* offsetof(_PyRuntimeState, interpreters.head) */
	uint32_t runtime_interp_main; /* offsetof(_PyRuntimeState, interpreters.main) */
	uint32_t runtime_tstate_current; /* gilstate.tstate_current (3.7-3.11), else 0 */
	uint32_t runtime_gil_locked; /* ceval.gil.locked in _PyRuntime (3.7-3.11), else 0 */
	uint32_t runtime_gil_last_holder; /* ceval.gil.last_holder in _PyRuntime (3.7-3.11) */
	uint16_t tstate_native_thread_id; /* 3.11+, else PS_OFF_NONE */
	uint16_t pad;
	struct ps_py_offsets off; /* what BPF reads; *_size fields filled in */
	struct py_debug_pos dbg; /* userspace only: _Py_DebugOffsets positions (3.13+) */
	struct py_names_pos names; /* userspace only: the thread-name reader (3.8+) */
};

/* The table entry for major.minor, or NULL when the version is unknown. */
const struct py_layout *layout_for_version(unsigned major, unsigned minor);

/* Number of entries and entry i of the generated table (for tests). */
size_t layout_count(void);
const struct py_layout *layout_at(size_t i);

/*
 * Build a layout from a 3.13+ process's _Py_DebugOffsets (the first `len`
 * bytes of _PyRuntime, read from the ELF's .PyRuntime section or live).
 * Fields the debug offsets do not describe come from the table entry of the
 * same minor version. Returns 0, -EINVAL (not a debug-offsets block / wrong
 * cookie / fields out of range), -EPROTONOSUPPORT (a free-threaded build:
 * _Py_DebugOffsets.free_threaded is 1; not supported yet) or -ENOTSUP
 * (version with no known positions).
 */
int layout_from_debug_offsets(const uint8_t *buf, size_t len, struct py_layout *out);

/* Recompute off.*_size from the offsets; -EINVAL if one exceeds a PS_*_READ_MAX. */
int layout_finish(struct py_layout *l);

#endif /* PYSTROBE_LAYOUT_H */
