// SPDX-License-Identifier: MIT
/* Command-line value parsers. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "lib/log.h"
#include "lib/parse.h"

int parse_u64(const char *arg, uint64_t min, uint64_t max, const char *what, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		ps_err("invalid %s '%s': expected %llu..%llu", what, arg, (unsigned long long)min,
		       (unsigned long long)max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int parse_pid_list(const char *arg, pid_t *pids, size_t cap, size_t *nr)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	uint64_t v;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		if (*nr >= cap) {
			ps_err("too many pids: at most %zu", cap);
			err = -E2BIG;
			break;
		}
		err = parse_u64(tok, 1, INT_MAX, "pid", &v);
		if (!err)
			pids[(*nr)++] = (pid_t)v;
	}
	if (!err && *nr == 0) {
		ps_err("invalid pid list '%s'", arg);
		err = -EINVAL;
	}
	free(copy);
	return err;
}
