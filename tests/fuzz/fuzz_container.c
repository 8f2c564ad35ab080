// SPDX-License-Identifier: MIT
/* Fuzz the cgroup path -> container identity parser: any bytes, never an overread. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "target/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), label[1024];
	struct container_ident c;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (container_parse_cgroup(buf, size, &c) == 0) {
		/* what it found is NUL-terminated and of the promised shape */
		if (!c.id[0] && !c.pod_uid[0])
			abort();
		if ((c.id[0] && strlen(c.id) != 64) || (c.pod_uid[0] && strlen(c.pod_uid) != 36))
			abort();
		container_label(&c, label, sizeof(label));
		container_label(&c, label, 1);
	}
	free(buf);
	return 0;
}
