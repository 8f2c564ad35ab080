// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for layout_from_debug_offsets(): the input is the start of
 * a target's _PyRuntime (3.13+ _Py_DebugOffsets), copied to a buffer of
 * exactly its size so that ASan catches any read past it. Whenever the parser
 * accepts a block, the layout must be one BPF can use: layout_finish()
 * accepts it again unchanged, every *_size fits its PS_*_READ_MAX, and the
 * version is one the table knows. Seeds: tests/fuzz/corpus/debug_offsets/
 * (the real 3.13.0, 3.14.10 and 3.15.2 bytes, release and debug builds, and
 * mutations, scripts/gen-pyruntime-fixtures.sh).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "python/layout.h"

/* Abort unless an accepted layout is safe for BPF and stable under layout_finish. */
static void check_accepted(const struct py_layout *l)
{
	struct py_layout again = *l;
	const struct ps_py_offsets *o = &l->off;

	if (!layout_for_version(l->major, l->minor))
		abort();
	if (o->tstate_size > PS_TSTATE_READ_MAX || o->frame_size > PS_FRAME_READ_MAX ||
	    o->code_size > PS_CODE_READ_MAX)
		abort();
	if (layout_finish(&again) || memcmp(&again, l, sizeof(again)))
		abort();
}

/* Parse the input; accepted layouts are checked, errors must be the documented ones. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct py_layout out;
	uint8_t *buf = malloc(size ? size : 1);
	int err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	err = layout_from_debug_offsets(size ? buf : NULL, size, &out);
	if (err == 0)
		check_accepted(&out);
	else if (err != -EINVAL && err != -ENOTSUP && err != -EPROTONOSUPPORT)
		abort();
	free(buf);
	return 0;
}
