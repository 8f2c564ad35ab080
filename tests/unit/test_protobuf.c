// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lib/protobuf.h"

/* The bytes of b as a hex string for messages. */
static const char *hex(const uint8_t *p, size_t n)
{
	static char buf[128];

	buf[0] = 0;
	for (size_t i = 0; i < n && i * 3 + 4 < sizeof(buf); i++)
		sprintf(buf + i * 3, "%02x ", p[i]);
	return buf;
}

Test(protobuf, varint_encodes_low_group_first)
{
	struct pbuf b = {};
	const uint8_t want[] = { 0x00, 0x01, 0x7f, 0x80, 0x01, 0xac, 0x02 };

	pb_varint(&b, 0);
	pb_varint(&b, 1);
	pb_varint(&b, 127);
	pb_varint(&b, 128);
	pb_varint(&b, 300);
	cr_assert_eq(b.len, sizeof(want), "expected %zu bytes, got %zu", sizeof(want), b.len);
	cr_assert(memcmp(b.data, want, sizeof(want)) == 0, "expected 00 01 7f 80 01 ac 02, got %s",
		  hex(b.data, b.len));
	pb_free(&b);
}

Test(protobuf, max_u64_takes_ten_bytes_and_reads_back)
{
	struct pbuf b = {};
	struct pb_reader r;
	uint64_t v = 0;

	pb_varint(&b, UINT64_MAX);
	cr_assert_eq(b.len, 10, "expected 10 bytes, got %zu", b.len);
	r = (struct pb_reader){ .data = b.data, .len = b.len };
	cr_assert_eq(pb_read_varint(&r, &v), 0);
	cr_assert_eq(v, UINT64_MAX, "expected UINT64_MAX, got %llu", (unsigned long long)v);
	pb_free(&b);
}

Test(protobuf, tag_and_length_delimited_field)
{
	struct pbuf b = {};
	const uint8_t want[] = { 0x08, 0x96, 0x01, 0x32, 0x03, 'a', 'b', 'c' };

	pb_uint(&b, 1, 150);
	pb_bytes(&b, 6, "abc", 3);
	cr_assert_eq(b.len, sizeof(want), "expected %zu bytes, got %zu", sizeof(want), b.len);
	cr_assert(memcmp(b.data, want, sizeof(want)) == 0,
		  "expected 08 96 01 32 03 61 62 63, got %s", hex(b.data, b.len));
	pb_free(&b);
}

Test(protobuf, nested_message_reads_back_with_offsets)
{
	struct pbuf b = {}, sub = {};
	struct pb_reader r;
	struct pb_field f, g;

	pb_uint(&sub, 2, 7);
	pb_uint(&b, 1, 1);
	pb_msg(&b, 4, &sub);
	r = (struct pb_reader){ .data = b.data, .len = b.len };
	cr_assert_eq(pb_next(&r, &f), 1);
	cr_assert_eq(pb_next(&r, &f), 1);
	cr_assert_eq(f.num, 4, "expected field 4, got %u", f.num);
	cr_assert_eq(f.wire, PB_LEN);
	cr_assert_eq(f.offset, 2, "expected tag at offset 2, got %zu", f.offset);
	cr_assert_eq(pb_next(&f.sub, &g), 1);
	cr_assert_eq(g.num, 2);
	cr_assert_eq(g.v, 7, "expected 7, got %llu", (unsigned long long)g.v);
	cr_assert_eq(g.offset, 4, "expected nested tag at offset 4, got %zu", g.offset);
	cr_assert_eq(pb_next(&r, &f), 0, "expected the end");
	pb_free(&b);
	pb_free(&sub);
}

Test(protobuf, truncated_length_is_enodata_at_the_tag)
{
	const uint8_t in[] = { 0x08, 0x01, 0x32, 0x05, 'a', 'b' };
	struct pb_reader r = { .data = in, .len = sizeof(in) };
	struct pb_field f;
	int err;

	cr_assert_eq(pb_next(&r, &f), 1);
	err = pb_next(&r, &f);
	cr_assert_eq(err, -ENODATA, "expected -ENODATA, got %d", err);
	cr_assert_eq(pb_offset(&r), 2, "expected offset 2, got %zu", pb_offset(&r));
}

Test(protobuf, eleven_byte_varint_is_overflow)
{
	const uint8_t in[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	struct pb_reader r = { .data = in, .len = sizeof(in) };
	uint64_t v;
	int err = pb_read_varint(&r, &v);

	cr_assert_eq(err, -EOVERFLOW, "expected -EOVERFLOW, got %d", err);
}

Test(protobuf, field_zero_and_group_wire_types_are_eproto)
{
	const uint8_t zero[] = { 0x00, 0x01 }, group[] = { 0x0b };
	struct pb_reader r = { .data = zero, .len = sizeof(zero) };
	struct pb_field f;
	int err = pb_next(&r, &f);

	cr_assert_eq(err, -EPROTO, "field 0: expected -EPROTO, got %d", err);
	r = (struct pb_reader){ .data = group, .len = sizeof(group) };
	err = pb_next(&r, &f);
	cr_assert_eq(err, -EPROTO, "wire type 3: expected -EPROTO, got %d", err);
}
