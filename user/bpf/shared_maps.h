/* SPDX-License-Identifier: MIT */
/*
 * The maps of bpf/maps.bpf.h, shared by every BPF object by name: the first
 * object loaded creates them, every later one reuses them (bpf_map__reuse_fd)
 * before its load. No per-map getters: a loader calls shared_maps__reuse
 * before load and shared_maps__keep after, whatever its object holds.
 */
#ifndef PYSTROBE_SHARED_MAPS_H
#define PYSTROBE_SHARED_MAPS_H

#include <stdint.h>

struct bpf_object;
struct shared_maps;

/* An empty set (no map created yet). NULL with errno. */
struct shared_maps *shared_maps__new(void);
void shared_maps__free(struct shared_maps *m); /* accepts NULL; closes the kept fds */

/*
 * Size shared map name (max_entries) when it is created, whichever object
 * loads first: call before that load. 0 or -ENOENT (not a shared name).
 */
int shared_maps__set_size(struct shared_maps *m, const char *name, uint32_t max_entries);

/*
 * Before obj loads: each of its maps whose name is shared reuses the map
 * kept from an earlier object, or (none yet) takes its size; each of its own
 * "..._scratch" maps gets one slot per possible CPU. 0 or -errno (reported).
 */
int shared_maps__reuse(struct shared_maps *m, struct bpf_object *obj);
/* After obj loaded: keep (dup) the fds of the shared maps it created. 0 or -errno. */
int shared_maps__keep(struct shared_maps *m, const struct bpf_object *obj);

/* fd of the shared map name, or -ENOENT (not created yet or not shared). */
int shared_maps__fd(const struct shared_maps *m, const char *name);

#endif /* PYSTROBE_SHARED_MAPS_H */
