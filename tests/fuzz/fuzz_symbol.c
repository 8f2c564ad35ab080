// SPDX-License-Identifier: MIT
/*
 * Fuzz what userspace does with a symbol record (its bytes come from target
 * memory): store it, then decode a line for a few positions under every
 * layout the table knows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "python/layout.h"
#include "python/symbolize.h"
#include "python/symtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_symbol *rec = calloc(1, sizeof(*rec));
	struct strpool pool = {};
	struct symtab st;
	struct pysym *sym;

	if (!rec)
		return 0;
	memcpy(rec, data, size < sizeof(*rec) ? size : sizeof(*rec));
	symtab_init(&st, &pool);
	symtab_add(&st, rec, size < sizeof(*rec) ? size : sizeof(*rec), size & 1);
	sym = symtab_find(&st, rec->pid, rec->gen, rec->code_addr, rec->code_tag);
	for (size_t i = 0; sym && i < layout_count(); i++) {
		struct ps_frame f = { rec->code_addr, (uint32_t)size * 7, rec->code_tag,
				      (uint8_t)size, 0 };

		symbolize_line(sym, layout_at(i), &f);
		f.instr = rec->firstlineno;
		symbolize_line(sym, layout_at(i), &f);
	}
	symtab_free(&st);
	strpool_free(&pool);
	free(rec);
	return 0;
}
