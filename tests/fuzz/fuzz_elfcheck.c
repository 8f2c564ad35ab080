// SPDX-License-Identifier: MIT
/*
 * Fuzz the section-size check run on target files before libdw reads them
 * (elfsym_check_fd): section headers, SHF_COMPRESSED headers and GNU
 * ".zdebug" headers of any bytes, through a memfd as a real fd. Never a
 * crash, an overread or an allocation beyond the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "target/elfsym.h"

#define CAP (1ULL << 20) /* a small cap, so that inputs can exceed it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("elfcheck", MFD_CLOEXEC);
	int err;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		err = elfsym_check_fd(fd, CAP);
		if (err && err != -EFBIG && err != -ENOEXEC && err != -EPERM)
			abort();
	}
	close(fd);
	return 0;
}
