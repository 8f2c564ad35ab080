// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the thread-name reader (pythreads_active and _read over
 * python/pyobj.c and pydict.c). Input: byte 0 picks the layout table entry
 * (modulo its size, so versions without a reader are tried too), bytes 1-4
 * the PyInterpreterState's offset in the image (u32 LE), and the rest is the
 * target's memory at address IMG_BASE, copied to a buffer of exactly its
 * size so that ASan catches any read past it. Every read goes through the
 * bounded reader below, as process_vm_readv would. Seeds:
 * tests/fuzz/corpus/pythreads/ (the synthetic images of test_pythreads.c,
 * written with PYSTROBE_PYTHREADS_SEEDS=DIR).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "python/pythreads.h"

#define HDR_BYTES 5
#define IMG_BASE 0x100000ULL

struct img {
	const uint8_t *mem;
	size_t len;
};

/* pymem_read_fn over the image: -EFAULT outside it, as for an unmapped page. */
static int img_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct img *im = ctx;

	if (addr < IMG_BASE || addr - IMG_BASE > im->len || len > im->len - (addr - IMG_BASE))
		return -EFAULT;
	memcpy(buf, im->mem + (addr - IMG_BASE), len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pythread out[PYTHREADS_MAX];
	struct img im;
	struct pymem m;
	uint64_t active;
	uint32_t off;
	uint8_t *copy;
	size_t nr = 0;

	if (size < HDR_BYTES || !layout_count())
		return 0;
	off = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
	      (uint32_t)data[4] << 24;
	copy = malloc(size - HDR_BYTES + 1);
	if (!copy)
		return 0;
	memcpy(copy, data + HDR_BYTES, size - HDR_BYTES);
	im = (struct img){ copy, size - HDR_BYTES };
	m = (struct pymem){ .read = img_read,
			    .ctx = &im,
			    .l = layout_at(data[0] % layout_count()),
			    .budget_bytes = PYTHREADS_BUDGET_BYTES };
	if (!pythreads_active(&m, IMG_BASE + off, &active))
		pythreads_read(&m, active, out, PYTHREADS_MAX, &nr);
	if (nr > PYTHREADS_MAX || m.budget_bytes > PYTHREADS_BUDGET_BYTES)
		abort();
	for (size_t i = 0; i < nr; i++)
		if (strnlen(out[i].name, sizeof(out[i].name)) == sizeof(out[i].name))
			abort(); /* a name without its NUL */
	free(copy);
	return 0;
}
