// SPDX-License-Identifier: MIT
/* Budgeted reads of another process, strs and ints (dicts: pydict.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/utf8.h"
#include "python/pyobj.h"

#define WORD 8
#define STATE_KIND(s) (((s) >> 2) & 7) /* PEP 393 bits, checked by offsets_probe.c */
#define STATE_COMPACT(s) (((s) >> 5) & 1)
#define STATE_ASCII(s) (((s) >> 6) & 1)

int pymem_read(struct pymem *m, uint64_t addr, void *buf, size_t len)
{
	if (len > m->budget_bytes) {
		m->over_budget = true;
		return -E2BIG;
	}
	if (addr == 0 || addr + len < addr)
		return -EFAULT;
	m->budget_bytes -= len;
	m->nr_reads++;
	return m->read(m->ctx, addr, buf, len);
}

int pymem_u64(struct pymem *m, uint64_t addr, uint64_t *v)
{
	return pymem_read(m, addr, v, sizeof(*v));
}

/* Little-endian loads from a buffer read out of the target. */
static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int pyobj_str(struct pymem *m, uint64_t addr, char *buf, size_t cap)
{
	const struct ps_py_offsets *o = &m->l->off;
	uint8_t hdr[128], *data; /* sizeof(PyCompactUnicodeObject): 72 (3.8-3.11) */
	uint64_t len;
	uint32_t state, kind;
	size_t data_off;
	int err;

	if (cap == 0 || o->str_state == PS_OFF_NONE || o->str_compact_data > sizeof(hdr))
		return -EINVAL;
	err = pymem_read(m, addr, hdr, o->str_compact_data);
	if (err)
		return err;
	len = ld64(hdr + o->str_len);
	state = ld32(hdr + o->str_state);
	kind = STATE_KIND(state);
	if (!STATE_COMPACT(state) || (kind != 1 && kind != 2 && kind != 4) ||
	    (STATE_ASCII(state) && kind != 1))
		return -EINVAL; /* legacy (non-compact) strs are not read */
	if (len > PYOBJ_STR_MAX)
		len = PYOBJ_STR_MAX;
	data_off = STATE_ASCII(state) ? o->str_ascii_data : o->str_compact_data;
	data = malloc(len * kind + 1);
	if (!data)
		return -ENOMEM;
	err = pymem_read(m, addr + data_off, data, len * kind);
	if (!err)
		utf8_from_units(data, len * kind, kind, buf, cap);
	free(data);
	return err;
}

int pyobj_int(struct pymem *m, uint64_t addr, int64_t *v)
{
	const struct py_names_pos *n = &m->l->names;
	uint8_t hdr[WORD];
	uint32_t digits[3];
	uint64_t u = 0, size;
	int64_t sign = 1;
	int err = pymem_read(m, addr + n->long_size, hdr, sizeof(hdr));

	if (err)
		return err;
	size = ld64(hdr);
	if (n->long_kind == PY_LONG_TAG) {
		sign = (size & 3) == 2 ? -1 : 1; /* 0: positive, 1: zero, 2: negative */
		size = (size & 3) == 1 ? 0 : size >> 3;
	} else if ((int64_t)size < 0) {
		sign = -1;
		size = -size;
	}
	if (size > 2) /* 30-bit digits: 2 hold 60 bits, enough for any thread id */
		return -ERANGE;
	if (size && (err = pymem_read(m, addr + n->long_digit, digits, size * 4)))
		return err;
	for (uint64_t i = size; i-- > 0;)
		u = u << 30 | (digits[i] & 0x3fffffff);
	*v = sign * (int64_t)u;
	return 0;
}
