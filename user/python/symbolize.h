/* SPDX-License-Identifier: MIT */
/*
 * Frame -> source line, and the userspace fallback that reads a code object
 * from a live process when BPF could not send it (or sent a cut line table).
 */
#ifndef PYSTROBE_SYMBOLIZE_H
#define PYSTROBE_SYMBOLIZE_H

#include <stdint.h>
#include <sys/types.h>
#include "python/layout.h"
#include "ps_pystack.h"
#include "python/symtab.h"

#define SYMBOLIZE_INCOMPLETE (-3) /* 3.11+ frame still being set up: not shown */
#define SYMBOLIZE_LT_MAX (1U << 20) /* largest line table read from a live process */

/*
 * The line frame f was executing in code object sym (layout l): >= 0, or
 * LINETABLE_NO_LINE / LINETABLE_BAD (linetable.h) or SYMBOLIZE_INCOMPLETE.
 * A frame that has not started yet gives co_firstlineno.
 */
int symbolize_line(const struct pysym *sym, const struct py_layout *l, const struct ps_frame *f);

/*
 * Read the code object at code in live process pid as BPF would, into rec
 * (caller-allocated struct ps_symbol), rec->code_tag included: the caller
 * compares it with the frame's tag. 0 or -errno (-ESRCH: gone).
 */
int symbolize_read_symbol(pid_t pid, const struct py_layout *l, uint64_t code, uint32_t gen,
			  uint64_t code_type_addr, struct ps_symbol *rec);

/*
 * Give sym the whole line table of its code object, read from live process
 * pid (for tables BPF had to cut), shared in st with the other code objects
 * of pid that use the same table object. 0 or -errno (-E2BIG: over
 * SYMBOLIZE_LT_MAX, -ENOSPC: over st's budget; both counted in refusals).
 */
int symbolize_complete_linetable(struct symtab *st, struct pysym *sym, pid_t pid,
				 const struct py_layout *l);

#endif /* PYSTROBE_SYMBOLIZE_H */
