/* SPDX-License-Identifier: MIT */
/*
 * The kernel's BTF, cut down to the structs the BPF objects relocate against
 * (CO-RE), so that libbpf does not parse all of /sys/kernel/btf/vmlinux
 * (about 60 ms of CPU) once per object.
 */
#ifndef PYSTROBE_KERNEL_BTF_H
#define PYSTROBE_KERNEL_BTF_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/*
 * A path to give as bpf_object_open_opts.btf_custom_path ("/proc/self/fd/N",
 * built on the first call, kept until exit), or NULL when it cannot be built
 * (libbpf then reads the whole kernel BTF itself).
 */
const char *kernel_btf_path(void);

/*
 * The kernel BTF id of tracepoint's typedef (btf_trace_<tracepoint>), what a
 * tp_btf program names as its attach target, noted while the cut-down BTF
 * was built; -ENOENT when unknown (or no cut-down BTF could be built).
 */
int kernel_btf_trace_id(const char *tracepoint);

/*
 * An object loaded with the cut-down BTF failed: true (and the cut-down BTF
 * is dropped for the rest of the run) when it had been given one, so the
 * caller opens it again and libbpf uses the whole kernel BTF.
 */
bool kernel_btf_retry(const struct bpf_object *obj);

/* Open options for a skeleton: the cut-down BTF when there is one. */
#define KERNEL_BTF_OPTS                                                            \
	((struct bpf_object_open_opts){ .sz = sizeof(struct bpf_object_open_opts), \
					.btf_custom_path = kernel_btf_path() })

#endif /* PYSTROBE_KERNEL_BTF_H */
