/* SPDX-License-Identifier: MIT */
/*
 * A minimal protocol-buffers wire encoder and decoder: varints, tags and
 * length-delimited fields, enough for pprof's profile.proto and nothing more.
 */
#ifndef PYSTROBE_PROTOBUF_H
#define PYSTROBE_PROTOBUF_H

#include <stddef.h>
#include <stdint.h>

enum pb_wire {
	PB_VARINT = 0,
	PB_I64 = 1,
	PB_LEN = 2,
	PB_I32 = 5,
};

/* A growable output buffer; the first failure sticks in err (-ENOMEM), later calls do nothing. */
struct pbuf {
	uint8_t *data;
	size_t len, cap;
	int err;
};

/* Append the raw bytes p[0..n). */
void pb_raw(struct pbuf *b, const void *p, size_t n);
/* Append v as a base-128 varint (1..10 bytes). */
void pb_varint(struct pbuf *b, uint64_t v);
/* Field `field` as a varint (int64 values are their two's complement, 10 bytes if negative). */
void pb_uint(struct pbuf *b, uint32_t field, uint64_t v);
/* Field `field` as length-delimited bytes (strings, nested messages, packed arrays). */
void pb_bytes(struct pbuf *b, uint32_t field, const void *p, size_t n);
/* Field `field` as a nested message built in sub (sub's error carries over). */
void pb_msg(struct pbuf *b, uint32_t field, const struct pbuf *sub);
void pb_reset(struct pbuf *b); /* len = 0, err = 0, memory kept */
void pb_free(struct pbuf *b);

/* A bounds-checked reader over data[0..len); base is data's offset in the whole input. */
struct pb_reader {
	const uint8_t *data;
	size_t len, pos;
	size_t base;
};

/* One decoded field: varint value, or the length-delimited bytes as a sub-reader. */
struct pb_field {
	uint32_t num;
	uint8_t wire; /* enum pb_wire */
	uint64_t v; /* PB_VARINT, PB_I64, PB_I32 */
	struct pb_reader sub; /* PB_LEN */
	size_t offset; /* of the tag, from the start of the whole input */
};

/*
 * Read a varint at r->pos. 0, -ENODATA at the end of the input (truncated),
 * -EOVERFLOW for more than 10 bytes or bits past 64.
 */
int pb_read_varint(struct pb_reader *r, uint64_t *v);
/*
 * Read the next field. 1 when one was read, 0 at the end, -ENODATA when the
 * input stops inside it, -EOVERFLOW for a bad varint, -EPROTO for an invalid
 * tag or wire type; r->base + r->pos is then the offset of the problem.
 */
int pb_next(struct pb_reader *r, struct pb_field *f);
/* Offset (in the whole input) where r stands. */
static inline size_t pb_offset(const struct pb_reader *r)
{
	return r->base + r->pos;
}

#endif /* PYSTROBE_PROTOBUF_H */
