// SPDX-License-Identifier: MIT
/* Syscall report: strace -c style tables, findings, text and JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/jsonw.h"
#include "lib/textesc.h"
#include "report/summary.h"
#include "syscalls/syscalls_report.h"
#include "kernel/syscalls_names.h"

static const char *const finding_names[SYS_F__COUNT] = {
	[SYS_F_BATCH_WRITES] = "small writes",
	[SYS_F_BATCH_READS] = "small reads",
	[SYS_F_TINY_SENDS] = "tiny socket sends",
	[SYS_F_REPEATED_PATH] = "same path again and again",
	[SYS_F_FSYNC_STORM] = "fsync storm",
	[SYS_F_BUSY_POLL] = "busy polling",
};

void syscalls_result_free(struct syscalls_result *r)
{
	for (size_t i = 0; i < r->nr_procs; i++)
		free(r->procs[i].rows);
	free(r->procs);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

int syscalls_result_add_finding(struct syscalls_result *r, const struct syscalls_finding *f)
{
	struct syscalls_finding *n = realloc(r->findings, (r->nr_findings + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	r->findings = n;
	n[r->nr_findings++] = *f;
	return 0;
}

uint64_t syscalls_batch_saving(uint64_t calls, uint64_t bytes)
{
	uint64_t needed = (bytes + SYS_BATCH_SIZE - 1) / SYS_BATCH_SIZE;

	return calls > needed ? calls - needed : 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct syscalls_row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? 1 : -1;
	return (x->nr > y->nr) - (x->nr < y->nr);
}

static int cmp_findings(const void *a, const void *b)
{
	const struct syscalls_finding *x = a, *y = b;

	if (x->saved != y->saved)
		return x->saved < y->saved ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->where, y->where);
}

static int cmp_procs(const void *a, const void *b)
{
	const struct syscalls_proc_report *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void syscalls_result_sort(struct syscalls_result *r)
{
	for (size_t i = 0; i < r->nr_procs; i++)
		qsort(r->procs[i].rows, r->procs[i].nr_rows, sizeof(struct syscalls_row), cmp_rows);
	qsort(r->procs, r->nr_procs, sizeof(*r->procs), cmp_procs);
	if (r->nr_findings) /* findings is NULL when there are none: qsort wants a pointer */
		qsort(r->findings, r->nr_findings, sizeof(*r->findings), cmp_findings);
}

static const char *name_of(uint32_t nr, char *buf, size_t len)
{
	const char *n = syscalls_name(nr);

	if (n)
		return n;
	snprintf(buf, len, "syscall_%u", nr);
	return buf;
}

/* One process table, strace -c style. */
static void text_proc(FILE *f, const struct syscalls_proc_report *p, bool latency, double secs)
{
	char nb[24], label[512];

	fprintf(f, "pid %u  %s%s%s  %llu syscalls\n", p->pid,
		textesc_name(p->label, label, sizeof(label)), p->python[0] ? "  CPython " : "",
		p->python, (unsigned long long)p->total_calls);
	if (p->unattributed)
		fprintf(f,
			"pid %u: CPython %s not supported: syscalls counted, not attributed to "
			"Python lines\n",
			p->pid, p->python);
	fprintf(f, "  %-16s %10s %8s %9s", "syscall", "calls", "errors", "calls/s");
	if (latency)
		fprintf(f, " %10s %8s %8s", "time ms", "us/call", "max us");
	fprintf(f, " %11s\n", "bytes asked");
	for (size_t i = 0; i < p->nr_rows && i < 20; i++) {
		const struct syscalls_row *r = &p->rows[i];

		fprintf(f, "  %-16s %10llu", name_of(r->nr, nb, sizeof(nb)),
			(unsigned long long)r->calls);
		if (latency)
			fprintf(f, " %8llu", (unsigned long long)r->errors);
		else
			fprintf(f, " %8s", "-");
		fprintf(f, " %9.0f", secs > 0 ? r->calls / secs : 0);
		if (latency)
			fprintf(f, " %10.1f %8.2f %8.0f", r->time_ns / 1e6,
				r->calls ? r->time_ns / 1e3 / r->calls : 0, r->max_ns / 1e3);
		fprintf(f, " %11llu\n", (unsigned long long)r->bytes_req);
	}
	if (p->nr_rows > 20)
		fprintf(f, "  ... %zu more syscall kinds (see --json)\n", p->nr_rows - 20);
}

/* One finding line. */
static void text_finding(FILE *f, const struct syscalls_finding *x)
{
	char nb[24], where[1024];

	fprintf(f, "- %s: pid %u, %s at %s\n", finding_names[x->kind], x->pid,
		name_of(x->nr, nb, sizeof(nb)), textesc_name(x->where, where, sizeof(where)));
	fprintf(f, "    %llu calls (%.0f/s", (unsigned long long)x->calls, x->per_s);
	if (x->exact)
		fprintf(f, ", exact: counted in the kernel)");
	else
		fprintf(f,
			x->kind == SYS_F_REPEATED_PATH ? ", at least: counted in the kernel)" :
							 ", estimated from %llu sampled calls)",
			(unsigned long long)x->samples);
	if (x->kind <= SYS_F_TINY_SENDS)
		fprintf(f, ", median %llu bytes, %llu bytes in all",
			(unsigned long long)x->median_bytes, (unsigned long long)x->bytes);
	if (x->time_ns)
		fprintf(f, ", %.1f ms in the kernel", x->time_ns / 1e6);
	fputc('\n', f);
	if (x->saved)
		fprintf(f, "    buffering to %d KiB would save %llu syscalls (%.1f%%)\n",
			SYS_BATCH_SIZE / 1024, (unsigned long long)x->saved,
			x->calls ? 100.0 * x->saved / x->calls : 0);
	if (x->site[0])
		fprintf(f, "    from %s\n", textesc_name(x->site, where, sizeof(where)));
}

void syscalls_write_text(FILE *f, const struct syscalls_result *r, const struct run_stats *rs)
{
	double secs = r->duration_ns / 1e9;

	fprintf(f, "pystrobe syscalls: %zu process%s over %.1f s%s\n", r->nr_procs,
		r->nr_procs == 1 ? "" : "es", secs, r->latency ? "" : " (add --latency for times)");
	for (size_t i = 0; i < r->nr_procs; i++)
		text_proc(f, &r->procs[i], r->latency, secs);
	if (r->nr_procs_full)
		fprintf(f, "syscalls: %llu processes not counted: process table full (%zu)\n",
			(unsigned long long)r->nr_procs_full, r->procs_max);
	if (r->paths_full)
		fprintf(f,
			"syscalls: path counters full (%d): the least recent were recycled, "
			"repeated-path counts are lower bounds\n",
			PS_SYS_PATHS_MAX);
	fprintf(f, "I/O batching candidates and other findings:\n");
	for (size_t i = 0; i < r->nr_findings; i++)
		text_finding(f, &r->findings[i]);
	if (!r->nr_findings)
		fprintf(f,
			"  none: no small I/O above %.0f calls/s, no repeated paths, fsync storms "
			"or busy polling\n",
			SYS_MANY_PER_S);
	(void)rs;
}

/* JSON rows of one process. */
static void json_rows(struct jsonw *j, const struct syscalls_proc_report *p)
{
	char nb[24];

	jsonw_key(j, "syscalls");
	jsonw_begin_array(j);
	for (size_t i = 0; i < p->nr_rows; i++) {
		const struct syscalls_row *r = &p->rows[i];

		jsonw_begin_object(j);
		jsonw_kv_str(j, "name", name_of(r->nr, nb, sizeof(nb)));
		jsonw_kv_uint(j, "nr", r->nr);
		jsonw_kv_uint(j, "calls", r->calls);
		jsonw_kv_uint(j, "errors", r->errors);
		jsonw_kv_uint(j, "time_ns", r->time_ns);
		jsonw_kv_uint(j, "max_ns", r->max_ns);
		jsonw_kv_uint(j, "bytes_requested", r->bytes_req);
		jsonw_kv_uint(j, "bytes_transferred", r->bytes_done);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
}

/* JSON of one finding. */
static void json_finding(struct jsonw *j, const struct syscalls_finding *x)
{
	char nb[24];

	jsonw_begin_object(j);
	jsonw_kv_str(j, "kind", finding_names[x->kind]);
	jsonw_kv_uint(j, "pid", x->pid);
	jsonw_kv_str(j, "syscall", name_of(x->nr, nb, sizeof(nb)));
	jsonw_kv_str(j, "where", x->where);
	jsonw_kv_str(j, "site", x->site);
	jsonw_kv_uint(j, "calls", x->calls);
	jsonw_kv_bool(j, "exact", x->exact);
	jsonw_kv_uint(j, "sampled_calls", x->samples);
	jsonw_kv_double(j, "calls_per_s", x->per_s);
	jsonw_kv_uint(j, "median_bytes", x->median_bytes);
	jsonw_kv_uint(j, "bytes", x->bytes);
	jsonw_kv_uint(j, "time_ns", x->time_ns);
	jsonw_kv_uint(j, "syscalls_saved", x->saved);
	jsonw_end_object(j);
}

int syscalls_write_json(FILE *f, const struct syscalls_result *r, const struct run_stats *rs)
{
	struct jsonw j;

	jsonw_init(&j, f);
	summary_json_head(&j, SYS_SCHEMA, rs, r->duration_ns);
	jsonw_kv_bool(&j, "latency", r->latency);
	/* processes left out: the process table was full */
	jsonw_kv_uint(&j, "processes_not_counted", r->nr_procs_full);
	jsonw_key(&j, "processes");
	jsonw_begin_array(&j);
	for (size_t i = 0; i < r->nr_procs; i++) {
		const struct syscalls_proc_report *p = &r->procs[i];

		jsonw_begin_object(&j);
		jsonw_kv_uint(&j, "pid", p->pid);
		jsonw_kv_str(&j, "name", p->label);
		jsonw_kv_str(&j, "python", p->python);
		jsonw_kv_bool(&j, "python_lines", !p->unattributed);
		jsonw_kv_uint(&j, "total_calls", p->total_calls);
		jsonw_kv_uint(&j, "zero_timeout_polls", p->zero_polls);
		jsonw_kv_uint(&j, "stack_sample_every", p->sample_every);
		json_rows(&j, p);
		jsonw_end_object(&j);
	}
	jsonw_end_array(&j);
	jsonw_key(&j, "findings");
	jsonw_begin_array(&j);
	for (size_t i = 0; i < r->nr_findings; i++)
		json_finding(&j, &r->findings[i]);
	jsonw_end_array(&j);
	return summary_json_end(&j);
}
