// SPDX-License-Identifier: MIT
/* The table of profile writers and the atomic write of one output file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

/*
 * Write through ops into of (opened by the caller, so a bad destination was
 * refused before the run) and close it: renamed into place on success, dropped
 * on failure. 0 or -errno.
 */
int report_write_file(const struct report_ops *ops, struct outfile *of,
		      const struct report_stack *stacks, size_t nr, const struct report_meta *meta)
{
	int err;

	if (!ops || !of || !of->f || !meta || (nr && !stacks)) {
		if (of && of->f)
			outfile_close(of, false);
		return -EINVAL;
	}
	err = ops->write(of->f, stacks, nr, meta);
	if (!err && ferror(of->f))
		err = -EIO;
	return outfile_close(of, !err) ?: err;
}
