// SPDX-License-Identifier: MIT
/* Fuzz the /proc/PID/status NSpid and /proc/PID/cgroup parsers: any bytes, never an overread. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "target/procns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), out[PROCNS_CGROUP_MAX], tiny[1];
	pid_t pids[4];
	int n;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	n = procns_parse_nspid(buf, size, pids, 4);
	if (n > PROCNS_LEVELS_MAX)
		abort();
	for (int i = 0; i < n && i < 4; i++)
		if (pids[i] <= 0)
			abort();
	if (procns_parse_cgroup(buf, size, out, sizeof(out)) == 0 &&
	    (strlen(out) >= sizeof(out) || out[0] != '/'))
		abort();
	procns_parse_cgroup(buf, size, tiny, sizeof(tiny));
	procns_parse_nspid(buf, size, NULL, 0);
	free(buf);
	return 0;
}
