/* SPDX-License-Identifier: MIT */
/*
 * A target's memory for the asyncio task reader's fuzz target and unit test:
 * bytes mapped at ASYNC_IMAGE_BASE, where the interpreter-list head sits;
 * a read outside them fails as on an unmapped page.
 */
#ifndef PYSTROBE_ASYNC_IMAGE_H
#define PYSTROBE_ASYNC_IMAGE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define ASYNC_IMAGE_BASE 0x10000ull

struct async_image {
	const uint8_t *data;
	size_t size;
};

/* async_read_fn over a struct async_image: exactly len bytes inside it, or -EFAULT. */
static inline int async_image_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct async_image *im = ctx;
	uint64_t off = addr - ASYNC_IMAGE_BASE;

	if (addr < ASYNC_IMAGE_BASE || off > im->size || len > im->size - off)
		return -EFAULT;
	memcpy(buf, im->data + off, len);
	return 0;
}

/* The string layout of the images (that of 3.12, the same offsets the seeds use). */
#define ASYNC_IMAGE_STR                                                                      \
	{                                                                                    \
		.str_len = 16, .str_state = 32, .str_ascii_data = 40, .str_compact_data = 56 \
	}

#endif /* PYSTROBE_ASYNC_IMAGE_H */
