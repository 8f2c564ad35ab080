/* SPDX-License-Identifier: MIT */
/*
 * BTF tracepoint programs (tp_btf) that libbpf 1.1 loads without reading the
 * whole kernel BTF. For a program of type tracing libbpf parses all of
 * /sys/kernel/btf/vmlinux (~15 ms of CPU per object) only to find its attach
 * target, a btf_trace_<name> typedef; kernel_btf.c notes those while it cuts
 * the BTF down anyway. A program in a SEC(PS_TP_BTF "name") section opens as
 * a raw tracepoint (which needs no kernel BTF), becomes a tp_btf program with
 * that typedef as its target just before its load, and attaches like one.
 */
#ifndef PYSTROBE_TP_BTF_H
#define PYSTROBE_TP_BTF_H

#include "ps_common.h" /* include/: PS_TP_BTF, the section prefix */

/* Register the section with libbpf (once, before any object is opened); 0 or -errno. */
int tp_btf_register(void);

#endif /* PYSTROBE_TP_BTF_H */
