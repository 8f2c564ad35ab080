// SPDX-License-Identifier: MIT
/* The cut-down kernel BTF (user/bpf/kernel_btf.c) against the whole one, on this kernel. */
#include <criterion/criterion.h>
#include <string.h>
#include <bpf/btf.h>
#include "bpf/kernel_btf.h"

/* Bit offset of member name in the struct type id of b (anonymous members searched), or -1. */
static long member_bits(const struct btf *b, __u32 id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *m;
	long sub;

	while (t && (btf_is_typedef(t) || btf_is_mod(t)))
		t = btf__type_by_id(b, t->type);
	if (!t || !btf_is_composite(t))
		return -1;
	m = btf_members(t);
	for (__u16 i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(b, m[i].name_off);

		if (n && !strcmp(n, name))
			return btf_member_bit_offset(t, i);
		if ((!n || !*n) && (sub = member_bits(b, m[i].type, name)) >= 0)
			return btf_member_bit_offset(t, i) + sub;
	}
	return -1;
}

/* Bit offset of struct sname's member in b, or -1. */
static long offset_in(const struct btf *b, const char *sname, const char *member)
{
	int id = btf__find_by_name_kind(b, sname, BTF_KIND_STRUCT);

	return id > 0 ? member_bits(b, (__u32)id, member) : -1;
}

Test(kernel_btf, keeps_the_offsets_the_bpf_programs_read)
{
	static const char *const fields[][2] = {
		{ "task_struct", "tgid" },
		{ "task_struct", "pid" },
		{ "task_struct", "real_parent" },
		{ "task_struct", "signal" },
		{ "task_struct", "thread" },
		{ "signal_struct", "live" },
		{ "pt_regs", "ip" },
		{ "pt_regs", "sp" },
		{ "linux_binprm", "file" },
		{ "file", "f_inode" },
		{ "inode", "i_ino" },
		{ "inode", "i_sb" },
		{ "super_block", "s_dev" },
	};
	const char *path = kernel_btf_path();
	struct btf *full = btf__load_vmlinux_btf(), *cut;

	cr_assert_not_null(path, "no cut-down BTF built");
	cr_assert_not_null(full, "kernel BTF unreadable");
	cut = btf__parse(path, NULL);
	cr_assert_not_null(cut, "cut-down BTF at %s does not parse", path);
	cr_expect_lt(btf__type_cnt(cut), btf__type_cnt(full) / 10, "%u types of %u kept",
		     btf__type_cnt(cut), btf__type_cnt(full));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		long want = offset_in(full, fields[i][0], fields[i][1]);
		long got = offset_in(cut, fields[i][0], fields[i][1]);

		cr_expect(want >= 0, "%s.%s not in the kernel BTF", fields[i][0], fields[i][1]);
		cr_expect_eq(got, want, "%s.%s: bit %ld, kernel says %ld", fields[i][0],
			     fields[i][1], got, want);
	}
	btf__free(cut);
	btf__free(full);
}
