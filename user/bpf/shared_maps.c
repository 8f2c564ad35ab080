// SPDX-License-Identifier: MIT
/* The maps of bpf/maps.bpf.h, created by the first BPF object and reused by name. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "bpf/shared_maps.h"

/* The names declared in bpf/maps.bpf.h. */
static const char *const shared_names[] = { "events",  "stats",	     "procs",
					    "tstates", "codes_sent", "sys_targets" };
#define NR_SHARED (sizeof(shared_names) / sizeof(shared_names[0]))

struct shared_maps {
	int fd[NR_SHARED]; /* -1: not created yet */
	uint32_t size[NR_SHARED]; /* max_entries at creation; 0: as declared */
};

/* Index of name in shared_names, or -1. */
static int shared_idx(const char *name)
{
	for (size_t i = 0; i < NR_SHARED; i++)
		if (strcmp(name, shared_names[i]) == 0)
			return (int)i;
	return -1;
}

struct shared_maps *shared_maps__new(void)
{
	struct shared_maps *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	for (size_t i = 0; i < NR_SHARED; i++)
		m->fd[i] = -1;
	return m;
}

void shared_maps__free(struct shared_maps *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < NR_SHARED; i++)
		if (m->fd[i] >= 0)
			close(m->fd[i]);
	free(m);
}

int shared_maps__set_size(struct shared_maps *m, const char *name, uint32_t max_entries)
{
	int i = shared_idx(name);

	if (i < 0)
		return -ENOENT;
	m->size[i] = max_entries;
	return 0;
}

/* Is name a per-CPU scratch map ("..._scratch": one slot per possible CPU)? */
static bool is_scratch(const char *name)
{
	size_t n = strlen(name), s = strlen("_scratch");

	return n > s && !strcmp(name + n - s, "_scratch");
}

int shared_maps__reuse(struct shared_maps *m, struct bpf_object *obj)
{
	struct bpf_map *map;
	int i, err;

	bpf_object__for_each_map(map, obj)
	{
		i = shared_idx(bpf_map__name(map));
		if (i < 0 && is_scratch(bpf_map__name(map)))
			err = bpf_map__set_max_entries(map, libbpf_num_possible_cpus());
		else if (i < 0)
			continue;
		else if (m->fd[i] >= 0)
			err = bpf_map__reuse_fd(map, m->fd[i]);
		else
			err = m->size[i] ? bpf_map__set_max_entries(map, m->size[i]) : 0;
		if (err) {
			ps_err("%s: cannot share map %s: %s", bpf_object__name(obj),
			       bpf_map__name(map), strerror(-err));
			return err;
		}
	}
	return 0;
}

int shared_maps__keep(struct shared_maps *m, const struct bpf_object *obj)
{
	const struct bpf_map *map;
	int i, fd;

	bpf_object__for_each_map(map, obj)
	{
		i = shared_idx(bpf_map__name(map));
		if (i < 0 || m->fd[i] >= 0)
			continue;
		fd = fcntl(bpf_map__fd(map), F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		m->fd[i] = fd;
	}
	return 0;
}

int shared_maps__fd(const struct shared_maps *m, const char *name)
{
	int i = shared_idx(name);

	return i < 0 || m->fd[i] < 0 ? -ENOENT : m->fd[i];
}
