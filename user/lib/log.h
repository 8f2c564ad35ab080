/* SPDX-License-Identifier: MIT */
/* Diagnostics on stderr: "pystrobe: <subject>: <what failed>: <reason> (<hint>)". */
#ifndef PYSTROBE_LOG_H
#define PYSTROBE_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_QUIET = 0, /* errors only (-q) */
	LOG_NORMAL, /* errors, warnings, progress */
	LOG_VERBOSE, /* also libbpf output and details (-v) */
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* True when stderr is a terminal and progress may be drawn. */
bool log_stderr_is_tty(void);

void ps_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ps_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ps_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ps_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PYSTROBE_LOG_H */
