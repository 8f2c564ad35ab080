// SPDX-License-Identifier: MIT
/* Diagnostics on stderr, one line each, prefixed "pystrobe: ". */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "lib/log.h"

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

/* Print one diagnostic line when the current level allows it. */
static void emit(enum log_level min, const char *prefix, const char *fmt, va_list ap)
{
	if (level < min)
		return;
	fprintf(stderr, "pystrobe: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
