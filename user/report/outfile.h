/* SPDX-License-Identifier: MIT */
/*
 * Every file pystrobe writes (profiles, summaries, JSON, timelines, diffs)
 * goes through here. pystrobe runs as root and the destination directory may
 * belong to someone else (/tmp, a shared results folder), so a name there is
 * never followed: the data goes to an unnamed (O_TMPFILE) or fresh random
 * (O_CREAT | O_EXCL | O_NOFOLLOW) file in the destination's directory, which
 * is renamed over the destination at the end; a symlink planted at the
 * destination is replaced, not followed. Readers never see half a file.
 * "-" is stdout.
 */
#ifndef PYSTROBE_OUTFILE_H
#define PYSTROBE_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *f; /* write here between open and close */
	const char *path; /* as given, for messages */
	int dir_fd; /* the destination's directory, held from open to close */
	char name[NAME_MAX + 1]; /* the destination's name in dir_fd */
	char tmp[NAME_MAX + 32]; /* the named temporary file; "" with O_TMPFILE */
	bool is_stdout;
};

/*
 * Open path for writing: checks the destination (its directory exists, it is
 * not a directory) and creates the temporary file, so a command can call it
 * before profiling and fail at once. 0 or -errno (nothing is left behind).
 */
int outfile_open(struct outfile *o, const char *path);
/*
 * Finish: flush and rename over the destination when ok, else drop the data
 * (a closed outfile can be closed again: -EBADF). 0 or -errno.
 */
int outfile_close(struct outfile *o, bool ok);
/* The reason of an outfile_open() error, for messages ("its directory does not exist"). */
const char *outfile_strerror(int err);

#endif /* PYSTROBE_OUTFILE_H */
