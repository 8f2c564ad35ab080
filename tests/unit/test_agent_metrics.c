// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "agent/agent_metrics.h"

Test(agent_metrics, exposition_has_help_type_and_values)
{
	struct agent_metrics m = { .samples = 1234,
				   .processes = 3,
				   .pushes_ok = 7,
				   .pushes_failed = 2,
				   .spool_bytes = 4096,
				   .cpu_seconds = 1.5,
				   .rss_bytes = 20 << 20,
				   .nr_drop_kinds = 2,
				   .drop_kind = { "ringbuf_full", "spool_cap" },
				   .drops = { 0, 5 } };
	char buf[8192];
	int n = agent_metrics_format(&m, buf, sizeof(buf));

	cr_assert_gt(n, 0);
	cr_assert_eq((size_t)n, strlen(buf), "length: expected %zu, got %d", strlen(buf), n);
	cr_assert(strstr(buf, "# TYPE pystrobe_agent_samples_total counter\n"
			      "pystrobe_agent_samples_total 1234\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\npystrobe_agent_processes 3\n"), "%s", buf);
	cr_assert(strstr(buf, "\npystrobe_agent_pushes_failed_total 2\n"), "%s", buf);
	cr_assert(strstr(buf, "\npystrobe_agent_cpu_seconds_total 1.5\n"), "%s", buf);
	cr_assert(strstr(buf, "\npystrobe_agent_drops_total{kind=\"spool_cap\"} 5\n"), "%s", buf);
	cr_assert_eq(buf[n - 1], '\n', "the text must end with a newline");
}

Test(agent_metrics, too_small_a_buffer_is_an_error)
{
	struct agent_metrics m = {};
	char buf[64];

	cr_assert_eq(agent_metrics_format(&m, buf, sizeof(buf)), -ENOSPC);
}
