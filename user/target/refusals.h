/* SPDX-License-Identifier: MIT */
/*
 * What pystrobe refused to read on a target's behalf, counted process-wide:
 * unsafe files (FIFOs, symlinks, devices, replaced files), ELF sections over
 * the size limit, line tables and symbols over their byte budgets, DWARF
 * walks cut by their time or size bound. The summary prints the non-zero
 * counts on one line ("refused: ...") and the JSON outputs carry them all.
 */
#ifndef PYSTROBE_REFUSALS_H
#define PYSTROBE_REFUSALS_H

#include <stdint.h>
#include <stdio.h>

enum refusal {
	REFUSED_FILE, /* a target file that is not the mapped regular file */
	REFUSED_ELF_SECTION, /* an ELF section over its size limit or past the file's end */
	REFUSED_LINETABLE, /* a line table over the per-process or total byte budget */
	REFUSED_SYMBOL, /* a code object's symbol over the per-process or total budget */
	REFUSED_DWARF_WALK, /* a DWARF walk for GIL sites cut by its time or DIE bound */
	REFUSED__COUNT
};

/* Count one refusal of kind r (thread-safe). */
void refusals_add(enum refusal r);
/* How many refusals of kind r so far. */
uint64_t refusals_get(enum refusal r);
/* Short machine name ("elf_sections_oversized"). */
const char *refusals_name(enum refusal r);
/* Human phrase for a count ("oversized ELF sections"). */
const char *refusals_what(enum refusal r);
/* "refused: 3 oversized ELF sections, 120 line tables over budget" or nothing: lines printed. */
int refusals_print(FILE *f, const char *indent);
/* Zero every counter (tests). */
void refusals_reset(void);

#endif /* PYSTROBE_REFUSALS_H */
