// SPDX-License-Identifier: MIT
/* Symbol store: line tables shared per table object, byte budgets, refusals counted. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "python/symtab.h"
#include "target/refusals.h"

static struct strpool pool;
static struct symtab st;
static int nr_fills;

static void setup(void)
{
	memset(&pool, 0, sizeof(pool));
	symtab_init(&st, &pool);
	refusals_reset();
	nr_fills = 0;
}

static void teardown(void)
{
	symtab_free(&st);
	strpool_free(&pool);
}

TestSuite(symtab, .init = setup, .fini = teardown);

/* symtab_fill_fn: a table of 0xff bytes, counting calls. */
static int fill(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	nr_fills++;
	memset(buf, 0xff, len);
	return 0;
}

/* Add code object code of (pid, 1) with a cut 16 KiB line table; its symbol. */
static struct pysym *add(uint32_t pid, uint64_t code)
{
	struct ps_symbol *rec = calloc(1, sizeof(*rec));
	struct pysym *s;

	cr_assert_not_null(rec);
	rec->type = PS_REC_SYMBOL;
	rec->pid = pid;
	rec->gen = 1;
	rec->code_addr = code;
	rec->flags = PS_SYM_LT_CUT;
	rec->filename.nbytes = rec->name.nbytes = 1;
	rec->filename.kind = rec->name.kind = 1;
	rec->filename.data[0] = 'f';
	rec->name.data[0] = 'n';
	rec->linetable_nbytes = PS_LINETABLE_MAX;
	cr_assert_eq(symtab_add(&st, rec, sizeof(*rec), false), 0);
	free(rec);
	s = symtab_find(&st, pid, 1, code, 0);
	cr_assert_not_null(s);
	return s;
}

Test(symtab, code_objects_sharing_a_table_object_share_one_copy)
{
	struct pysym *s = NULL;

	for (uint64_t i = 0; i < 150; i++) {
		s = add(7, 0x1000 + i * 64);
		cr_assert_eq(symtab_set_linetable(&st, s, 0xabc000, 1 << 20, fill, NULL), 0);
	}
	cr_expect_eq(nr_fills, 1, "table read %d times, want once", nr_fills);
	cr_expect_eq(st.lt_bytes, 1 << 20, "line-table bytes %llu, want 1 MiB",
		     (unsigned long long)st.lt_bytes);
	cr_expect_eq(s->lt_len, 1 << 20);
	cr_expect_eq(s->linetable[12345], 0xff);
}

Test(symtab, the_same_table_address_in_another_process_is_another_table)
{
	symtab_set_linetable(&st, add(7, 0x1000), 0xabc000, 4096, fill, NULL);
	symtab_set_linetable(&st, add(8, 0x1000), 0xabc000, 4096, fill, NULL);
	cr_expect_eq(nr_fills, 2);
}

Test(symtab, refuses_a_table_over_the_process_budget_and_counts_it)
{
	struct pysym *s = add(7, 0x1000);
	int err = symtab_set_linetable(&st, s, 0xabc000, SYMTAB_LT_PROC_MAX_BYTES + 1, fill, NULL);

	cr_expect_eq(err, -ENOSPC, "got %d", err);
	cr_expect_eq(nr_fills, 0, "an over-budget table is not read");
	cr_expect_eq(refusals_get(REFUSED_LINETABLE), 1);
	cr_expect_eq(st.lt_bytes, 0, "the cut copy was given back: %llu",
		     (unsigned long long)st.lt_bytes);
}

Test(symtab, refuses_tables_over_the_total_budget)
{
	uint64_t per = SYMTAB_LT_PROC_MAX_BYTES / 2, pid = 100;
	int err = 0;

	while (!err && pid < 200)
		err = symtab_set_linetable(&st, add(pid, 0x1000), pid << 20, per, fill, NULL),
		pid++;
	cr_expect_eq(err, -ENOSPC);
	cr_expect_leq(st.lt_bytes, SYMTAB_LT_TOTAL_MAX_BYTES);
	/* the full budget refuses the last symbol's 16 KiB record copy too */
	cr_expect_eq(refusals_get(REFUSED_LINETABLE), 2, "got %llu",
		     (unsigned long long)refusals_get(REFUSED_LINETABLE));
}

static bool all_gone(uint32_t pid, uint32_t gen, void *ctx)
{
	(void)pid, (void)gen, (void)ctx;
	return true;
}

Test(symtab, prune_gives_every_byte_back)
{
	for (uint64_t i = 0; i < 10; i++)
		symtab_set_linetable(&st, add(7, 0x1000 + i), 0xabc000, 1 << 16, fill, NULL);
	add(9, 0x1000);
	cr_expect_eq(symtab_prune(&st, all_gone, NULL), 11);
	cr_expect_eq(st.lt_bytes, 0, "line-table bytes left: %llu",
		     (unsigned long long)st.lt_bytes);
	cr_expect_eq(st.sym_bytes, 0, "symbol bytes left: %llu", (unsigned long long)st.sym_bytes);
}
