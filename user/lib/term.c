// SPDX-License-Identifier: MIT
/* Raw keys and the alternate screen for `pystrobe top`, with a clean restore. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "lib/term.h"

#define ALT_SCREEN_ON "\033[?1049h\033[?25l\033[H\033[2J" /* alt screen, hide cursor, clear */
#define ALT_SCREEN_OFF "\033[?25h\033[?1049l" /* show cursor, back to the main screen */

int term_write(const struct term *t, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(t->out_fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int term_enter(struct term *t, int in_fd, int out_fd)
{
	struct termios raw;

	memset(t, 0, sizeof(*t));
	t->out_fd = out_fd;
	t->in_fd = isatty(in_fd) ? in_fd : -1;
	if (t->in_fd >= 0 && tcgetattr(t->in_fd, &t->saved) == 0) {
		t->saved_ok = true;
		raw = t->saved;
		/* no line editing or echo; ISIG stays: Ctrl-C still sends SIGINT */
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0; /* read() returns at once when no key waits */
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(t->in_fd, TCSAFLUSH, &raw))
			return -errno;
	}
	t->active = true;
	return term_write(t, ALT_SCREEN_ON, strlen(ALT_SCREEN_ON));
}

void term_leave(struct term *t)
{
	if (t->active)
		term_write(t, ALT_SCREEN_OFF, strlen(ALT_SCREEN_OFF));
	if (t->saved_ok)
		tcsetattr(t->in_fd, TCSAFLUSH, &t->saved);
	t->active = false;
	t->saved_ok = false;
}

void term_size(const struct term *t, unsigned *cols, unsigned *lines)
{
	struct winsize ws;

	*cols = 80;
	*lines = 24;
	if (ioctl(t->out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
		*cols = ws.ws_col;
		*lines = ws.ws_row;
	}
}

int term_key(const struct term *t)
{
	unsigned char c;

	if (t->in_fd < 0 || read(t->in_fd, &c, 1) != 1)
		return -1;
	return c;
}
