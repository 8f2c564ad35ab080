// SPDX-License-Identifier: MIT
/*
 * What the subcommands share: -v / -q, the target and output options of those
 * that profile, and the command line for provenance.
 */
#include <argp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/parse.h"
#include "lib/textesc.h"
#include "report/summary.h"
#include "core/runner.h"
#include "report/report.h"

static const struct argp_option log_options[] = {
	{ "verbose", 'v', NULL, 0, "Show libbpf output and details", 0 },
	{ "quiet", 'q', NULL, 0, "Only errors on stderr", 0 },
	{},
};

/* argp callback for -v / -q: the log level. */
static error_t parse_log(int key, char *arg, struct argp_state *st)
{
	(void)arg;
	(void)st;
	if (key == 'v')
		log_set_level(LOG_VERBOSE);
	else if (key == 'q')
		log_set_level(LOG_QUIET);
	else
		return ARGP_ERR_UNKNOWN;
	return 0;
}

const struct argp cmd_log_argp = { log_options, parse_log, NULL, NULL, NULL, NULL, NULL };

static const struct argp_option freq_options[] = {
	{ "frequency", 'F', "HZ", 0, "Samples per second per CPU (default 100)", 0 },
	{},
};

static const struct argp_option output_options[] = {
	{ "output", 'o', "FILE", 0, "Output file, - for stdout (default pystrobe-TIME.svg)", 0 },
	{ "format", 'f', "FORMAT", 0, "Of -o: flamegraph (default), folded, pprof or speedscope",
	  0 },
	{},
};

/* argp callback for -F / -o / -f; input: struct cmd_input. */
static error_t parse_output(int key, char *arg, struct argp_state *st)
{
	struct cmd_input *in = st->input;
	uint64_t v;

	switch (key) {
	case 'F':
		if (parse_u64(arg, 1, 10000, "--frequency", &v))
			argp_usage(st);
		*in->freq_hz = (unsigned)v;
		break;
	case 'o':
		*in->path = arg;
		break;
	case 'f':
		if (!report_find(arg)) {
			ps_err("invalid --format '%s': expected %s", arg, report_names());
			argp_usage(st);
		}
		*in->format = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* argp help filter: the command's own --help line for -F / -o / -f (argp frees it). */
static char *output_doc(int key, const char *text, void *input)
{
	const struct cmd_input *in = input;
	const char *doc = NULL;

	if (in && key == 'F')
		doc = in->freq_doc;
	else if (in && key == 'o')
		doc = in->path_doc;
	else if (in && key == 'f')
		doc = in->format_doc;
	return doc ? strdup(doc) : (char *)text;
}

static const struct argp freq_argp = { freq_options, parse_output, NULL, NULL,
				       NULL,	     output_doc,   NULL };
static const struct argp output_argp = { output_options, parse_output, NULL, NULL,
					 NULL,		 output_doc,   NULL };

/* The argp input of cmd_profile(): what each child parser fills. */
struct profile_input {
	void *opts; /* the command's own options */
	struct cmd_input in;
	size_t nr_children;
};

/* argp callback of cmd_profile()'s root: hand each child its input. */
static error_t parse_root(int key, char *arg, struct argp_state *st)
{
	struct profile_input *pi = st->input;

	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	st->child_inputs[0] = pi->opts;
	st->child_inputs[1] = pi->in.target;
	for (size_t i = 3; i < pi->nr_children; i++) /* -o / -f, -F */
		st->child_inputs[i] = &pi->in;
	return 0;
}

int cmd_profile(const struct cmd_spec *spec, int argc, char **argv)
{
	struct argp own = { spec->options, spec->parse, NULL, NULL, NULL, NULL, NULL };
	struct argp_child children[6] = { { &own, 0, NULL, 0 },
					  { &runner_argp, 0, NULL, 0 },
					  { &cmd_log_argp, 0, NULL, 0 } };
	struct argp root = { NULL, parse_root, NULL, spec->doc, children, NULL, NULL };
	struct profile_input pi = { .opts = calloc(1, spec->opts_size), .nr_children = 3 };
	char *line = NULL;
	int ret = 2;

	if (!pi.opts)
		return 2;
	spec->setup(pi.opts, &pi.in);
	if (pi.in.path)
		children[pi.nr_children++] = (struct argp_child){ &output_argp, 0, NULL, 0 };
	if (pi.in.freq_hz)
		children[pi.nr_children++] = (struct argp_child){ &freq_argp, 0, NULL, 0 };
	if (!argp_parse(&root, argc, argv, ARGP_IN_ORDER, NULL, &pi) && !runner_check(pi.in.target))
		line = cmd_join(argc, argv);
	if (line) {
		*pi.in.line = line;
		ret = spec->run(pi.opts);
	}
	free(line);
	free(pi.opts);
	return ret;
}

char *cmd_join(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Built in memory, then copied out escaped: the notes quote paths and names targets chose. */
void cmd_print_drops(const struct run_stats *rs)
{
	struct textesc_buf tb;

	if (log_get_level() < LOG_NORMAL || !textesc_begin(&tb))
		return;
	summary_print_drops(tb.f, rs, NULL);
	textesc_end(&tb, stderr, TEXTESC_LINES);
}
