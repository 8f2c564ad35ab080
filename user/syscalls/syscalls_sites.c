// SPDX-License-Identifier: MIT
/* Call-site accumulation of sampled syscalls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "syscalls/syscalls_sites.h"

struct site_key {
	uint32_t pid, gen, nr;
	uint64_t code;
	uint32_t instr;
	uint16_t tag;
};

static bool site_eq(const void *item, const void *key)
{
	const struct syscalls_site *s = item;
	const struct site_key *k = key;

	return s->pid == k->pid && s->gen == k->gen && s->nr == k->nr &&
	       s->leaf.code_addr == k->code && s->leaf.instr == k->instr &&
	       s->leaf.code_tag == k->tag;
}

struct path_key {
	uint32_t pid, nr;
	const char *path;
};

static bool path_eq(const void *item, const void *key)
{
	const struct syscalls_path *p = item;
	const struct path_key *k = key;

	return p->pid == k->pid && p->nr == k->nr && strcmp(p->path, k->path) == 0;
}

void syscalls_sites_init(struct syscalls_sites *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->rng = 0x9e3779b97f4a7c15ULL;
}

void syscalls_sites_free(struct syscalls_sites *ss)
{
	hashmap_free_all(&ss->sites);
	hashmap_free_all(&ss->paths);
}

/* The site of call (its leaf Python frame), created on first use. */
static struct syscalls_site *site_of(struct syscalls_sites *ss, const struct ps_sample *smp,
				     const struct ps_sys_call *call)
{
	struct ps_frame none = {}, leaf = smp->nr_frames ? smp->frames[0] : none;
	struct site_key k = { smp->pid,	      smp->gen,	  call->nr,
			      leaf.code_addr, leaf.instr, leaf.code_tag };
	uint64_t h = hash_bytes(&k, sizeof(k), 0x5175);
	struct syscalls_site *s = hashmap_find(&ss->sites, h, &k, site_eq);

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s || hashmap_insert(&ss->sites, h, s)) {
		free(s);
		return NULL;
	}
	s->pid = k.pid;
	s->gen = k.gen;
	s->nr = k.nr;
	s->leaf = leaf;
	s->leaf.pad = 0;
	return s;
}

/* Keep size in a uniform sample of all sizes offered to s (reservoir). */
static void keep_size(struct syscalls_sites *ss, struct syscalls_site *s, uint64_t size)
{
	uint32_t v = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	uint64_t j;

	s->seen_sizes++;
	if (s->nr_sizes < SITE_SIZES_MAX) {
		s->sizes[s->nr_sizes++] = v;
		return;
	}
	ss->rng = ss->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	j = (ss->rng >> 33) % s->seen_sizes;
	if (j < SITE_SIZES_MAX)
		s->sizes[j] = v;
}

static uint64_t path_hash(uint32_t pid, uint32_t nr, const char *path)
{
	return hash_bytes(path, strlen(path), (uint64_t)pid << 32 | nr);
}

const struct syscalls_path *syscalls_sites_path(const struct syscalls_sites *ss, uint32_t pid,
						uint32_t nr, const char *path)
{
	struct path_key k = { pid, nr, path };

	return hashmap_find(&ss->paths, path_hash(pid, nr, path), &k, path_eq);
}

/* Remember where a path-taking call's path was used from. */
static int add_path(struct syscalls_sites *ss, const struct ps_sample *smp,
		    const struct ps_sys_call *call)
{
	char path[PS_SYS_PATH_MAX + 4];
	size_t n = call->path_len < PS_SYS_PATH_MAX ? call->path_len : PS_SYS_PATH_MAX;
	struct path_key k = { smp->pid, call->nr, path };
	bool repeat = call->flags & PS_SYS_PATH_REPEAT;
	struct syscalls_path *p;
	uint64_t h;

	memcpy(path, call->path, n);
	path[n] = '\0';
	h = path_hash(k.pid, k.nr, path);
	p = hashmap_find(&ss->paths, h, &k, path_eq);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p || hashmap_insert(&ss->paths, h, p)) {
			free(p);
			return -ENOMEM;
		}
		p->pid = k.pid;
		p->nr = k.nr;
		memcpy(p->path, path, n + 1);
	}
	if (repeat && !smp->nr_frames && p->from_repeat && p->leaf.code_addr)
		return 0; /* a repeat's stack without Python frames keeps the line already known */
	if (repeat || !p->from_repeat) {
		p->gen = smp->gen;
		p->leaf = smp->nr_frames ? smp->frames[0] : (struct ps_frame){};
		p->from_repeat = repeat;
	}
	return 0;
}

int syscalls_sites_add(struct syscalls_sites *ss, const struct ps_sample *smp,
		       const struct ps_sys_call *call, bool is_socket)
{
	struct syscalls_site *s;
	uint64_t w = smp->weight ? smp->weight : 1;

	if (call->flags & PS_SYS_PATH_REPEAT)
		return call->path_len ? add_path(ss, smp, call) : 0;
	s = site_of(ss, smp, call);
	if (!s)
		return -ENOMEM;
	s->samples++;
	s->calls += w;
	s->bytes += call->size * w;
	s->to_socket += is_socket;
	s->zero_timeout += !!(call->flags & PS_SYS_ZERO_TIMEOUT);
	keep_size(ss, s, call->size);
	return call->path_len ? add_path(ss, smp, call) : 0;
}

void syscalls_sites_add_time(struct syscalls_sites *ss, const struct ps_sample *smp,
			     const struct ps_sys_call *call, uint64_t ns)
{
	struct syscalls_site *s = site_of(ss, smp, call);

	if (!s)
		return;
	s->time_ns += ns * (smp->weight ? smp->weight : 1);
	s->timed++;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

uint64_t syscalls_site_median(const struct syscalls_site *s)
{
	uint32_t tmp[SITE_SIZES_MAX];

	if (!s->nr_sizes)
		return 0;
	memcpy(tmp, s->sizes, s->nr_sizes * sizeof(tmp[0]));
	qsort(tmp, s->nr_sizes, sizeof(tmp[0]), cmp_u32);
	return tmp[s->nr_sizes / 2];
}
