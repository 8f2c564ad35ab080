/* SPDX-License-Identifier: MIT */
/*
 * The ring buffer every BPF program writes to (bpf/maps.bpf.h: events),
 * read here and dispatched by record type (enum ps_rec_type) to the
 * handlers registered for that type, in registration order.
 */
#ifndef PYSTROBE_EVENTS_H
#define PYSTROBE_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include "ps_common.h"
#include "ps_pystack.h"

#define EVENTS_MAX_HANDLERS 8 /* handlers per record type; beyond: events__on fails */

/*
 * One record of a type it was registered for, at least that type's header
 * long (the rest is the handler's to check). Negative stops the poll.
 */
typedef int (*events_fn)(void *ctx, const void *data, size_t size);

struct events;

/* Read the ring buffer map ringbuf_fd. NULL with errno (reported). */
struct events *events__new(int ringbuf_fd);
void events__free(struct events *ev); /* accepts NULL */

/* Call fn(ctx, ...) for every record of type. 0, -EINVAL (unknown type) or -E2BIG. */
int events__on(struct events *ev, uint32_t type, events_fn fn, void *ctx);

/* Wait up to timeout_ms for records and handle all queued ones. Count or -errno. */
int events__poll(struct events *ev, int timeout_ms);

/* Records dropped: unknown type or shorter than their type's header. */
uint64_t events__nr_malformed(const struct events *ev);

/*
 * The trailer of kind (one PS_SAMPLE_HAS_* bit) of sample record smp of
 * size bytes, checked to lie within the record; NULL when absent or
 * malformed.
 */
const void *events_sample_trailer(const struct ps_sample *smp, size_t size, uint32_t kind);

#endif /* PYSTROBE_EVENTS_H */
