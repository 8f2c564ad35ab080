// SPDX-License-Identifier: MIT
/* `pystrobe record`: sample until told to stop, then write the profile and the summary. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "profile.h"
#include "record.h"
#include "report.h"
#include "runner.h"
#include "session.h"
#include "summary.h"

/* Default output name: pystrobe-YYYYmmdd-HHMMSS.<ext>. */
static const char *default_output(const char *format, char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "pystrobe-%s.%s", stamp, strcmp(format, "folded") ? "svg" : "folded");
	return buf;
}

/* Peak resident memory of pystrobe so far. */
static uint64_t peak_rss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss;
}

/* Build the profile, write it, print the summary. 0 or -errno (reported). */
static int write_outputs(struct session *s, const struct record_opts *o)
{
	const struct report_ops *ops = report_find(o->format);
	struct profile_opts po = { .threads = o->threads, .split_gil = o->split_gil };
	struct report_kv kv[SUMMARY_KV_MAX];
	char name[64];
	const char *out = o->output ? o->output : default_output(o->format, name, sizeof(name));
	struct report_meta meta = { .title = "pystrobe record", .unit = "samples", .kv = kv };
	struct profile p;
	FILE *sf = stderr;
	uint64_t report_start = session_cpu_ns();
	int err = profile_build(&p, &s->agg, &s->symtab, &s->targets, &po, &s->pool);

	if (err) {
		ps_err("profile: cannot build: %s", strerror(-err));
		goto out;
	}
	meta.nr_kv = summary_kv(&s->stats, &p, kv, SUMMARY_KV_MAX);
	err = report_write_file(ops, out, p.stacks, p.nr_stacks, &meta);
	if (err)
		ps_err("%s: cannot write the %s output: %s", out, ops->name, strerror(-err));
	s->stats.cpu_report_ns = session_cpu_ns() - report_start;
	s->stats.peak_rss_kb = peak_rss_kb();
	if (o->summary_path && !(sf = fopen(o->summary_path, "w"))) {
		ps_err("%s: cannot write the summary: %s", o->summary_path, strerror(errno));
		sf = stderr;
	}
	if (log_get_level() >= LOG_NORMAL || sf != stderr)
		summary_print(sf, &s->stats, &p, &s->targets, err ? NULL : out);
	if (sf != stderr)
		fclose(sf);
out:
	profile_free(&p);
	return err;
}

int record_run(const struct record_opts *o)
{
	struct session *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return 1;
	struct session_cfg cfg = { o->freq_hz, o->max_frames, o->ringbuf_bytes,
				   o->target.mode == RUN_ALL, false };

	err = session_open(s, &cfg);
	s->gil_only = o->gil_only;
	s->stats.command = o->command_line;
	err = err ?: runner_run(s, &o->target, NULL);
	err = err ?: write_outputs(s, o);
	session_close(s);
	free(s);
	return err ? 1 : 0;
}
