// SPDX-License-Identifier: MIT
/* What each off-CPU reason is called, and which syscalls mean which wait. */
#include <stdio.h>
#include <string.h>
#include "kernel/syscalls_names.h"
#include "wall/wall_reasons.h"

/* x86_64 syscalls a thread waits in, by what the wait means; the rest: PS_SYSW_NONE. */
static const struct {
	uint16_t nr;
	uint8_t wait; /* enum ps_sys_wait */
} sys_waits[] = {
	{ 0, PS_SYSW_READ }, /* read */
	{ 1, PS_SYSW_WRITE }, /* write */
	{ 7, PS_SYSW_POLL }, /* poll */
	{ 17, PS_SYSW_READ }, /* pread64 */
	{ 18, PS_SYSW_WRITE }, /* pwrite64 */
	{ 19, PS_SYSW_READ }, /* readv */
	{ 20, PS_SYSW_WRITE }, /* writev */
	{ 23, PS_SYSW_SELECT }, /* select: time.sleep before 3.11 is select(0, ...) */
	{ 34, PS_SYSW_SLEEP }, /* pause */
	{ 35, PS_SYSW_SLEEP }, /* nanosleep */
	{ 44, PS_SYSW_WRITE }, /* sendto */
	{ 45, PS_SYSW_READ }, /* recvfrom */
	{ 46, PS_SYSW_WRITE }, /* sendmsg */
	{ 47, PS_SYSW_READ }, /* recvmsg */
	{ 202, PS_SYSW_FUTEX }, /* futex */
	{ 230, PS_SYSW_SLEEP }, /* clock_nanosleep */
	{ 232, PS_SYSW_EPOLL }, /* epoll_wait */
	{ 270, PS_SYSW_SELECT }, /* pselect6 */
	{ 271, PS_SYSW_POLL }, /* ppoll */
	{ 281, PS_SYSW_EPOLL }, /* epoll_pwait */
	{ 295, PS_SYSW_READ }, /* preadv */
	{ 296, PS_SYSW_WRITE }, /* pwritev */
	{ 299, PS_SYSW_READ }, /* recvmmsg */
	{ 441, PS_SYSW_EPOLL }, /* epoll_pwait2 */
	{ 449, PS_SYSW_FUTEX }, /* futex_waitv */
};

void wall_sys_table(uint8_t out[PS_OFFCPU_SYS_MAX])
{
	memset(out, PS_SYSW_NONE, PS_OFFCPU_SYS_MAX);
	for (size_t i = 0; i < sizeof(sys_waits) / sizeof(sys_waits[0]); i++)
		out[sys_waits[i].nr] = sys_waits[i].wait;
}

static const char *const fd_kinds[] = {
	[PS_FD_UNKNOWN] = "?",	   [PS_FD_FILE] = "file",   [PS_FD_PIPE] = "pipe",
	[PS_FD_SOCKET] = "socket", [PS_FD_OTHER] = "other",
};

/* Per reason: the fixed frame (NULL: built from the key), label and summary column. */
static const struct {
	const char *frame, *label;
	enum wall_class cls;
} reasons[PS_WAIT__COUNT] = {
	[0] = { "[off-CPU]", "other", WALL_OTHER },
	[PS_WAIT_RUNNABLE] = { "[runnable]", "runnable", WALL_RUNNABLE },
	[PS_WAIT_SLEEP] = { "[sleep]", "sleep", WALL_SLEEP },
	[PS_WAIT_LOCK] = { "[lock]", "lock", WALL_LOCK },
	[PS_WAIT_GIL] = { "[GIL]", "GIL", WALL_GIL },
	[PS_WAIT_READ] = { NULL, "io", WALL_IO },
	[PS_WAIT_WRITE] = { NULL, "io", WALL_IO },
	[PS_WAIT_POLL] = { "[io: poll]", "io", WALL_IO },
	[PS_WAIT_EPOLL] = { "[io: epoll_wait]", "io", WALL_IO },
	[PS_WAIT_DISK] = { "[disk]", "disk", WALL_DISK },
	[PS_WAIT_SYSCALL] = { NULL, "other", WALL_OTHER },
	[PS_WAIT_OTHER] = { "[off-CPU]", "other", WALL_OTHER },
};

static unsigned reason_of(const struct ps_offcpu_key *k)
{
	return k->reason < PS_WAIT__COUNT ? k->reason : 0;
}

const char *wall_reason_frame(const struct ps_offcpu_key *k, char *buf, size_t len)
{
	unsigned r = reason_of(k);
	const char *sys = syscalls_name(k->sys_nr);

	if (reasons[r].frame)
		return reasons[r].frame;
	if (r == PS_WAIT_SYSCALL)
		snprintf(buf, len, "[wait: %s]", sys ? sys : "syscall");
	else
		snprintf(buf, len, "[io: %s fd %d %s]", r == PS_WAIT_READ ? "read" : "write", k->fd,
			 fd_kinds[k->fd_kind <= PS_FD_OTHER ? k->fd_kind : 0]);
	return buf;
}

const char *wall_reason_label(const struct ps_offcpu_key *k)
{
	return reasons[reason_of(k)].label;
}

enum wall_class wall_reason_class(const struct ps_offcpu_key *k)
{
	return reasons[reason_of(k)].cls;
}

const char *wall_class_name(enum wall_class c)
{
	static const char *const names[WALL__COUNT] = { "running", "runnable", "GIL",  "lock",
							"sleep",   "io",       "disk", "other" };

	return c < WALL__COUNT ? names[c] : "?";
}

enum wall_class wall_class_of_frame(const char *frame)
{
	if (!strncmp(frame, "[io:", 4))
		return WALL_IO;
	for (unsigned r = 1; r < PS_WAIT__COUNT; r++)
		if (reasons[r].frame && !strcmp(reasons[r].frame, frame))
			return reasons[r].cls;
	return WALL_OTHER;
}
