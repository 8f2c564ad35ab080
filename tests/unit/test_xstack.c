// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <stdbool.h>
#include "native/xstack.h"

#define PY(c, entry) ((struct agg_frame){ .code_addr = (c), .owner = (entry) ? PS_FRAME_ENTRY : 0 })
#define NAT(c) ((struct agg_frame){ .code_addr = (c), .kind = AGG_FRAME_NATIVE })
#define KER(c) ((struct agg_frame){ .code_addr = (c), .kind = AGG_FRAME_KERNEL })

/* Compare out[0..n) with the code_addr sequence want (0-terminated). */
static void expect(const struct agg_frame *out, size_t n, const uint64_t *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		cr_assert_lt(i, n, "expected frame %zu (%#llx), got only %zu frames", i,
			     (unsigned long long)want[i], n);
		cr_assert_eq(out[i].code_addr, want[i], "frame %zu: expected %#llx, got %#llx", i,
			     (unsigned long long)want[i], (unsigned long long)out[i].code_addr);
	}
	cr_assert_eq(n, i, "expected %zu frames, got %zu", i, n);
}

Test(xstack, each_eval_frame_takes_the_python_frames_of_its_call)
{
	/* leaf first: Python f3 f2 (one eval call, f2 its entry), f1 (entry) */
	struct agg_frame py[] = { PY(0x3, 0), PY(0x2, 1), PY(0x1, 1) };
	/* callee, hot, eval, map, eval, main */
	struct agg_frame nat[] = {
		NAT(0xc1), NAT(0xc2), NAT(0xe1), NAT(0xa1), NAT(0xe2), NAT(0xa2)
	};
	bool ev[] = { false, false, true, false, true, false };
	struct agg_frame kern[] = { KER(0xf1) }, out[16];
	size_t n = xstack_merge(py, 3, nat, ev, 6, kern, 1, out, 16);
	const uint64_t want[] = { 0xf1, 0xc1, 0xc2, 0x3, 0x2, 0xa1, 0x1, 0xa2, 0 };

	expect(out, n, want);
}

Test(xstack, python_frames_left_over_go_to_the_root_end)
{
	struct agg_frame py[] = { PY(0x2, 1), PY(0x1, 1) }, out[8];
	struct agg_frame nat[] = { NAT(0xc1), NAT(0xe1) };
	bool ev[] = { false, true };
	size_t n = xstack_merge(py, 2, nat, ev, 2, NULL, 0, out, 8);
	const uint64_t want[] = { 0xc1, 0x2, 0x1, 0 };

	expect(out, n, want);
}

Test(xstack, eval_frames_without_python_frames_stay_native)
{
	struct agg_frame py[] = { PY(0x1, 1) }, out[8];
	struct agg_frame nat[] = { NAT(0xe1), NAT(0xe2), NAT(0xa1) };
	bool ev[] = { true, true, false };
	size_t n = xstack_merge(py, 1, nat, ev, 3, NULL, 0, out, 8);
	const uint64_t want[] = { 0x1, 0xe2, 0xa1, 0 };

	expect(out, n, want);
}

Test(xstack, output_is_cut_at_max)
{
	struct agg_frame py[] = { PY(0x2, 1), PY(0x1, 1) }, out[3];
	struct agg_frame kern[] = { KER(0xf1), KER(0xf2) };
	size_t n = xstack_merge(py, 2, NULL, NULL, 0, kern, 2, out, 3);
	const uint64_t want[] = { 0xf1, 0xf2, 0x2, 0 };

	expect(out, n, want);
}
