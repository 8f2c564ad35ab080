// SPDX-License-Identifier: MIT
/*
 * Protocol-buffers wire format (https://protobuf.dev/programming-guides/encoding/):
 * a tag is (field << 3 | wire type) as a varint; varints are 7 bits per byte,
 * low group first, high bit set on every byte but the last.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/protobuf.h"

/* Make room for n more bytes (doubling); sets b->err on failure. */
static int grow(struct pbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *d;

	if (b->err)
		return b->err;
	if (b->len + n <= b->cap)
		return 0;
	while (cap < b->len + n) {
		if (cap > SIZE_MAX / 2)
			return b->err = -ENOMEM;
		cap *= 2;
	}
	d = realloc(b->data, cap);
	if (!d)
		return b->err = -ENOMEM;
	b->data = d;
	b->cap = cap;
	return 0;
}

/* Append n raw bytes. */
void pb_raw(struct pbuf *b, const void *p, size_t n)
{
	if (!n || grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Base-128 varint, low group first. */
void pb_varint(struct pbuf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	pb_raw(b, tmp, n);
}

/* Tag then varint value. */
void pb_uint(struct pbuf *b, uint32_t field, uint64_t v)
{
	pb_varint(b, (uint64_t)field << 3 | PB_VARINT);
	pb_varint(b, v);
}

/* Tag, length, bytes. */
void pb_bytes(struct pbuf *b, uint32_t field, const void *p, size_t n)
{
	pb_varint(b, (uint64_t)field << 3 | PB_LEN);
	pb_varint(b, n);
	pb_raw(b, p, n);
}

/* A nested message: its bytes as a length-delimited field; its error becomes ours. */
void pb_msg(struct pbuf *b, uint32_t field, const struct pbuf *sub)
{
	if (sub->err && !b->err)
		b->err = sub->err;
	pb_bytes(b, field, sub->data, sub->len);
}

/* Empty the buffer for reuse. */
void pb_reset(struct pbuf *b)
{
	b->len = 0;
	b->err = 0;
}

/* Release the buffer's memory; it is empty and usable again. */
void pb_free(struct pbuf *b)
{
	free(b->data);
	*b = (struct pbuf){};
}

/* Varint at r->pos, bounds- and overflow-checked. */
int pb_read_varint(struct pb_reader *r, uint64_t *v)
{
	uint64_t out = 0;
	unsigned int shift = 0;
	uint8_t c;

	for (;;) {
		if (r->pos >= r->len)
			return -ENODATA;
		c = r->data[r->pos];
		if (shift == 63 && (c & 0x7e))
			return -EOVERFLOW; /* bits past 64 */
		out |= (uint64_t)(c & 0x7f) << shift;
		r->pos++;
		if (!(c & 0x80))
			break;
		shift += 7;
		if (shift > 63)
			return -EOVERFLOW;
	}
	*v = out;
	return 0;
}

/* Fixed-width little-endian value of n bytes (wire types I64 / I32). */
static int read_fixed(struct pb_reader *r, size_t n, uint64_t *v)
{
	uint64_t out = 0;

	if (r->len - r->pos < n)
		return -ENODATA;
	for (size_t i = 0; i < n; i++)
		out |= (uint64_t)r->data[r->pos + i] << (8 * i);
	r->pos += n;
	*v = out;
	return 0;
}

/* The value of a field whose tag was read: varint, fixed, or a sub-reader. */
static int read_value(struct pb_reader *r, struct pb_field *f)
{
	uint64_t n;
	int err;

	switch (f->wire) {
	case PB_VARINT:
		return pb_read_varint(r, &f->v);
	case PB_I64:
		return read_fixed(r, 8, &f->v);
	case PB_I32:
		return read_fixed(r, 4, &f->v);
	case PB_LEN:
		err = pb_read_varint(r, &n);
		if (err)
			return err;
		if (n > r->len - r->pos)
			return -ENODATA;
		f->sub = (struct pb_reader){ .data = r->data + r->pos,
					     .len = n,
					     .base = r->base + r->pos };
		r->pos += n;
		return 0;
	}
	return -EPROTO; /* groups (3, 4) and 6, 7 are not used by profile.proto */
}

/* Next field of a message; on error r->pos stays at the failing tag. */
int pb_next(struct pb_reader *r, struct pb_field *f)
{
	size_t start = r->pos;
	uint64_t tag;
	int err;

	if (r->pos >= r->len)
		return 0;
	err = pb_read_varint(r, &tag);
	if (!err && ((tag >> 3) == 0 || (tag >> 3) > UINT32_MAX))
		err = -EPROTO;
	if (!err) {
		*f = (struct pb_field){ .num = tag >> 3,
					.wire = tag & 7,
					.offset = r->base + start };
		err = read_value(r, f);
	}
	if (err) {
		r->pos = start;
		return err;
	}
	return 1;
}
