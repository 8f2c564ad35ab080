// SPDX-License-Identifier: MIT
/* The PS_TP_BTF section: tp_btf programs attached through kernel_btf.c's table. */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "bpf/kernel_btf.h"
#include "bpf/tp_btf.h"

/* The tracepoint a program attaches to: its section name after the prefix. */
static const char *tracepoint_of(const struct bpf_program *prog)
{
	return bpf_program__section_name(prog) + strlen(PS_TP_BTF);
}

/*
 * At open: without a known typedef id the program is a plain tp_btf one at
 * once (libbpf then finds its target in the whole kernel BTF).
 */
static int setup(struct bpf_program *prog, long cookie)
{
	const char *tp = tracepoint_of(prog);

	(void)cookie;
	if (kernel_btf_trace_id(tp) > 0)
		return 0;
	ps_debug("%s: no BTF id noted for tracepoint %s: libbpf reads the kernel BTF",
		 bpf_program__name(prog), tp);
	bpf_program__set_type(prog, BPF_PROG_TYPE_TRACING);
	return bpf_program__set_attach_target(prog, 0, tp);
}

/* Just before the load (after libbpf decided it needs no kernel BTF): make it a tp_btf program. */
static int prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	int id = kernel_btf_trace_id(tracepoint_of(prog));

	(void)cookie;
	if (!opts->attach_btf_id) {
		if (id < 0)
			return id;
		opts->attach_btf_id = id;
		opts->attach_btf_obj_fd = 0; /* vmlinux */
	}
	opts->expected_attach_type = BPF_TRACE_RAW_TP;
	return bpf_program__set_type(prog, BPF_PROG_TYPE_TRACING);
}

static int attach(const struct bpf_program *prog, long cookie, struct bpf_link **link)
{
	(void)cookie;
	*link = bpf_program__attach_trace(prog);
	return *link ? 0 : -errno;
}

int tp_btf_register(void)
{
	static int registered;
	LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .prog_setup_fn = setup,
		    .prog_prepare_load_fn = prepare, .prog_attach_fn = attach);
	int id;

	if (registered)
		return 0;
	id = libbpf_register_prog_handler(PS_TP_BTF, BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_TRACE_RAW_TP,
					  &opts);
	if (id < 0)
		return id;
	registered = 1;
	return 0;
}
