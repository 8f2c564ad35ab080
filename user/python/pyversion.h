/* SPDX-License-Identifier: MIT */
/* Which CPython an ELF file (python binary or libpython) holds, from the file itself. */
#ifndef PYSTROBE_PYVERSION_H
#define PYSTROBE_PYVERSION_H

#include <stdint.h>

struct elfsym;

#define PY_MICRO_UNKNOWN 0xff /* micro not in the file (soname only): printed as "3.11" */

struct py_version {
	uint8_t major, minor, micro; /* micro may be PY_MICRO_UNKNOWN */
	uint32_t hex; /* PY_VERSION_HEX when known, else major<<24|minor<<16 (|micro<<8) */
	/* how it was found: "Py_Version", "debug offsets", "soname", ...; after -ENOENT, why
	 * nothing was found */
	const char *source;
};

/*
 * Detect the CPython version of an ELF file. path is used only for its file
 * name (libpythonX.Y*.so*), never a command name. Returns 0, -ENOENT when the
 * file holds no CPython runtime, or -errno.
 */
int pyversion_detect(struct elfsym *e, const char *path, struct py_version *out);

/* "3.11.7" into buf. */
const char *pyversion_str(const struct py_version *v, char *buf, unsigned len);

#endif /* PYSTROBE_PYVERSION_H */
