/* SPDX-License-Identifier: MIT */
/* Output files written as PATH.tmp then renamed, so readers never see half a file; "-" is stdout. */
#ifndef PYSTROBE_OUTFILE_H
#define PYSTROBE_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *f;
	char path[4096];
	char tmp[4096 + 8];
	bool is_stdout;
};

/* Open path for writing. 0 or -errno. */
int outfile_open(struct outfile *o, const char *path);
/* Finish: flush and rename when ok, else remove the temporary file. 0 or -errno. */
int outfile_close(struct outfile *o, bool ok);

#endif /* PYSTROBE_OUTFILE_H */
