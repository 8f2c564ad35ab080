// SPDX-License-Identifier: MIT
/* A process's name from its command line (see proctitle.h), and --name matching. */
#include <stdio.h>
#include <string.h>
#include "target/proctitle.h"
#include "target/procfs.h"

#define CMDLINE_MAX 4096 /* bytes of /proc/PID/cmdline read; the name needs far fewer */
#define COMM_LEN 16 /* TASK_COMM_LEN: comm is cut to 15 bytes */

/* The last path component of s. */
static const char *base_of(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash && slash[1] ? slash + 1 : s;
}

/* Does comm (cut to 15 bytes by the kernel) name the file at path? */
static bool comm_names(const char *comm, const char *path)
{
	size_t len = strnlen(comm, COMM_LEN - 1);

	return len > 0 && strncmp(base_of(path), comm, len) == 0;
}

/* Split n bytes of NUL-separated arguments into argv (at most max); their count. */
static size_t split_args(const char *cmdline, size_t n, const char **argv, size_t max)
{
	size_t nr = 0;

	for (size_t i = 0; i < n && nr < max; i += strnlen(cmdline + i, n - i) + 1)
		argv[nr++] = cmdline + i;
	while (nr > 1 && !argv[nr - 1][0])
		nr--; /* a setproctitle title pads the old argv area with NULs */
	return nr;
}

/* Append " word" (or "word" first) to buf; false once it no longer fits. */
static bool append(char *buf, size_t cap, size_t *len, const char *word)
{
	int n = snprintf(buf + *len, cap - *len, "%s%s", *len ? " " : "", word);

	if (n < 0 || (size_t)n >= cap - *len)
		return false;
	*len += (size_t)n;
	return true;
}

/* buf did not hold it all: cut back to a space that leaves room for "...". */
static void cut_with_dots(char *buf, size_t cap)
{
	size_t at = cap > 4 ? cap - 4 : 0, end = at;

	while (at > 0 && buf[at] != ' ')
		at--;
	buf[at > 0 ? at : end] = '\0'; /* no space: cut the one long word */
	snprintf(buf + strlen(buf), cap - strlen(buf), "...");
}

void proctitle_from(const char *cmdline, size_t n, const char *comm, char *buf, size_t cap)
{
	const char *argv[256];
	size_t nr = split_args(cmdline, n, argv, 256), first = 0, len = 0;
	bool fits = true;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (nr == 0 || !argv[0][0]) {
		snprintf(buf, cap, "%s", comm && comm[0] ? comm : "?");
		return;
	}
	if (nr == 1 && strchr(argv[0], ' ')) {
		fits = append(buf, cap, &len, argv[0]); /* a title the process set */
	} else {
		/* `#!/usr/bin/python3` script: comm is the script's name, argv[1] its path */
		if (nr > 1 && comm && !comm_names(comm, argv[0]) && comm_names(comm, argv[1]))
			first = 1;
		fits = append(buf, cap, &len, base_of(argv[first]));
		for (size_t i = first + 1; fits && i < nr; i++) {
			size_t l = strlen(argv[i]);
			bool script = i == first + 1 && l > 3 && !strcmp(argv[i] + l - 3, ".py");

			fits = append(buf, cap, &len, script ? base_of(argv[i]) : argv[i]);
		}
	}
	if (!fits)
		cut_with_dots(buf, cap);
}

/* /proc/PID/cmdline and comm (newline stripped); bytes of cmdline, <= 0 if gone. */
static ssize_t read_cmdline(pid_t pid, char *cmd, size_t cap, char *comm, size_t comm_cap)
{
	ssize_t n = procfs_read(pid, "cmdline", cmd, cap);

	comm[0] = '\0';
	if (procfs_read(pid, "comm", comm, comm_cap) > 0)
		comm[strcspn(comm, "\n")] = '\0';
	return n;
}

void proc_display_name(pid_t pid, char *buf, size_t cap)
{
	char cmd[CMDLINE_MAX], comm[32];
	ssize_t n = read_cmdline(pid, cmd, sizeof(cmd), comm, sizeof(comm));

	proctitle_from(cmd, n > 0 ? (size_t)n : 0, comm, buf, cap);
}

bool proctitle_match(pid_t pid, const regex_t *re)
{
	char cmd[CMDLINE_MAX], comm[32], name[PROCTITLE_MAX];
	ssize_t n = read_cmdline(pid, cmd, sizeof(cmd), comm, sizeof(comm));

	if (n <= 0)
		return false;
	proctitle_from(cmd, (size_t)n, comm, name, sizeof(name));
	if (!regexec(re, name, 0, NULL, 0))
		return true;
	for (ssize_t i = 0; i + 1 < n; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	return !regexec(re, cmd, 0, NULL, 0) || !regexec(re, comm, 0, NULL, 0);
}
