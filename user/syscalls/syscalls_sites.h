/* SPDX-License-Identifier: MIT */
/*
 * Call sites of sampled syscalls: per (process, Python line, syscall), the
 * scaled number of calls, bytes and kernel time, sampled sizes (for the
 * median), how many went to sockets or did not wait, and the paths of
 * path-taking calls. The batching advice is computed from these.
 */
#ifndef PYSTROBE_SYS_SITES_H
#define PYSTROBE_SYS_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/hashmap.h"
#include "ps_syscalls.h"

#define SITE_SIZES_MAX 512 /* sampled sizes kept per site for the median (reservoir beyond) */

struct syscalls_site {
	uint32_t pid, gen, nr;
	struct ps_frame leaf; /* the innermost Python frame (code_addr 0: none) */
	uint64_t samples; /* sampled calls */
	uint64_t calls; /* scaled: sum of the samples' weights */
	uint64_t bytes; /* scaled requested bytes */
	uint64_t time_ns; /* scaled kernel time (--latency) */
	uint64_t timed; /* samples with a time */
	uint64_t to_socket; /* samples whose fd was a socket */
	uint64_t zero_timeout; /* samples that polled without waiting */
	uint32_t sizes[SITE_SIZES_MAX];
	uint32_t nr_sizes;
	uint64_t seen_sizes; /* sizes offered (reservoir sampling) */
};

/*
 * A path seen in sampled path-taking calls of one process: where it was
 * called from (the exact counts are the kernel's, struct ps_sys_path_val).
 */
struct syscalls_path {
	uint32_t pid, nr, gen;
	char path[PS_SYS_PATH_MAX + 4];
	struct ps_frame leaf; /* the Python line of the call (a repeat's, else the last) */
	bool from_repeat; /* leaf is that of a call that repeated the path */
};

struct syscalls_sites {
	struct hashmap sites; /* struct syscalls_site */
	struct hashmap paths; /* struct syscalls_path */
	uint64_t rng;
};

void syscalls_sites_init(struct syscalls_sites *ss);
void syscalls_sites_free(struct syscalls_sites *ss);

/*
 * Account one sampled syscall call with its stack smp (PS_REC_SYS_STACK);
 * is_socket: its fd is a socket. A call sent because its path repeated
 * (PS_SYS_PATH_REPEAT) only names its path's line. 0 or -ENOMEM.
 */
int syscalls_sites_add(struct syscalls_sites *ss, const struct ps_sample *smp,
		       const struct ps_sys_call *call, bool is_socket);
/* Add the measured time of a sampled call to its site (weight as sampled). */
void syscalls_sites_add_time(struct syscalls_sites *ss, const struct ps_sample *smp,
			     const struct ps_sys_call *call, uint64_t ns);

/* The sampled call site of pid's syscall nr on path, or NULL. */
const struct syscalls_path *syscalls_sites_path(const struct syscalls_sites *ss, uint32_t pid,
						uint32_t nr, const char *path);

/* Median of the sampled sizes (0 if none). */
uint64_t syscalls_site_median(const struct syscalls_site *s);

#endif /* PYSTROBE_SYS_SITES_H */
