// SPDX-License-Identifier: MIT
/* Atomic output files. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "report/outfile.h"

int outfile_open(struct outfile *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	if (!path || !*path)
		return -EINVAL;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->is_stdout = true;
		return 0;
	}
	if (strlen(path) >= sizeof(o->path))
		return -ENAMETOOLONG;
	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", path);
	o->f = fopen(o->tmp, "w");
	return o->f ? 0 : -errno;
}

int outfile_close(struct outfile *o, bool ok)
{
	int err = 0;

	if (!o->f)
		return -EBADF;
	if (o->is_stdout)
		return fflush(stdout) ? -errno : 0;
	if (ferror(o->f))
		err = -EIO;
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (ok && !err && rename(o->tmp, o->path))
		err = -errno;
	if (!ok || err)
		unlink(o->tmp);
	return err;
}
