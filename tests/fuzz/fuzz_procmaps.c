// SPDX-License-Identifier: MIT
/* Fuzz the /proc/PID/maps line parser: any bytes, never a crash or an overread. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "target/procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmap m;
	char *line = malloc(size ? size : 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	if (procmaps_parse_line(line, size, &m) == 0 && strlen(m.path) >= sizeof(m.path))
		abort();
	free(line);
	return 0;
}
