// SPDX-License-Identifier: MIT
/*
 * Folded stacks ("a;b;c 42"), the input of flamegraph.pl, inferno and
 * speedscope: `# key: value` provenance lines, then one line per stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "lib/textesc.h"
#include "report/report.h"

/*
 * Write the first len bytes of s with those that would break the line format
 * replaced: ';' (frame separator) by ':' when in_frame, newline and CR by a
 * space; other control characters are escaped (lib/textesc.h), so a name a
 * target chose cannot drive the terminal of whoever reads the file.
 */
static void put_clean(FILE *f, const char *s, size_t len, int in_frame)
{
	size_t run;

	while (len) {
		for (run = 0; run < len; run++)
			if (s[run] == '\n' || s[run] == '\r' || (in_frame && s[run] == ';'))
				break;
		textesc_write(f, s, run, 0);
		if (run == len)
			break;
		fputc(s[run] == ';' ? ':' : ' ', f);
		s += run + 1;
		len -= run + 1;
	}
}

/* A NUL-terminated string (NULL shows as "?") through put_clean. */
static void put_str(FILE *f, const char *s, int in_frame)
{
	if (!s)
		s = "?";
	put_clean(f, s, strlen(s), in_frame);
}

/* The provenance header: one "# key: value" line per kv, in order, then the unit. */
static void put_header(FILE *f, const struct report_meta *meta)
{
	const struct report_kv *kv;

	for (size_t i = 0; i < meta->nr_kv; i++) {
		kv = &meta->kv[i];
		fputs("# ", f);
		put_str(f, kv->key, 0);
		fputs(": ", f);
		put_clean(f, kv->value, strnlen(kv->value, sizeof(kv->value)), 0);
		fputc('\n', f);
	}
	fputs("# unit: ", f);
	put_str(f, meta->unit ? meta->unit : "samples", 0);
	fputc('\n', f);
}

/*
 * One line: frame names root first joined by ';', a space, the weight. Kernel
 * frames end in "_[k]" (as perf writes them), native frames in "_[n]".
 */
static void put_stack(FILE *f, const struct report_stack *st)
{
	for (size_t i = 0; i < st->nr_frames; i++) {
		if (i)
			fputc(';', f);
		put_str(f, st->frames[i].name, 1);
		if (st->frames[i].kind == RF_KERNEL)
			fputs("_[k]", f);
		else if (st->frames[i].kind == RF_NATIVE)
			fputs("_[n]", f);
	}
	fprintf(f, " %" PRIu64 "\n", st->weight);
}

/* report_ops.write for "folded": stacks in the order given (the caller sorts). */
static int folded_write(FILE *f, const struct report_stack *stacks, size_t nr,
			const struct report_meta *meta)
{
	if (!f || !meta || (nr && !stacks) || (meta->nr_kv && !meta->kv))
		return -EINVAL;
	put_header(f, meta);
	for (size_t i = 0; i < nr; i++) {
		if (!stacks[i].nr_frames)
			continue; /* no frame to attribute the weight to */
		if (!stacks[i].frames)
			return -EINVAL;
		put_stack(f, &stacks[i]);
	}
	return ferror(f) ? -EIO : 0;
}

const struct report_ops report_folded_ops = {
	.name = "folded",
	.ext = "folded",
	.write = folded_write,
};
