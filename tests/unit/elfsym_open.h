/* SPDX-License-Identifier: MIT */
/* Tests open fixture ELF files by path (the product opens target files only through tfile). */
#ifndef PYSTROBE_TEST_ELFSYM_OPEN_H
#define PYSTROBE_TEST_ELFSYM_OPEN_H

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "target/elfsym.h"

/* elfsym__open_fd on a fresh fd of path; NULL with errno. */
static inline struct elfsym *elfsym_open_path(const char *path)
{
	struct elfsym *e;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), saved;

	if (fd < 0)
		return NULL;
	e = elfsym__open_fd(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return e;
}

#endif /* PYSTROBE_TEST_ELFSYM_OPEN_H */
