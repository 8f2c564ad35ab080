// SPDX-License-Identifier: MIT
/*
 * Print the CPython layout facts pystrobe needs, as key=value lines, for the
 * one CPython whose headers this is compiled against:
 *
 *   cc -DPy_BUILD_CORE -I<inc> [-I<inc>/internal] scripts/offsets_probe.c
 *
 * Every number is an offsetof / sizeof / enum value / header macro of that
 * version; nothing is typed in by hand. Keys are the field names of struct
 * py_layout (user/python/layout.h; "off." for struct ps_py_offsets, "dbg." for the
 * positions inside _Py_DebugOffsets). A value is a number or the symbol the
 * table uses (PS_OFF_NONE, enum names). scripts/gen-offsets.sh turns the
 * output into user/py_layouts.c. This is the one place that knows which
 * header each version keeps a struct in: every #if below is on PY_VERSION_HEX.
 * Exit 1 (with a message on stderr) when a fact the BPF side hard-codes (field
 * widths, PEP 393 state bits) does not hold for this version.
 */
#include <Python.h>
#include <frameobject.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if PY_VERSION_HEX >= 0x03100000
#error "offsets_probe: CPython 3.16+ has not been verified"
#elif PY_VERSION_HEX >= 0x030E0000
/* 3.14+: frames in pycore_interpframe*.h, _PyStackRef tag bits in pycore_stackref.h */
#include "internal/pycore_code.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_interpframe.h"
#include "internal/pycore_runtime.h"
#include "internal/pycore_stackref.h"
#elif PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_code.h"
#include "internal/pycore_frame.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_runtime.h"
#elif PY_VERSION_HEX >= 0x03090000
#include "internal/pycore_interp.h"
#include "internal/pycore_runtime.h"
#elif PY_VERSION_HEX >= 0x03080000
#include "internal/pycore_pystate.h"
#elif PY_VERSION_HEX >= 0x03070000
#include "internal/pystate.h"
#elif PY_VERSION_HEX < 0x02070000 || (PY_VERSION_HEX >= 0x03000000 && PY_VERSION_HEX < 0x03060000)
#error "offsets_probe: only CPython 2.7 and 3.6+ are supported"
#endif

#if PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_dict.h"
#include "internal/pycore_object.h"
#endif
#if PY_VERSION_HEX >= 0x030A0000
#include "internal/pycore_moduleobject.h"
#endif
#if PY_VERSION_HEX >= 0x03080000 && PY_VERSION_HEX < 0x030B0000
#include <longintrepr.h> /* PyLongObject; Python.h includes it itself from 3.11 */
#endif

/* Types named the same way in every version. */
#if PY_VERSION_HEX >= 0x030B0000
typedef _PyInterpreterFrame probe_frame;
#else
typedef PyFrameObject probe_frame;
#endif
#if PY_VERSION_HEX >= 0x03000000
typedef PyBytesObject probe_bytes;
#else
typedef PyStringObject probe_bytes;
#endif

#define FIELD_SIZE(type, member) sizeof(((type *)0)->member)

/* Widths of the loads pystack.bpf.h does at these offsets. */
_Static_assert(FIELD_SIZE(PyThreadState, thread_id) == 8, "BPF loads thread_id as u64");
_Static_assert(FIELD_SIZE(PyCodeObject, co_firstlineno) == 4, "BPF loads firstlineno as s32");
_Static_assert(FIELD_SIZE(PyVarObject, ob_size) == 8, "BPF loads ob_size as u64");
#if PY_VERSION_HEX >= 0x030B0000
_Static_assert(FIELD_SIZE(probe_frame, owner) == 1, "BPF loads owner as u8");
_Static_assert(FIELD_SIZE(PyCodeObject, _co_firsttraceable) == 4, "BPF loads it as s32");
#else
_Static_assert(FIELD_SIZE(probe_frame, f_lasti) == 4, "BPF loads f_lasti as u32");
#endif
#if PY_VERSION_HEX >= 0x03030000
_Static_assert(FIELD_SIZE(PyASCIIObject, length) == 8, "BPF loads length as u64");
_Static_assert(FIELD_SIZE(PyASCIIObject, state) == 4, "BPF loads state as u32");
#endif

/* Print one numeric key. */
static void num(const char *key, size_t v)
{
	printf("%s=%zu\n", key, v);
}

/* Print one symbolic key (PS_OFF_NONE or an enum name). */
static void sym(const char *key, const char *v)
{
	printf("%s=%s\n", key, v);
}

/* The version and the kinds that follow from it (no struct holds them). */
static void print_version(void)
{
	printf("version=%s\n", PY_VERSION);
	printf("version_hex=0x%08lx\n", (unsigned long)PY_VERSION_HEX);
	num("major", PY_MAJOR_VERSION);
	num("minor", PY_MINOR_VERSION);
#ifdef Py_DEBUG
	num("py_debug", 1); /* a debug build: its entry must equal the release build's */
#else
	num("py_debug", 0);
#endif
#if PY_VERSION_HEX >= 0x03070000
	sym("root_kind", "PY_ROOT_RUNTIME");
#else
	sym("root_kind", "PY_ROOT_INTERP_HEAD");
#endif
#if PY_VERSION_HEX >= 0x030C0000
	sym("gil_kind", "PY_GIL_INTERP_PTR");
#else
	sym("gil_kind", "PY_GIL_TSTATE_CURRENT");
#endif
#if PY_VERSION_HEX >= 0x030B0000
	sym("lt_fmt", "PY_LT_311");
	num("lasti_unit", 0);
#elif PY_VERSION_HEX >= 0x030A0000
	sym("lt_fmt", "PY_LT_310");
	num("lasti_unit", sizeof(_Py_CODEUNIT)); /* 3.10 f_lasti counts code units */
#elif PY_VERSION_HEX >= 0x03000000
	sym("lt_fmt", "PY_LT_LNOTAB");
	num("lasti_unit", 1);
#else
	sym("lt_fmt", "PY_LT_LNOTAB27");
	num("lasti_unit", 1);
#endif
}

/* Where the first interpreter, the current thread state and the GIL are. */
static void print_runtime(void)
{
#if PY_VERSION_HEX >= 0x03070000
	num("runtime_interp_head", offsetof(_PyRuntimeState, interpreters.head));
	num("runtime_interp_main", offsetof(_PyRuntimeState, interpreters.main));
#else
	num("runtime_interp_head", 0); /* the root symbol is interp_head itself */
	num("runtime_interp_main", 0);
#endif
#if PY_VERSION_HEX >= 0x03070000 && PY_VERSION_HEX < 0x030C0000
	num("runtime_tstate_current", offsetof(_PyRuntimeState, gilstate.tstate_current));
	num("runtime_gil_locked", offsetof(_PyRuntimeState, ceval.gil.locked));
	num("runtime_gil_last_holder", offsetof(_PyRuntimeState, ceval.gil.last_holder));
#else
	num("runtime_tstate_current", 0);
	num("runtime_gil_locked", 0);
	num("runtime_gil_last_holder", 0);
#endif
#if PY_VERSION_HEX >= 0x030C0000
	num("off.interp_gil", offsetof(PyInterpreterState, ceval.gil));
	num("off.gil_locked", offsetof(struct _gil_runtime_state, locked));
	num("off.gil_last_holder", offsetof(struct _gil_runtime_state, last_holder));
#else
	sym("off.interp_gil", "PS_OFF_NONE");
	sym("off.gil_locked", "PS_OFF_NONE");
	sym("off.gil_last_holder", "PS_OFF_NONE");
#endif
}

/* PyInterpreterState and PyThreadState fields. */
static void print_states(void)
{
	num("off.interp_next", offsetof(PyInterpreterState, next));
#if PY_VERSION_HEX >= 0x030B0000
	num("off.interp_threads_head", offsetof(PyInterpreterState, threads.head));
#else
	num("off.interp_threads_head", offsetof(PyInterpreterState, tstate_head));
#endif
	num("off.tstate_next", offsetof(PyThreadState, next));
	num("off.tstate_interp", offsetof(PyThreadState, interp));
	num("off.tstate_thread_id", offsetof(PyThreadState, thread_id));
#if PY_VERSION_HEX >= 0x030D0000
	num("off.tstate_frame", offsetof(PyThreadState, current_frame));
	sym("off.cframe_frame", "PS_OFF_NONE");
#elif PY_VERSION_HEX >= 0x030B0000
	num("off.tstate_frame", offsetof(PyThreadState, cframe));
	num("off.cframe_frame", offsetof(_PyCFrame, current_frame));
#else
	num("off.tstate_frame", offsetof(PyThreadState, frame));
	sym("off.cframe_frame", "PS_OFF_NONE");
#endif
#if PY_VERSION_HEX >= 0x030B0000
	num("tstate_native_thread_id", offsetof(PyThreadState, native_thread_id));
#else
	sym("tstate_native_thread_id", "PS_OFF_NONE");
#endif
}

/* The frame chain: PyFrameObject (<=3.10) or _PyInterpreterFrame (3.11+). */
static void print_frame(void)
{
#if PY_VERSION_HEX >= 0x030B0000
	num("off.frame_back", offsetof(probe_frame, previous));
#if PY_VERSION_HEX >= 0x030D0000
	num("off.frame_code", offsetof(probe_frame, f_executable));
	num("off.frame_instr", offsetof(probe_frame, instr_ptr));
#else
	num("off.frame_code", offsetof(probe_frame, f_code));
	num("off.frame_instr", offsetof(probe_frame, prev_instr));
#endif
	num("off.frame_owner", offsetof(probe_frame, owner));
	sym("off.instr_kind", "PS_INSTR_PTR");
#else
	num("off.frame_back", offsetof(probe_frame, f_back));
	num("off.frame_code", offsetof(probe_frame, f_code));
	num("off.frame_instr", offsetof(probe_frame, f_lasti));
	sym("off.frame_owner", "PS_OFF_NONE");
	sym("off.instr_kind", "PS_INSTR_LASTI");
#endif
#if PY_VERSION_HEX >= 0x030E0000
	/* 3.14+: interpreter-owned entry frames and C-stack shims, as in
	 * _PyFrame_IsIncomplete (owner >= FRAME_OWNED_BY_INTERPRETER) */
	num("off.owner_skip_min", FRAME_OWNED_BY_INTERPRETER);
#elif PY_VERSION_HEX >= 0x030C0000
	/* 3.12-3.13: C-stack shim frames; CPython's own _PyFrame_IsIncomplete test */
	num("off.owner_skip_min", FRAME_OWNED_BY_CSTACK);
#else
	num("off.owner_skip_min", 0xff); /* no shim frames */
#endif
#if PY_VERSION_HEX >= 0x030E0000
	/* 3.14+: f_executable is a _PyStackRef; PyStackRef_AsPyObjectBorrow clears these */
	num("off.code_tag_mask", Py_TAG_BITS);
#else
	num("off.code_tag_mask", 0); /* f_executable is a plain PyObject * up to 3.13 */
#endif
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
	num("off.frame_is_entry", offsetof(probe_frame, is_entry));
#else
	sym("off.frame_is_entry", "PS_OFF_NONE");
#endif
}

/* PyCodeObject fields. */
static void print_code(void)
{
	num("off.code_filename", offsetof(PyCodeObject, co_filename));
	num("off.code_name", offsetof(PyCodeObject, co_name));
	num("off.code_firstlineno", offsetof(PyCodeObject, co_firstlineno));
#if PY_VERSION_HEX >= 0x030B0000
	num("off.code_qualname", offsetof(PyCodeObject, co_qualname));
	num("off.code_firsttraceable", offsetof(PyCodeObject, _co_firsttraceable));
	num("code_adaptive", offsetof(PyCodeObject, co_code_adaptive));
#else
	sym("off.code_qualname", "PS_OFF_NONE");
	sym("off.code_firsttraceable", "PS_OFF_NONE");
	num("code_adaptive", 0);
#endif
#if PY_VERSION_HEX >= 0x030A0000
	num("off.code_linetable", offsetof(PyCodeObject, co_linetable));
#else
	num("off.code_linetable", offsetof(PyCodeObject, co_lnotab));
#endif
}

#if PY_VERSION_HEX >= 0x03030000
/* Bit position of the only bit set in the state word of a, or -1. */
static int state_bit(const PyASCIIObject *a)
{
	uint32_t w;

	memcpy(&w, (const char *)a + offsetof(PyASCIIObject, state), sizeof(w));
	for (int i = 0; i < 32; i++)
		if (w == 1U << i)
			return i;
	return -1;
}

/* Check the PEP 393 state bits read_pystr() hard-codes: kind@2..4, compact@5, ascii@6. */
static int check_state_bits(void)
{
	PyASCIIObject a;
	int kind, compact, ascii;

	memset(&a, 0, sizeof(a));
	a.state.kind = 1;
	kind = state_bit(&a);
	memset(&a, 0, sizeof(a));
	a.state.compact = 1;
	compact = state_bit(&a);
	memset(&a, 0, sizeof(a));
	a.state.ascii = 1;
	ascii = state_bit(&a);
	printf("str_bit_kind=%d\nstr_bit_compact=%d\nstr_bit_ascii=%d\n", kind, compact, ascii);
	if (kind != 2 || compact != 5 || ascii != 6) {
		fprintf(stderr, "offsets_probe: PEP 393 state bits differ from pystack.bpf.h\n");
		return -1;
	}
	return 0;
}
#endif

/* PyObject, names (str) and line tables (bytes). */
static int print_objects(void)
{
	num("off.obj_type", offsetof(PyObject, ob_type));
	num("off.bytes_data", offsetof(probe_bytes, ob_sval));
#if PY_VERSION_HEX >= 0x03030000
	num("off.bytes_len", offsetof(probe_bytes, ob_base.ob_size));
	sym("off.str_kind", "PS_STR_PEP393");
	num("off.str_len", offsetof(PyASCIIObject, length));
	num("off.str_state", offsetof(PyASCIIObject, state));
	num("off.str_ascii_data", sizeof(PyASCIIObject));
	num("off.str_compact_data", sizeof(PyCompactUnicodeObject));
	return check_state_bits();
#else
	/* 2.7: co_name / co_filename are PyStringObject (bytes) */
	num("off.bytes_len", offsetof(probe_bytes, ob_size));
	sym("off.str_kind", "PS_STR_BYTES");
	num("off.str_len", offsetof(PyStringObject, ob_size));
	sym("off.str_state", "PS_OFF_NONE");
	num("off.str_ascii_data", offsetof(PyStringObject, ob_sval));
	sym("off.str_compact_data", "PS_OFF_NONE");
	return 0;
#endif
}

#if PY_VERSION_HEX >= 0x030D0000
#define DBG(key, member) num("dbg." key, offsetof(_Py_DebugOffsets, member))

/* 3.13+: where _Py_DebugOffsets (at _PyRuntime + 0) keeps each value pystrobe uses. */
static void print_debug_positions(void)
{
	num("dbg_hdr.cookie", offsetof(_Py_DebugOffsets, cookie));
	num("dbg_hdr.version", offsetof(_Py_DebugOffsets, version));
	num("dbg_hdr.free_threaded", offsetof(_Py_DebugOffsets, free_threaded));
	printf("dbg_hdr.cookie_value=%s\n", _Py_Debug_Cookie);
	num("dbg.size", sizeof(_Py_DebugOffsets));
	DBG("runtime_size", runtime_state.size);
	DBG("runtime_interp_head", runtime_state.interpreters_head);
	DBG("interp_size", interpreter_state.size);
	DBG("interp_next", interpreter_state.next);
	DBG("interp_threads_head", interpreter_state.threads_head);
	DBG("interp_ceval_gil", interpreter_state.ceval_gil);
	DBG("interp_gil", interpreter_state.gil_runtime_state);
	DBG("interp_gil_locked", interpreter_state.gil_runtime_state_locked);
	DBG("interp_gil_holder", interpreter_state.gil_runtime_state_holder);
	DBG("tstate_size", thread_state.size);
	DBG("tstate_next", thread_state.next);
	DBG("tstate_interp", thread_state.interp);
	DBG("tstate_frame", thread_state.current_frame);
	DBG("tstate_thread_id", thread_state.thread_id);
	DBG("tstate_native_thread_id", thread_state.native_thread_id);
	DBG("frame_size", interpreter_frame.size);
	DBG("frame_back", interpreter_frame.previous);
	DBG("frame_code", interpreter_frame.executable);
	DBG("frame_instr", interpreter_frame.instr_ptr);
	DBG("frame_owner", interpreter_frame.owner);
	DBG("code_size", code_object.size);
	DBG("code_filename", code_object.filename);
	DBG("code_name", code_object.name);
	DBG("code_qualname", code_object.qualname);
	DBG("code_linetable", code_object.linetable);
	DBG("code_firstlineno", code_object.firstlineno);
	DBG("code_adaptive", code_object.co_code_adaptive);
	DBG("obj_size", pyobject.size);
	DBG("obj_type", pyobject.ob_type);
	DBG("bytes_size", bytes_object.size);
	DBG("bytes_len", bytes_object.ob_size);
	DBG("bytes_data", bytes_object.ob_sval);
	DBG("str_size", unicode_object.size);
	DBG("str_len", unicode_object.length);
	DBG("str_state", unicode_object.state);
	DBG("str_ascii_data", unicode_object.asciiobject_size);
}
#endif

#if PY_VERSION_HEX >= 0x03080000 && PY_VERSION_HEX < 0x030B0000
/*
 * 3.8-3.10 keep PyDictKeysObject in Objects/dict-common.h, which is not
 * installed: this mirrors it (3.8.18, 3.9.18 and 3.10.13 sources agree).
 */
struct probe_dictkeys {
	Py_ssize_t dk_refcnt;
	Py_ssize_t dk_size;
	void *dk_lookup;
	Py_ssize_t dk_usable;
	Py_ssize_t dk_nentries;
	char dk_indices[];
};
struct probe_dictentry {
	Py_hash_t me_hash;
	PyObject *me_key;
	PyObject *me_value;
};
#endif

#if PY_VERSION_HEX >= 0x03080000
#define NAMES(key, v) num("names." key, (v))
#define NAMES_NONE(key) sym("names." key, "PS_OFF_NONE")

/* Where sys.modules is, and how a module's dict is found (threading._active). */
static void print_names_modules(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	NAMES("interp_modules", offsetof(PyInterpreterState, imports.modules));
#else
	NAMES("interp_modules", offsetof(PyInterpreterState, modules));
#endif
#if PY_VERSION_HEX >= 0x030A0000
	NAMES("module_dict", offsetof(PyModuleObject, md_dict));
#else
	/* 3.8/3.9 define PyModuleObject in moduleobject.c: md_dict follows the head */
	NAMES("module_dict", sizeof(PyObject));
#endif
}

/* PyDictObject and its keys: combined and split tables. */
static void print_names_dict(void)
{
	NAMES("dict_used", offsetof(PyDictObject, ma_used));
	NAMES("dict_keys", offsetof(PyDictObject, ma_keys));
	NAMES("dict_values", offsetof(PyDictObject, ma_values));
#if PY_VERSION_HEX >= 0x030B0000
	sym("names.dict_kind", "PY_DICT_LOG2");
	NAMES("keys_size", offsetof(PyDictKeysObject, dk_log2_size));
	NAMES("keys_log2_index_bytes", offsetof(PyDictKeysObject, dk_log2_index_bytes));
	NAMES("keys_kind", offsetof(PyDictKeysObject, dk_kind));
	NAMES("keys_nentries", offsetof(PyDictKeysObject, dk_nentries));
	NAMES("keys_indices", offsetof(PyDictKeysObject, dk_indices));
	NAMES("keys_kind_general", DICT_KEYS_GENERAL);
	NAMES("entry_size", sizeof(PyDictKeyEntry));
	NAMES("uentry_size", sizeof(PyDictUnicodeEntry));
	NAMES("entry_key", offsetof(PyDictKeyEntry, me_key));
	NAMES("entry_value", offsetof(PyDictKeyEntry, me_value));
	NAMES("uentry_key", offsetof(PyDictUnicodeEntry, me_key));
	NAMES("uentry_value", offsetof(PyDictUnicodeEntry, me_value));
	NAMES("values_values", offsetof(PyDictValues, values));
#else
	sym("names.dict_kind", "PY_DICT_SIZE");
	NAMES("keys_size", offsetof(struct probe_dictkeys, dk_size));
	NAMES_NONE("keys_log2_index_bytes");
	NAMES_NONE("keys_kind");
	NAMES("keys_nentries", offsetof(struct probe_dictkeys, dk_nentries));
	NAMES("keys_indices", offsetof(struct probe_dictkeys, dk_indices));
	NAMES("keys_kind_general", 0);
	NAMES("entry_size", sizeof(struct probe_dictentry));
	NAMES("uentry_size", sizeof(struct probe_dictentry));
	NAMES("entry_key", offsetof(struct probe_dictentry, me_key));
	NAMES("entry_value", offsetof(struct probe_dictentry, me_value));
	NAMES("uentry_key", offsetof(struct probe_dictentry, me_key));
	NAMES("uentry_value", offsetof(struct probe_dictentry, me_value));
	NAMES("values_values", 0); /* ma_values is the PyObject *[] itself */
#endif
}

/* Where an instance keeps its attributes (Thread._name, Thread._native_id). */
static void print_names_instance(void)
{
	NAMES("type_basicsize", offsetof(PyTypeObject, tp_basicsize));
	NAMES("type_dictoffset", offsetof(PyTypeObject, tp_dictoffset));
	NAMES("type_flags", offsetof(PyTypeObject, tp_flags));
	NAMES("ht_cached_keys", offsetof(PyHeapTypeObject, ht_cached_keys));
#if PY_VERSION_HEX >= 0x030D0000
	/* 3.13+: values inline after the object (_PyObject_InlineValues) */
	sym("names.idict_kind", "PY_IDICT_INLINE");
	NAMES("flag_inline_values", Py_TPFLAGS_INLINE_VALUES);
	NAMES("values_valid", offsetof(PyDictValues, valid));
#else
	NAMES("flag_inline_values", 0);
	NAMES_NONE("values_valid");
#endif
#if PY_VERSION_HEX >= 0x030D0000
#elif PY_VERSION_HEX >= 0x030C0000
	/* 3.12: _PyObject_DictOrValuesPointer, values tagged by bit 0 */
	sym("names.idict_kind", "PY_IDICT_DORV");
#elif PY_VERSION_HEX >= 0x030B0000
	/* 3.11: _PyObject_ValuesPointer (obj - 4 words), dict at obj - 3 words */
	sym("names.idict_kind", "PY_IDICT_VALUES_PTR");
#else
	sym("names.idict_kind", "PY_IDICT_OFFSET"); /* tp_dictoffset */
#endif
#if PY_VERSION_HEX >= 0x030C0000 && PY_VERSION_HEX < 0x030D0000
	NAMES("flag_managed_dict", Py_TPFLAGS_MANAGED_DICT);
	/* 3.12 has no MANAGED_DICT_OFFSET: _PyObject_DictOrValuesPointer is obj - 3 */
	NAMES("managed_dict_back", 3 * sizeof(PyDictOrValues));
#elif PY_VERSION_HEX >= 0x030B0000
	NAMES("flag_managed_dict", Py_TPFLAGS_MANAGED_DICT);
	/* MANAGED_DICT_OFFSET is negative: print its magnitude */
	NAMES("managed_dict_back", (size_t) - (MANAGED_DICT_OFFSET));
#else
	NAMES("flag_managed_dict", 0);
	NAMES("managed_dict_back", 0);
#endif
}

/* PyLongObject: 30-bit digits after a signed size (<=3.11) or lv_tag (3.12+). */
static void print_names_long(void)
{
	_Static_assert(PyLong_SHIFT == 30, "pyobj.c decodes 30-bit digits");
#if PY_VERSION_HEX >= 0x030C0000
	sym("names.long_kind", "PY_LONG_TAG");
	NAMES("long_size", offsetof(PyLongObject, long_value.lv_tag));
	NAMES("long_digit", offsetof(PyLongObject, long_value.ob_digit));
	_Static_assert(_PyLong_NON_SIZE_BITS == 3, "pyobj.c: lv_tag >> 3 digits");
#else
	sym("names.long_kind", "PY_LONG_SIZE");
	NAMES("long_size", offsetof(PyLongObject, ob_base.ob_size));
	NAMES("long_digit", offsetof(PyLongObject, ob_digit));
#endif
}
#endif /* 3.8+ */

/* The facts the thread-name reader (user/python/pythreads.c) needs, 3.8+. */
static void print_names(void)
{
#if PY_VERSION_HEX >= 0x03080000
	print_names_modules();
	print_names_dict();
	print_names_instance();
	print_names_long();
#endif
}

/* Print every key; exit 1 if a hard-coded BPF assumption fails. */
int main(void)
{
	print_version();
	print_runtime();
	print_states();
	print_frame();
	print_code();
	if (print_objects())
		return 1;
	print_names();
#if PY_VERSION_HEX >= 0x030D0000
	print_debug_positions();
#endif
	return 0;
}
