// SPDX-License-Identifier: MIT
/* Process-wide counters of what was refused on a target's behalf (see refusals.h). */
#include "target/refusals.h"

static uint64_t counts[REFUSED__COUNT];

static const struct {
	const char *name;
	const char *what;
} info[REFUSED__COUNT] = {
	[REFUSED_FILE] = { "unsafe_target_files", "unsafe target files (not opened or not read)" },
	[REFUSED_ELF_SECTION] = { "elf_sections_oversized", "oversized ELF sections" },
	[REFUSED_LINETABLE] = { "linetables_over_budget", "line tables over budget" },
	[REFUSED_SYMBOL] = { "symbols_over_budget", "code objects over the symbol budget" },
	[REFUSED_DWARF_WALK] = { "dwarf_walks_cut", "DWARF walks cut by their bound" },
};

void refusals_add(enum refusal r)
{
	if (r < REFUSED__COUNT)
		__atomic_add_fetch(&counts[r], 1, __ATOMIC_RELAXED);
}

uint64_t refusals_get(enum refusal r)
{
	return r < REFUSED__COUNT ? __atomic_load_n(&counts[r], __ATOMIC_RELAXED) : 0;
}

const char *refusals_name(enum refusal r)
{
	return r < REFUSED__COUNT ? info[r].name : "?";
}

const char *refusals_what(enum refusal r)
{
	return r < REFUSED__COUNT ? info[r].what : "?";
}

int refusals_print(FILE *f, const char *indent)
{
	const char *sep = "refused: ";
	int nr = 0;

	for (unsigned r = 0; r < REFUSED__COUNT; r++) {
		if (!refusals_get(r))
			continue;
		fprintf(f, "%s%s%llu %s", nr ? "" : indent, sep,
			(unsigned long long)refusals_get(r), info[r].what);
		sep = ", ";
		nr = 1;
	}
	if (nr)
		fputc('\n', f);
	return nr;
}

void refusals_reset(void)
{
	for (unsigned r = 0; r < REFUSED__COUNT; r++)
		__atomic_store_n(&counts[r], 0, __ATOMIC_RELAXED);
}
