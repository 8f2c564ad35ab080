// SPDX-License-Identifier: MIT
/* /proc/kallsyms as a sorted table: parse once, bsearch per kernel frame. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/kallsyms.h"

#define KSYM_NAME_MAX 512 /* longer names are cut */

/* Grow a buffer of *cap elements of size sz to hold need; 0 or -ENOMEM. */
static int grow(void **buf, size_t *cap, size_t need, size_t sz)
{
	size_t n = *cap ? *cap : 1024;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n * sz);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

/* Parse a hex number at s[0..len); bytes used (0: none or overflow). */
static size_t parse_hex(const char *s, size_t len, uint64_t *out)
{
	size_t i;
	uint64_t v = 0;
	int d;

	for (i = 0; i < len && i < 16; i++) {
		d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
		    s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 :
		    s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 :
						 -1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return i < len && (s[i] == ' ' || s[i] == '\t') ? i : 0;
}

/*
 * Append one symbol whose name is the rest of the line. Its name is kept as an
 * offset into k->names until kallsyms_parse() ends: the buffer may still move.
 */
static int add_sym(struct kallsyms *k, uint64_t addr, const char *name, size_t len)
{
	char buf[KSYM_NAME_MAX];
	size_t n = 0;

	/* a NUL ends the name: the table holds C strings */
	for (size_t i = 0; i < len && name[i] && n + 1 < sizeof(buf); i++)
		if (name[i] != '\t' || n == 0 || buf[n - 1] != ' ')
			buf[n++] = name[i] == '\t' ? ' ' : name[i];
	if (n == 0)
		return 0;
	if (grow((void **)&k->syms, &k->cap, k->nr + 1, sizeof(*k->syms)) ||
	    grow((void **)&k->names, &k->names_cap, k->names_len + n + 1, 1))
		return -ENOMEM;
	memcpy(k->names + k->names_len, buf, n);
	k->names[k->names_len + n] = '\0';
	k->syms[k->nr].addr = addr;
	k->syms[k->nr++].name = (const char *)(uintptr_t)k->names_len;
	k->names_len += n + 1;
	return 0;
}

/* Parse one line "ADDR TYPE NAME[\t[MODULE]]"; 0 (also when skipped) or -ENOMEM. */
static int parse_line(struct kallsyms *k, const char *s, size_t len)
{
	uint64_t addr;
	size_t i = parse_hex(s, len, &addr);

	if (i == 0 || addr == 0 || i + 3 >= len || s[i + 2] != ' ')
		return 0;
	return add_sym(k, addr, s + i + 3, len - i - 3);
}

/* qsort order: by address. */
static int cmp_ksym(const void *a, const void *b)
{
	const struct kallsym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

int kallsyms_parse(struct kallsyms *k, const char *text, size_t len)
{
	size_t first = k->nr;
	const char *end = text + len, *nl;
	int err;

	/* names were stored as offsets: turn pointers back into offsets while adding */
	for (size_t i = 0; i < first; i++)
		k->syms[i].name = (const char *)(uintptr_t)(k->syms[i].name - k->names);
	while (text < end) {
		nl = memchr(text, '\n', (size_t)(end - text));
		if (!nl)
			nl = end;
		err = parse_line(k, text, (size_t)(nl - text));
		if (err)
			return err;
		text = nl + 1;
	}
	for (size_t i = 0; i < k->nr; i++)
		k->syms[i].name = k->names + (uintptr_t)k->syms[i].name;
	if (k->nr)
		qsort(k->syms, k->nr, sizeof(*k->syms), cmp_ksym);
	return k->nr ? 0 : -ENOENT;
}

int kallsyms_load(struct kallsyms *k, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	int err = 0;

	if (!f)
		return -errno;
	do {
		if (grow((void **)&buf, &cap, len + 65536, 1)) {
			err = -ENOMEM;
			break;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	err = err ?: kallsyms_parse(k, buf, len);
	free(buf);
	return err;
}

const struct kallsym *kallsyms_find(const struct kallsyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->nr;

	/* the last symbol with sym.addr <= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &k->syms[lo - 1] : NULL;
}

void kallsyms_free(struct kallsyms *k)
{
	free(k->syms);
	free(k->names);
	memset(k, 0, sizeof(*k));
}
