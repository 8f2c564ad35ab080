/* SPDX-License-Identifier: MIT */
/*
 * The terminal of `pystrobe top`: keys without Enter or echo (Ctrl-C still
 * signals), the alternate screen, a hidden cursor, and the restore of all
 * of it on every way out.
 */
#ifndef PYSTROBE_TERM_H
#define PYSTROBE_TERM_H

#include <stdbool.h>
#include <termios.h>

struct term {
	int in_fd; /* keys: stdin when it is a terminal, else -1 */
	int out_fd; /* the screen */
	struct termios saved; /* in_fd's settings before term_enter */
	bool saved_ok; /* saved holds them: restore on leave */
	bool active; /* the alternate screen is up */
};

/* Take over the terminal on out_fd (keys from in_fd if it is a terminal). 0 or -errno. */
int term_enter(struct term *t, int in_fd, int out_fd);
/* Restore what term_enter changed; safe to call twice. */
void term_leave(struct term *t);
/* The terminal size (80x24 when unknown). */
void term_size(const struct term *t, unsigned *cols, unsigned *lines);
/* One key pressed since the last call, or -1 when none is waiting. */
int term_key(const struct term *t);
/* Write all of s (len bytes) to the screen. 0 or -errno. */
int term_write(const struct term *t, const char *s, size_t len);

#endif /* PYSTROBE_TERM_H */
