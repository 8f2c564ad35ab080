// SPDX-License-Identifier: MIT
/* The ring buffer: read it, dispatch each record by type. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "lib/log.h"
#include "ps_gil.h"
#include "ps_procs.h"
#include "ps_pystack.h"
#include "ps_syscalls.h"
#include "core/events.h"

struct handler {
	events_fn fn;
	void *ctx;
};

struct events {
	struct ring_buffer *rb;
	struct handler h[PS_REC__COUNT][EVENTS_MAX_HANDLERS];
	size_t nr_h[PS_REC__COUNT];
	uint64_t nr_malformed;
};

/* The fixed part of each record type: shorter records are malformed. */
static const size_t min_size[PS_REC__COUNT] = {
	[PS_REC_SAMPLE] = PS_SAMPLE_HDR_SIZE,
	[PS_REC_SYMBOL] = PS_SYMBOL_HDR_SIZE,
	[PS_REC_PROC] = sizeof(struct ps_proc_event),
	[PS_REC_GIL_EVENT] = sizeof(struct ps_gil_event),
	[PS_REC_GIL_WAIT] = PS_SAMPLE_HDR_SIZE,
	[PS_REC_SYS_STACK] = PS_SAMPLE_HDR_SIZE,
	[PS_REC_SYS_EXIT] = sizeof(struct ps_sys_exit),
	[PS_REC_OFFCPU_STACK] = PS_SAMPLE_HDR_SIZE,
};

/* libbpf ring-buffer callback: hand one record to the handlers of its type. */
static int dispatch(void *ctx, void *data, size_t size)
{
	struct events *ev = ctx;
	uint32_t type;
	int ret;

	if (size < sizeof(type)) {
		ev->nr_malformed++;
		return 0;
	}
	memcpy(&type, data, sizeof(type));
	if (type >= PS_REC__COUNT || !min_size[type] || size < min_size[type]) {
		ev->nr_malformed++;
		return 0;
	}
	for (size_t i = 0; i < ev->nr_h[type]; i++) {
		ret = ev->h[type][i].fn(ev->h[type][i].ctx, data, size);
		if (ret < 0)
			return ret;
	}
	return 0;
}

struct events *events__new(int ringbuf_fd)
{
	struct events *ev = calloc(1, sizeof(*ev));
	int err;

	if (!ev)
		return NULL;
	ev->rb = ring_buffer__new(ringbuf_fd, dispatch, ev, NULL);
	if (!ev->rb) {
		err = errno;
		ps_err("ring buffer: cannot map it: %s", strerror(err));
		free(ev);
		errno = err;
		return NULL;
	}
	return ev;
}

void events__free(struct events *ev)
{
	if (!ev)
		return;
	ring_buffer__free(ev->rb);
	free(ev);
}

int events__on(struct events *ev, uint32_t type, events_fn fn, void *ctx)
{
	if (type >= PS_REC__COUNT || !min_size[type])
		return -EINVAL;
	if (ev->nr_h[type] >= EVENTS_MAX_HANDLERS)
		return -E2BIG;
	ev->h[type][ev->nr_h[type]++] = (struct handler){ fn, ctx };
	return 0;
}

int events__poll(struct events *ev, int timeout_ms)
{
	int n = ring_buffer__poll(ev->rb, timeout_ms), m;

	if (n < 0 && n != -EINTR)
		return n;
	/* samples do not wake us below the threshold: drain what is queued */
	m = ring_buffer__consume(ev->rb);
	if (m < 0)
		return m;
	return (n > 0 ? n : 0) + m;
}

uint64_t events__nr_malformed(const struct events *ev)
{
	return ev->nr_malformed;
}

/* Size of the trailer of kind at t, or 0 when it does not fit in avail bytes. */
static size_t trailer_size(uint32_t kind, const uint8_t *t, size_t avail)
{
	const struct ps_xstack *x = (const void *)t;

	if (kind == PS_SAMPLE_HAS_SYSCALL)
		return avail >= sizeof(struct ps_sys_call) ? sizeof(struct ps_sys_call) : 0;
	if (kind == PS_SAMPLE_HAS_XSTACK && avail >= PS_XSTACK_HDR_SIZE &&
	    x->ustack_len <= PS_USTACK_MAX && avail >= PS_XSTACK_HDR_SIZE + x->ustack_len)
		return PS_XSTACK_HDR_SIZE + x->ustack_len;
	return 0;
}

const void *events_sample_trailer(const struct ps_sample *smp, size_t size, uint32_t kind)
{
	/* the trailers, in the order of their flag bits */
	static const uint32_t kinds[] = { PS_SAMPLE_HAS_SYSCALL, PS_SAMPLE_HAS_XSTACK };
	const uint8_t *rec = (const uint8_t *)smp;
	size_t off, end, n;

	if (size < PS_SAMPLE_HDR_SIZE || smp->nr_frames > PS_MAX_FRAMES ||
	    smp->trailer_len > PS_TRAILER_MAX || !(smp->flags & kind))
		return NULL;
	off = PS_SAMPLE_HDR_SIZE + (size_t)smp->nr_frames * sizeof(struct ps_frame);
	end = off + smp->trailer_len;
	if (end > size)
		return NULL;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!(smp->flags & kinds[i]))
			continue;
		n = trailer_size(kinds[i], rec + off, end - off);
		if (!n)
			return NULL;
		if (kinds[i] == kind)
			return rec + off;
		off += n;
	}
	return NULL;
}
