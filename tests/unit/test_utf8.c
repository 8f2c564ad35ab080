// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <string.h>
#include "lib/utf8.h"

Test(utf8, latin1_becomes_utf8)
{
	const uint8_t in[] = { 'c', 'a', 'f', 0xe9 };
	char out[16];

	cr_assert_eq(utf8_from_units(in, sizeof(in), 1, out, sizeof(out)), 5);
	cr_assert_str_eq(out, "caf\xc3\xa9");
}

Test(utf8, ucs2_cyrillic_becomes_utf8)
{
	const uint8_t in[] = { 0x44, 0x04, 0x43, 0x04 }; /* "фу" */
	char out[16];

	utf8_from_units(in, sizeof(in), 2, out, sizeof(out));
	cr_assert_str_eq(out, "\xd1\x84\xd1\x83");
}

Test(utf8, ucs4_astral_becomes_four_bytes)
{
	const uint8_t in[] = { 0x00, 0x00, 0x02, 0x00 }; /* U+20000 */
	char out[16];

	cr_assert_eq(utf8_from_units(in, sizeof(in), 4, out, sizeof(out)), 4);
	cr_assert_str_eq(out, "\xf0\xa0\x80\x80");
}

Test(utf8, surrogates_and_out_of_range_are_replaced)
{
	const uint8_t in[] = { 0x00, 0xd8, 0xff, 0xdf, 0xff, 0xff, 0xff, 0x7f };
	char out[16];

	utf8_from_units(in, 4, 2, out, sizeof(out));
	cr_assert_str_eq(out, "\xef\xbf\xbd\xef\xbf\xbd", "two lone surrogates -> %s", out);
	utf8_from_units(in + 4, 4, 4, out, sizeof(out));
	cr_assert_str_eq(out, "\xef\xbf\xbd");
}

Test(utf8, bytes_mode_repairs_invalid_utf8)
{
	const uint8_t in[] = { 'a', 0xc3, 'b', 0xe2, 0x82, 0xac };
	char out[16];

	utf8_from_units(in, sizeof(in), 0, out, sizeof(out));
	cr_assert_str_eq(out, "a\xef\xbf\xbd"
			      "b\xe2\x82\xac");
}

Test(utf8, cuts_at_a_character_boundary)
{
	const uint8_t in[] = { 0xe9, 0xe9, 0xe9 };
	char out[6];

	cr_assert_eq(utf8_from_units(in, sizeof(in), 1, out, sizeof(out)), 4,
		     "two 2-byte chars fit");
	cr_assert_str_eq(out, "\xc3\xa9\xc3\xa9");
}
