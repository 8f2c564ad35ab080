// SPDX-License-Identifier: MIT
/* The table of profile writers and the atomic write of one output file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "report/report.h"

static const struct report_ops *const all_ops[] = {
	&report_folded_ops,
	&report_flamegraph_ops,
	&report_pprof_ops,
	&report_speedscope_ops,
};

/* Look a --format value up in the table; NULL when no writer has that name. */
const struct report_ops *report_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(all_ops) / sizeof(all_ops[0]); i++)
		if (strcmp(all_ops[i]->name, name) == 0)
			return all_ops[i];
	return NULL;
}

/* The registered names joined for messages: "flamegraph, folded or pprof". */
const char *report_names(void)
{
	static char buf[128];
	size_t n = sizeof(all_ops) / sizeof(all_ops[0]), len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i == 0 ? "" : (i + 1 == n ? " or " : ", "), all_ops[i]->name);
	return buf;
}

/* Wall-clock start = now - duration; both in ns (pprof time_nanos, duration_nanos). */
void report_set_times(struct report_meta *meta, double duration_s)
{
	struct timespec now;
	uint64_t now_ns, dur_ns = duration_s > 0 ? (uint64_t)(duration_s * 1e9) : 0;

	clock_gettime(CLOCK_REALTIME, &now);
	now_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	meta->duration_ns = dur_ns;
	meta->start_unix_ns = now_ns > dur_ns ? now_ns - dur_ns : now_ns;
}

/* "-": write to stdout and flush, so a closed pipe is seen here and not at exit. */
static int write_stdout(const struct report_ops *ops, const struct report_stack *stacks, size_t nr,
			const struct report_meta *meta)
{
	int err = ops->write(stdout, stacks, nr, meta);

	if (fflush(stdout) && !err)
		err = errno ? -errno : -EIO;
	if (ferror(stdout) && !err)
		err = -EIO;
	return err;
}

/* Write through ops into an open tmp file and close it; 0 or -errno. */
static int write_tmp(const struct report_ops *ops, FILE *f, const struct report_stack *stacks,
		     size_t nr, const struct report_meta *meta)
{
	int err = ops->write(f, stacks, nr, meta);

	if (fflush(f) && !err)
		err = errno ? -errno : -EIO;
	if (ferror(f) && !err)
		err = -EIO;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	return err;
}

/*
 * path.tmp then rename(2), so a reader (or a previous profile at path) never
 * sees a half-written file; the tmp file is removed when anything fails.
 */
int report_write_file(const struct report_ops *ops, const char *path,
		      const struct report_stack *stacks, size_t nr, const struct report_meta *meta)
{
	size_t len;
	char *tmp;
	FILE *f;
	int err;

	if (!ops || !path || !*path || !meta || (nr && !stacks))
		return -EINVAL;
	if (strcmp(path, "-") == 0)
		return write_stdout(ops, stacks, nr, meta);
	len = strlen(path) + sizeof(".tmp");
	tmp = calloc(len, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		goto out_free;
	}
	err = write_tmp(ops, f, stacks, nr, meta);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
out_free:
	free(tmp);
	return err;
}
