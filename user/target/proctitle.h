/* SPDX-License-Identifier: MIT */
/*
 * A process's name for people: from its command line, not its 15-byte comm
 * (`hg update`, `gunicorn: worker [app:app]`, `python3 -m http.server`),
 * and --name REGEX matched against it.
 */
#ifndef PYSTROBE_PROCTITLE_H
#define PYSTROBE_PROCTITLE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROCTITLE_MAX 64 /* bytes kept of a name; longer ones end in "..." */

/*
 * The name of a process from its /proc cmdline bytes (n of them, NUL-separated
 * arguments) and comm: argv[0]'s basename and the arguments, a `*.py` script
 * by its basename; a script run through its #! line (comm names argv[1]) by
 * the script's name alone; a setproctitle title (one argument holding spaces)
 * as it is. Cut to cap-1 bytes at a space, with "...". Not escaped: writers
 * escape (lib/textesc), the name holds whatever bytes the target chose.
 */
void proctitle_from(const char *cmdline, size_t n, const char *comm, char *buf, size_t cap);

/* proctitle_from() of a live pid; "?" when gone. */
void proc_display_name(pid_t pid, char *buf, size_t cap);

/* --name: does re match pid's name or its whole command line (spaces between arguments)? */
bool proctitle_match(pid_t pid, const regex_t *re);

#endif /* PYSTROBE_PROCTITLE_H */
