// SPDX-License-Identifier: MIT
/* Diagnostics on stderr, one line each, prefixed "pystrobe: ". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "lib/log.h"
#include "lib/textesc.h"

static enum log_level level = LOG_NORMAL;

void log_set_level(enum log_level l)
{
	level = l;
}

enum log_level log_get_level(void)
{
	return level;
}

bool log_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

/*
 * Print one diagnostic line when the current level allows it. Messages name
 * what targets chose (comm, paths, function names): control characters are
 * escaped so that they cannot drive the operator's terminal.
 */
static void emit(enum log_level min, const char *prefix, const char *fmt, va_list ap)
{
	char *msg = NULL;
	int n;

	if (level < min)
		return;
	n = vasprintf(&msg, fmt, ap);
	fprintf(stderr, "pystrobe: %s", prefix);
	if (n >= 0)
		textesc_write(stderr, msg, (size_t)n, 0);
	fputc('\n', stderr);
	free(msg);
}

void ps_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_QUIET, "", fmt, ap);
	va_end(ap);
}

void ps_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_NORMAL, "warning: ", fmt, ap);
	va_end(ap);
}

void ps_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_NORMAL, "", fmt, ap);
	va_end(ap);
}

void ps_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_VERBOSE, "debug: ", fmt, ap);
	va_end(ap);
}
