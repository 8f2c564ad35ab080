// SPDX-License-Identifier: MIT
/* Directory sink: a size-capped ordered file queue whose files are plain profiles. */
#include <stdio.h>
#include <string.h>
#include "agent/agent_sink.h"

int agent_sink_dir_open(struct agent_spool *sp, const struct agent_cfg *c)
{
	return agent_spool_open(sp, c->dir, strcmp(c->format, "pprof") ? ".folded" : ".pb.gz",
				c->dir_max_bytes);
}

int agent_sink_dir_write(struct agent_spool *sp, const char *file, int pid, const void *body,
			 size_t len)
{
	char tag[128];

	snprintf(tag, sizeof(tag), "%.100s-%d", file, pid);
	return agent_spool_put(sp, tag, NULL, body, len);
}
