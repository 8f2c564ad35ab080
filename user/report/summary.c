// SPDX-License-Identifier: MIT
/* The end-of-run summary and the provenance lines every output carries. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "lib/jsonw.h"
#include "lib/textesc.h"
#include "report/summary.h"
#include "target/refusals.h"

#define TOP_N 10
#define FN_COLS 62 /* function column: the table stays within 80 columns */

/* What each BPF counter means, and what to do about it; NULL: not a loss. */
static const struct {
	const char *what;
	const char *hint;
} bpf_stat_info[PS_STAT__COUNT] = {
	[PS_STAT_RINGBUF_FULL] = { "samples lost: ring buffer full",
				   "lower -F or raise --ringbuf-kb" },
	[PS_STAT_SYM_RINGBUF_FULL] = { "symbol records lost: ring buffer full",
				       "re-sent later; raise --ringbuf-kb" },
	[PS_STAT_PROC_RINGBUF_FULL] = { "process events lost: ring buffer full",
					"short-lived processes may be missed" },
	[PS_STAT_NO_RUNTIME] = { "samples before the interpreter was initialised",
				 "normal while a process starts" },
	[PS_STAT_NO_TSTATE] = { "samples of threads without a Python thread state",
				"native threads or start-up: [no Python thread state]" },
	[PS_STAT_READ_TSTATE] = { "thread-state reads failed",
				  "process exiting or its memory changing under the reader" },
	[PS_STAT_READ_FRAME] = { "stacks cut at an unreadable frame", "shown as [unreadable]" },
	[PS_STAT_TRUNCATED] = { "stacks deeper than the frame limit",
				"shown as [truncated]; raise --max-frames" },
	[PS_STAT_SYM_READ] = { "function names not readable when first sampled",
			       "read again from the live process at the end when possible" },
	[PS_STAT_WALK_LIMIT] = { "thread lists longer than the walk limit",
				 "threads beyond it are not sampled" },
	[PS_STAT_GIL_NO_SLOT] = { "GIL events of threads with no accounting slot",
				  "more than 16384 threads at once" },
	[PS_STAT_GIL_EVENT_FULL] = { "GIL timeline events lost: ring buffer full",
				     "the timeline has gaps" },
	[PS_STAT_GIL_STACK_FULL] = { "GIL wait stacks lost: ring buffer full",
				     "the wait graph undercounts" },
	[PS_STAT_SYS_NR] = { "syscalls with numbers beyond the table", "not counted" },
	[PS_STAT_SYS_NO_STORAGE] = { "syscalls of threads whose counters could not be allocated",
				     "not counted" },
	[PS_STAT_SYS_STACK_FULL] = { "syscall stack samples lost: ring buffer full",
				     "call sites undercount" },
	[PS_STAT_SYS_DONE_FULL] = { "exited threads' syscall counters lost",
				    "more than 16384 exited threads" },
	[PS_STAT_NO_TRAILER_ROOM] = { "samples whose C / kernel stack or syscall did not fit",
				      "those samples show Python frames only" },
	[PS_STAT_OFFCPU_STACK_FULL] = { "off-CPU stacks lost: ring buffer full",
					"their time shows as [stack lost]" },
	[PS_STAT_OFFCPU_MAP_FULL] = { "off-CPU intervals lost: map full", "wall time undercounts" },
};

const char *summary_stat_name(unsigned id)
{
	static const char *const names[PS_STAT__COUNT] = {
		[PS_STAT_SAMPLES] = "samples",
		[PS_STAT_RINGBUF_FULL] = "ringbuf_full",
		[PS_STAT_SYM_RINGBUF_FULL] = "symbol_ringbuf_full",
		[PS_STAT_PROC_RINGBUF_FULL] = "proc_ringbuf_full",
		[PS_STAT_NO_RUNTIME] = "no_runtime",
		[PS_STAT_NO_TSTATE] = "no_tstate",
		[PS_STAT_READ_TSTATE] = "tstate_unreadable",
		[PS_STAT_READ_FRAME] = "frame_unreadable",
		[PS_STAT_TRUNCATED] = "truncated",
		[PS_STAT_SYM_READ] = "symbol_unreadable",
		[PS_STAT_TSTATE_WALK] = "tstate_walks",
		[PS_STAT_WALK_LIMIT] = "walk_limit",
		[PS_STAT_GIL_NO_SLOT] = "gil_no_slot",
		[PS_STAT_GIL_EVENT_FULL] = "gil_event_ringbuf_full",
		[PS_STAT_GIL_STACK_FULL] = "gil_stack_ringbuf_full",
		[PS_STAT_SYS_NR] = "sys_nr_out_of_range",
		[PS_STAT_SYS_NO_STORAGE] = "sys_no_storage",
		[PS_STAT_SYS_STACK_FULL] = "sys_stack_ringbuf_full",
		[PS_STAT_SYS_DONE_FULL] = "sys_done_full",
		[PS_STAT_NO_TRAILER_ROOM] = "no_trailer_room",
		[PS_STAT_OFFCPU_SWITCHES] = "offcpu_switches",
		[PS_STAT_OFFCPU_STACK_FULL] = "offcpu_stack_ringbuf_full",
		[PS_STAT_OFFCPU_MAP_FULL] = "offcpu_map_full",
	};

	return id < PS_STAT__COUNT ? names[id] : "?";
}

/* Append one kv if there is room. */
static void kv_add(struct report_kv *kv, size_t cap, size_t *nr, const char *key, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

static void kv_add(struct report_kv *kv, size_t cap, size_t *nr, const char *key, const char *fmt,
		   ...)
{
	va_list ap;

	if (*nr >= cap)
		return;
	kv[*nr].key = key;
	va_start(ap, fmt);
	vsnprintf(kv[*nr].value, sizeof(kv[*nr].value), fmt, ap);
	va_end(ap);
	(*nr)++;
}

size_t summary_kv(const struct run_stats *rs, const struct profile *p, struct report_kv *kv,
		  size_t cap)
{
	size_t nr = 0;

	kv_add(kv, cap, &nr, "pystrobe", "%s", PS_VERSION);
	kv_add(kv, cap, &nr, "command", "%s", rs->command ? rs->command : "");
	kv_add(kv, cap, &nr, "started", "%s", rs->started);
	kv_add(kv, cap, &nr, "duration_s", "%.3f", rs->duration_s);
	kv_add(kv, cap, &nr, "frequency_hz", "%u", rs->freq_hz);
	kv_add(kv, cap, &nr, "samples", "%llu", (unsigned long long)rs->nr_samples);
	kv_add(kv, cap, &nr, "processes", "%llu", (unsigned long long)rs->nr_procs);
	kv_add(kv, cap, &nr, "unsupported_processes", "%llu",
	       (unsigned long long)rs->nr_unsupported);
	for (unsigned id = 0; id < PS_STAT__COUNT; id++)
		if (bpf_stat_info[id].what && rs->bpf[id])
			kv_add(kv, cap, &nr, summary_stat_name(id), "%llu",
			       (unsigned long long)rs->bpf[id]);
	if (p && p->nr_unknown_code)
		kv_add(kv, cap, &nr, "unknown_code", "%llu",
		       (unsigned long long)p->nr_unknown_code);
	if (p && p->nr_lines_unknown)
		kv_add(kv, cap, &nr, "lines_unknown", "%llu",
		       (unsigned long long)p->nr_lines_unknown);
	if (rs->nr_malformed)
		kv_add(kv, cap, &nr, "malformed_records", "%llu",
		       (unsigned long long)rs->nr_malformed);
	for (unsigned r = 0; r < REFUSED__COUNT; r++)
		if (refusals_get(r))
			kv_add(kv, cap, &nr, refusals_name(r), "%llu",
			       (unsigned long long)refusals_get(r));
	return nr;
}

/* Where a path's tail says the most: after site-packages (or Python's lib dir), else "dir/file". */
static const char *short_path(const char *file)
{
	static const char *const roots[] = { "/site-packages/", "/dist-packages/" };
	const char *p, *last = strrchr(file, '/'), *cut = file;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if ((p = strstr(file, roots[i])))
			return p + strlen(roots[i]);
	if ((p = strstr(file, "/lib/python")) && (p = strchr(p + 1, '/')) && strchr(p + 1, '/'))
		return strchr(p + 1, '/') + 1; /* the standard library: "json/decoder.py" */
	if (strstr(file, ".so"))
		return last ? last + 1 : file; /* a native module: its soname */
	for (p = file; last && p < last; p++)
		if (*p == '/')
			cut = p + 1;
	return cut;
}

/*
 * "name (path:line)" in width bytes (names are mostly ASCII), escaped; a
 * native frame (no line) is "name (libfoo.so.1)". What does not fit is cut
 * from the name's head ("...Builder._get_local_toctree": the method says
 * more than its class), never inside the parenthesis, whose path loses its
 * head first.
 */
static void fn_label(const struct fn_stat *fn, int32_t line, char *buf, size_t width)
{
	char name[3 * FN_COLS], file[3 * FN_COLS], tail[4 * FN_COLS];
	size_t nlen, tlen, flen;

	textesc_name(fn->name, name, sizeof(name));
	textesc_name(short_path(fn->file), file, sizeof(file));
	flen = strlen(file);
	if (flen > width / 2) { /* keep its end: the file's own name */
		memmove(file + 3, file + flen - (width / 2 - 3), width / 2 - 3 + 1);
		memcpy(file, "...", 3);
	}
	tail[0] = '\0';
	if (file[0] && line > 0)
		snprintf(tail, sizeof(tail), " (%s:%d)", file, line);
	else if (file[0])
		snprintf(tail, sizeof(tail), " (%s)", file);
	tlen = strlen(tail);
	nlen = strlen(name);
	if (nlen + tlen > width) {
		memmove(name + 3, name + nlen - (width - tlen - 3), width - tlen - 3 + 1);
		memcpy(name, "...", 3);
		nlen = width - tlen;
	}
	memcpy(buf, name, nlen); /* the path is at most width / 2: the tail fits */
	memcpy(buf + nlen, tail, tlen + 1);
}

static double pct(uint64_t part, uint64_t total)
{
	return total ? 100.0 * part / total : 0.0;
}

/* One table of the top functions in the order of fns. */
static void print_top(FILE *f, const char *title, struct fn_stat *const *fns, size_t nr,
		      uint64_t total, bool by_self)
{
	char label[FN_COLS + 1];

	size_t shown = 0, nr_wrappers = 0;

	fprintf(f, "%s\n  %6s  %6s  %s\n", title, "self%", "total%", "function (file:line)");
	for (size_t i = 0; i < nr && shown < TOP_N; i++) {
		if (by_self ? !fns[i]->self : !fns[i]->total)
			break;
		if (!by_self && profile_fn_is_wrapper(fns[i])) {
			nr_wrappers++; /* the function it calls stands for it */
			continue;
		}
		fn_label(fns[i], by_self ? fns[i]->hot_line : fns[i]->firstlineno, label, FN_COLS);
		fprintf(f, "  %5.1f%%  %5.1f%%  %s\n", pct(fns[i]->self, total),
			pct(fns[i]->total, total), label);
		shown++;
	}
	if (nr_wrappers)
		fprintf(f,
			"  (%zu callers left out: each spends 98%%+ of its time in one callee)\n",
			nr_wrappers);
}

static int cmp_total(const void *pa, const void *pb)
{
	const struct fn_stat *a = *(struct fn_stat *const *)pa, *b = *(struct fn_stat *const *)pb;

	if (a->total != b->total)
		return a->total < b->total ? 1 : -1;
	return strcmp(a->name, b->name) ?: strcmp(a->file, b->file);
}

/* The processes profiled, one line each. */
static void print_procs(FILE *f, const struct targets *ts)
{
	struct target *t;
	char ver[32], esc[512];

	hashmap_for_each(&ts->by_key, t)
	{
		/* the name whole: "gunicorn: worker [app:app]" cut at 28 said nothing */
		fprintf(f, "  %7d  %-28s  CPython %-8s %llu samples\n", (int)t->t.pid,
			textesc_name(t->t.label, esc, sizeof(esc)),
			pyversion_str(&t->t.ver, ver, sizeof(ver)),
			(unsigned long long)t->nr_samples);
		/* a container's process: its pod and container, else the pid it sees and its cgroup */
		if (container_label(&t->t.ns.ct, esc, sizeof(esc))[0])
			fprintf(f, "           container: [%s]\n", esc);
		else if (t->t.ns.other_ns)
			fprintf(f, "           container: pid %d in its namespace, cgroup %s\n",
				(int)t->t.ns.ns_pid,
				t->t.ns.cgroup[0] ? textesc_name(t->t.ns.cgroup, esc, sizeof(esc)) :
						    "?");
	}
}

/* One userspace loss line when count is non-zero. */
static void drop_line(FILE *f, uint64_t count, const char *what, size_t *nr)
{
	if (!count)
		return;
	fprintf(f, "  %llu %s\n", (unsigned long long)count, what);
	(*nr)++;
}

/* Every non-zero loss with its hint; "none" when the run lost nothing. */
void summary_print_drops(FILE *f, const struct run_stats *rs, const struct profile *p)
{
	size_t nr = 0;

	fprintf(f, "drops and failures:\n");
	for (unsigned id = 0; id < PS_STAT__COUNT; id++) {
		if (!bpf_stat_info[id].what || !rs->bpf[id])
			continue;
		fprintf(f, "  %llu %s (%s)\n", (unsigned long long)rs->bpf[id],
			bpf_stat_info[id].what, bpf_stat_info[id].hint);
		nr++;
	}
	drop_line(f, p ? p->nr_unknown_code : 0,
		  "frames of code objects never named (shown as [unknown code])", &nr);
	drop_line(f, p ? p->nr_lines_unknown : 0,
		  "frames whose line table was unusable (shown at the def line)", &nr);
	drop_line(f, rs->nr_malformed, "malformed ring-buffer records ignored", &nr);
	drop_line(f, rs->nr_unsupported, "Python processes of unsupported versions skipped", &nr);
	drop_line(f, rs->nr_vanished, "processes gone before they were examined", &nr);
	drop_line(f, rs->nr_bpf_full, "processes not profiled: procs map full", &nr);
	drop_line(f, rs->nr_gil_filtered, "samples left out by --gil (GIL not held or unknown)",
		  &nr);
	nr += refusals_print(f, "  "); /* what a hostile target could not make us read */
	for (size_t i = 0; i < rs->nr_notes; i++)
		fprintf(f, "  %s\n", rs->notes[i]);
	if (!nr && !rs->nr_notes)
		fprintf(f, "  none\n");
}

/*
 * What pystrobe itself cost: its CPU while sampling (per sample and as a
 * share of one core), set-up and report CPU, peak RSS, and BPF run time.
 */
static void print_cost(FILE *f, const struct run_stats *rs)
{
	double secs = rs->duration_s > 0 ? rs->duration_s : 1;
	double n = rs->nr_samples ? rs->nr_samples : 1;

	fprintf(f, "cost: sampling CPU %.1f ms", rs->cpu_loop_ns / 1e6);
	if (rs->duration_s >= 1)
		fprintf(f, " (%.3f%% of a core)", rs->cpu_loop_ns / 1e7 / secs);
	fprintf(f, " = %.2f us/sample; set-up %.0f ms, report %.0f ms; peak RSS %.1f MB\n",
		rs->cpu_loop_ns / 1e3 / n, rs->cpu_setup_ns / 1e6, rs->cpu_report_ns / 1e6,
		rs->peak_rss_kb / 1024.0);
	if (rs->bpf_stats_enabled && rs->bpf_run_cnt)
		fprintf(f,
			"cost: BPF %.2f us/run over %llu runs (%.2f us per sample if every run "
			"is charged to a sample); per sample BPF + sampling CPU = %.2f us\n",
			rs->bpf_run_ns / 1e3 / rs->bpf_run_cnt, (unsigned long long)rs->bpf_run_cnt,
			rs->bpf_run_ns / 1e3 / n,
			rs->bpf_run_ns / 1e3 / rs->bpf_run_cnt + rs->cpu_loop_ns / 1e3 / n);
	else
		fprintf(f, "cost: BPF run time not counted (sysctl kernel.bpf_stats_enabled=1)\n");
}

/* The signals pystrobe stops a command with, by name. */
static const char *sig_name(int sig)
{
	return sig == SIGINT  ? "SIGINT" :
	       sig == SIGTERM ? "SIGTERM" :
	       sig == SIGKILL ? "SIGKILL" :
				"?";
}

/* How the `-- CMD` command ended, and what that makes pystrobe's exit status. */
static void print_child(FILE *f, const struct run_stats *rs)
{
	int st = rs->child_status;

	if (rs->child_end == RUN_CHILD_LEFT)
		fprintf(f, "  the command was left running (--detach): pid %d\n", rs->child_pid);
	else if (rs->child_end == RUN_CHILD_STOPPED)
		fprintf(f, "  the command still ran at the end: stopped with %s\n",
			sig_name(rs->child_stop_sig));
	else if (st < 0 || rs->child_end != RUN_CHILD_EXITED)
		return;
	else if (WIFEXITED(st) && WEXITSTATUS(st))
		fprintf(f, "  the command exited with status %d (so does pystrobe)\n",
			WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		fprintf(f, "  the command was killed by signal %d (pystrobe exits %d)\n",
			WTERMSIG(st), 128 + WTERMSIG(st));
}

void summary_print(FILE *f, const struct run_stats *rs, const struct profile *p,
		   const struct targets *ts, const char *output)
{
	struct fn_stat **by_total = NULL;

	fprintf(f, "pystrobe: %llu samples from %llu process%s in %.1f s at %u Hz%s%s\n",
		(unsigned long long)rs->nr_samples, (unsigned long long)rs->nr_procs,
		rs->nr_procs == 1 ? "" : "es", rs->duration_s, rs->freq_hz,
		output ? ", written to " : "", output ? output : "");
	print_procs(f, ts);
	print_child(f, rs);
	if (p && p->nr_fns) {
		print_top(f, "top functions by self time:", p->fns, p->nr_fns, p->total, true);
		by_total = calloc(p->nr_fns, sizeof(*by_total));
		if (by_total) {
			memcpy(by_total, p->fns, p->nr_fns * sizeof(*by_total));
			qsort(by_total, p->nr_fns, sizeof(*by_total), cmp_total);
			print_top(f, "top functions by total time:", by_total, p->nr_fns, p->total,
				  false);
			free(by_total);
		}
	}
	summary_print_drops(f, rs, p);
	print_cost(f, rs);
}

void summary_json_head(struct jsonw *j, const char *schema, const struct run_stats *rs,
		       uint64_t duration_ns)
{
	jsonw_begin_object(j);
	jsonw_kv_str(j, "schema", schema);
	jsonw_kv_str(j, "pystrobe", PS_VERSION);
	jsonw_kv_str(j, "command", rs->command ? rs->command : "");
	jsonw_kv_str(j, "started", rs->started);
	jsonw_kv_uint(j, "duration_ns", duration_ns);
	jsonw_key(j, "refused");
	jsonw_begin_object(j);
	for (unsigned r = 0; r < REFUSED__COUNT; r++)
		jsonw_kv_uint(j, refusals_name(r), refusals_get(r));
	jsonw_end_object(j);
}

int summary_json_end(struct jsonw *j)
{
	jsonw_end_object(j);
	fputc('\n', j->f);
	return ferror(j->f) ? -EIO : 0;
}
