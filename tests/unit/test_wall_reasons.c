// SPDX-License-Identifier: MIT
/* The reasons of record --wall: syscall table, leaf frames, summary columns. */
#include <criterion/criterion.h>
#include <string.h>
#include "wall/wall_reasons.h"

static struct ps_offcpu_key key(uint8_t reason, int32_t fd, uint8_t fd_kind, uint16_t nr)
{
	return (struct ps_offcpu_key){
		.reason = reason, .fd = fd, .fd_kind = fd_kind, .sys_nr = nr
	};
}

Test(wall_reasons, sys_table_names_the_waits_python_makes)
{
	uint8_t t[PS_OFFCPU_SYS_MAX];

	wall_sys_table(t);
	cr_expect_eq(t[0], PS_SYSW_READ); /* read: os.read, socket.recv on 3.x */
	cr_expect_eq(t[202], PS_SYSW_FUTEX); /* futex: locks and the GIL */
	cr_expect_eq(t[230], PS_SYSW_SLEEP); /* clock_nanosleep: time.sleep 3.11+ */
	cr_expect_eq(t[23], PS_SYSW_SELECT); /* select: time.sleep before 3.11 */
	cr_expect_eq(t[232], PS_SYSW_EPOLL);
	cr_expect_eq(t[61], PS_SYSW_NONE); /* wait4: named by its syscall */
}

Test(wall_reasons, frames)
{
	char buf[64];
	struct ps_offcpu_key k = key(PS_WAIT_READ, 5, PS_FD_PIPE, 0);

	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[io: read fd 5 pipe]");
	k = key(PS_WAIT_WRITE, 7, PS_FD_SOCKET, 1);
	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[io: write fd 7 socket]");
	k = key(PS_WAIT_GIL, -1, 0, 202);
	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[GIL]");
	k = key(PS_WAIT_SYSCALL, -1, 0, 61);
	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[wait: wait4]");
	k = key(200, -1, 0, 0); /* out of range: not trusted */
	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[off-CPU]");
	k = key(PS_WAIT_READ, 3, 99, 0);
	cr_expect_str_eq(wall_reason_frame(&k, buf, sizeof(buf)), "[io: read fd 3 ?]");
}

Test(wall_reasons, classes_round_trip_through_the_frame)
{
	char buf[64];

	for (uint8_t r = 1; r < PS_WAIT__COUNT; r++) {
		struct ps_offcpu_key k = key(r, 4, PS_FD_FILE, 61);

		cr_expect_eq(wall_class_of_frame(wall_reason_frame(&k, buf, sizeof(buf))),
			     wall_reason_class(&k), "reason %u", r);
	}
	cr_expect_eq(wall_class_of_frame("[CPU]"), WALL_OTHER); /* [CPU] is the caller's */
	cr_expect_str_eq(wall_class_name(WALL_GIL), "GIL");
}
