// SPDX-License-Identifier: MIT
/* Streaming JSON writer. */
#include <math.h>
#include <string.h>
#include "lib/jsonw.h"
#include "lib/utf8.h"

void jsonw_init(struct jsonw *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

/* Comma before a value or key unless it is the first at this level or follows a key. */
static void sep(struct jsonw *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void open_level(struct jsonw *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSONW_DEPTH_MAX)
		j->first[++j->depth] = true;
}

static void close_level(struct jsonw *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void jsonw_begin_object(struct jsonw *j)
{
	open_level(j, '{');
}

void jsonw_end_object(struct jsonw *j)
{
	close_level(j, '}');
}

void jsonw_begin_array(struct jsonw *j)
{
	open_level(j, '[');
}

void jsonw_end_array(struct jsonw *j)
{
	close_level(j, ']');
}

/* Write s as a JSON string literal (valid UTF-8 guaranteed; C0, DEL and C1 as \\u escapes). */
static void put_string(FILE *f, const char *s)
{
	char clean[1024];
	const char *p;
	size_t n = strlen(s);

	/* repair invalid UTF-8 (names come from untrusted processes); long strings in pieces */
	fputc('"', f);
	for (size_t off = 0; off < n;) {
		size_t chunk = n - off > 256 ? 256 : n - off;

		/* do not split a UTF-8 sequence between two pieces */
		while (chunk > 1 && off + chunk < n &&
		       ((unsigned char)s[off + chunk] & 0xc0) == 0x80)
			chunk--;

		utf8_from_units((const uint8_t *)s + off, chunk, 0, clean, sizeof(clean));
		for (p = clean; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if (c == '"' || c == '\\')
				fprintf(f, "\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else if (c == 0xc2 && (unsigned char)p[1] >= 0x80 &&
				 (unsigned char)p[1] <= 0x9f)
				fprintf(f, "\\u%04x",
					(unsigned char)*++p); /* C1 as U+0080-U+009F */
			else
				fputc(c, f);
		}
		off += chunk;
	}
	fputc('"', f);
}

void jsonw_key(struct jsonw *j, const char *key)
{
	sep(j);
	put_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void jsonw_str(struct jsonw *j, const char *s)
{
	sep(j);
	put_string(j->f, s ? s : "");
}

void jsonw_uint(struct jsonw *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void jsonw_int(struct jsonw *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%lld", (long long)v);
}

void jsonw_double(struct jsonw *j, double v)
{
	sep(j);
	if (isfinite(v))
		fprintf(j->f, "%.15g", v);
	else
		fputs("null", j->f);
}

void jsonw_bool(struct jsonw *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void jsonw_null(struct jsonw *j)
{
	sep(j);
	fputs("null", j->f);
}

void jsonw_kv_str(struct jsonw *j, const char *k, const char *v)
{
	jsonw_key(j, k);
	jsonw_str(j, v);
}

void jsonw_kv_uint(struct jsonw *j, const char *k, uint64_t v)
{
	jsonw_key(j, k);
	jsonw_uint(j, v);
}

void jsonw_kv_int(struct jsonw *j, const char *k, int64_t v)
{
	jsonw_key(j, k);
	jsonw_int(j, v);
}

void jsonw_kv_double(struct jsonw *j, const char *k, double v)
{
	jsonw_key(j, k);
	jsonw_double(j, v);
}

void jsonw_kv_bool(struct jsonw *j, const char *k, bool v)
{
	jsonw_key(j, k);
	jsonw_bool(j, v);
}

void jsonw_kv_null(struct jsonw *j, const char *k)
{
	jsonw_key(j, k);
	jsonw_null(j);
}
