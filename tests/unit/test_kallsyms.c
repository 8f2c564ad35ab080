// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "kernel/kallsyms.h"

static const char text[] = "ffffffff81000200 T vfs_read\n"
			   "0000000000000000 A hidden_by_kptr_restrict\n"
			   "ffffffff81000100 T ksys_read\n"
			   "garbage line\n"
			   "ffffffffc0001000 t nvme_irq\t[nvme]\n"
			   "ffffffff81000300 t read_zero";

Test(kallsyms, finds_the_symbol_at_or_below_an_address)
{
	struct kallsyms k = {};
	const struct kallsym *s;

	cr_assert_eq(kallsyms_parse(&k, text, strlen(text)), 0);
	cr_assert_eq(k.nr, 4, "expected 4 symbols, got %zu", k.nr);
	s = kallsyms_find(&k, 0xffffffff81000250ULL);
	cr_assert(s && strcmp(s->name, "vfs_read") == 0, "expected vfs_read, got %s",
		  s ? s->name : "NULL");
	s = kallsyms_find(&k, 0xffffffff81000100ULL);
	cr_assert(s && strcmp(s->name, "ksys_read") == 0, "expected ksys_read, got %s",
		  s ? s->name : "NULL");
	cr_assert_null(kallsyms_find(&k, 0xffffffff81000000ULL),
		       "expected nothing below the first");
	kallsyms_free(&k);
}

Test(kallsyms, keeps_the_module_of_module_symbols)
{
	struct kallsyms k = {};
	const struct kallsym *s;

	cr_assert_eq(kallsyms_parse(&k, text, strlen(text)), 0);
	s = kallsyms_find(&k, 0xffffffffc0001010ULL);
	cr_assert(s && strcmp(s->name, "nvme_irq [nvme]") == 0,
		  "expected 'nvme_irq [nvme]', got '%s'", s ? s->name : "NULL");
	kallsyms_free(&k);
}

Test(kallsyms, all_zero_addresses_is_enoent)
{
	struct kallsyms k = {};
	const char *z = "0000000000000000 T vfs_read\n0000000000000000 T ksys_read\n";

	cr_assert_eq(kallsyms_parse(&k, z, strlen(z)), -ENOENT);
	kallsyms_free(&k);
}

Test(kallsyms, loads_proc_kallsyms)
{
	struct kallsyms k = {};

	cr_assert_eq(kallsyms_load(&k, "/proc/kallsyms"), 0,
		     "expected /proc/kallsyms to load (root)");
	cr_assert_gt(k.nr, 1000, "expected many symbols, got %zu", k.nr);
	for (size_t i = 1; i < k.nr; i++)
		cr_assert_geq(k.syms[i].addr, k.syms[i - 1].addr, "table not sorted at %zu", i);
	kallsyms_free(&k);
}
