/* SPDX-License-Identifier: MIT */
/*
 * How a native frame names its module, one spelling in every output:
 * "symbol (module)", e.g. "sqlite3VdbeExec (libsqlite3.so.0)", module being
 * the file's DT_SONAME (what the program linked against), else its file name
 * (an executable, a Python extension built without a soname).
 */
#ifndef PYSTROBE_MODLABEL_H
#define PYSTROBE_MODLABEL_H

#include <gelf.h>
#include <stddef.h>

/*
 * elf's DT_SONAME, else the last component of path (less the " (deleted)"
 * of a file removed since it was mapped), into buf.
 */
void modlabel_of(Elf *elf, const char *path, char *buf, size_t size);

/* "sym (label)" into buf (cut to size). */
void modlabel_frame(char *buf, size_t size, const char *sym, const char *label);

/*
 * The parts of a frame name made by modlabel_frame: the symbol's length, and
 * *label / *label_len the module. 0 when name has no "(module)" suffix.
 */
size_t modlabel_split(const char *name, const char **label, size_t *label_len);

#endif /* PYSTROBE_MODLABEL_H */
