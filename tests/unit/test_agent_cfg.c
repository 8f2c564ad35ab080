// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "agent/agent_cfg.h"

Test(agent_cfg, defaults_are_the_documented_ones)
{
	struct agent_cfg c;

	agent_cfg_defaults(&c);
	cr_assert_eq(c.period_s, 15, "period: expected 15, got %u", c.period_s);
	cr_assert_eq(c.freq_hz, 19, "frequency: expected 19, got %u", c.freq_hz);
	cr_assert_str_eq(c.format, "pprof");
	cr_assert_eq(c.insecure, false, "TLS verification must be on by default");
	cr_assert_eq(c.metrics_port, 9465);
	cr_assert_eq(c.syscalls, true, "the syscall audit is on by default");
	cr_assert_eq(c.gil_exact, false, "the GIL audit is opt-in");
}

Test(agent_cfg, gil_key_is_exact_or_off)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, "gil = exact\n", why, sizeof(why)), 0, "error: %s", why);
	cr_assert_eq(c.gil_exact, true, "gil = exact: expected on");
	cr_assert_eq(agent_cfg_set(&c, "gil", "off", why, sizeof(why)), 0, "error: %s", why);
	cr_assert_eq(c.gil_exact, false, "gil = off: expected off");
}

Test(agent_cfg, gil_key_rejects_other_values)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, "gil = true\n", why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "line 1: bad value for gil: 'true'"), "got: %s", why);
	cr_assert_eq(agent_cfg_set(&c, "gil", "estimated", why, sizeof(why)), -EINVAL);
	cr_assert_eq(c.gil_exact, false, "a rejected value changes nothing");
}

Test(agent_cfg, syscalls_key_turns_the_audit_off)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, "syscalls = false\n", why, sizeof(why)), 0, "error: %s",
		     why);
	cr_assert_eq(c.syscalls, false, "syscalls = false: expected off");
	cr_assert_eq(agent_cfg_parse(&c, "syscalls = maybe\n", why, sizeof(why)), -EINVAL);
}

Test(agent_cfg, parses_keys_comments_blanks_and_quotes)
{
	struct agent_cfg c;
	char why[200] = "";
	const char *text = "# agent\n\nperiod = 30\n  url=http://p:4040  \n"
			   "dir = \"/var/lib/x y\"\nspool-max-mb = 2\ntls-insecure = no\n";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, text, why, sizeof(why)), 0, "error: %s", why);
	cr_assert_eq(c.period_s, 30, "period: expected 30, got %u", c.period_s);
	cr_assert_str_eq(c.url, "http://p:4040");
	cr_assert_str_eq(c.dir, "/var/lib/x y");
	cr_assert_eq(c.spool_max_bytes, 2ULL << 20, "spool cap: expected %llu, got %llu",
		     2ULL << 20, (unsigned long long)c.spool_max_bytes);
}

Test(agent_cfg, names_the_line_of_an_unknown_key)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, "period = 5\nbogus = 1\n", why, sizeof(why)), -ENOENT);
	cr_assert(strstr(why, "line 2") && strstr(why, "bogus"), "why: %s", why);
}

Test(agent_cfg, rejects_out_of_range_and_non_numbers)
{
	struct agent_cfg c;
	char why[200];

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_set(&c, "period", "0", why, sizeof(why)), -EINVAL);
	cr_assert_eq(agent_cfg_set(&c, "frequency", "19x", why, sizeof(why)), -EINVAL);
	cr_assert_eq(agent_cfg_set(&c, "metrics-port", "-1", why, sizeof(why)), -EINVAL);
	cr_assert_eq(agent_cfg_set(&c, "format", "svg", why, sizeof(why)), -EINVAL);
	cr_assert_eq(agent_cfg_parse(&c, "period 5\n", why, sizeof(why)), -EINVAL);
	cr_assert_eq(c.period_s, 15, "a rejected value must not be stored (got %u)", c.period_s);
}

Test(agent_cfg, inline_comments_after_a_space)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(agent_cfg_parse(&c, "period = 20   # seconds\nhost = a#b\n", why, sizeof(why)),
		     0, "error: %s", why);
	cr_assert_eq(c.period_s, 20, "period: expected 20, got %u", c.period_s);
	cr_assert_str_eq(c.host, "a#b", "a '#' inside a value stays");
}

Test(agent_cfg, the_packaged_example_parses)
{
	struct agent_cfg c;
	char why[200] = "";

	agent_cfg_defaults(&c);
	cr_assert_eq(
		agent_cfg_load(&c, PS_SOURCE_DIR "/packaging/agent.conf.example", why, sizeof(why)),
		0, "error: %s", why);
	cr_assert_str_eq(c.dir, "/var/lib/pystrobe/profiles");
	cr_assert_eq(c.metrics_port, 9465);
	cr_assert_eq(c.gil_exact, false, "the example keeps the GIL audit off");
}

Test(agent_cfg, ca_file_key)
{
	struct agent_cfg c;
	char why[128];

	agent_cfg_defaults(&c);
	cr_assert_str_eq(c.ca_file, "");
	cr_assert_eq(agent_cfg_set(&c, "ca-file", "/etc/pystrobe/ca.pem", why, sizeof(why)), 0);
	cr_assert_str_eq(c.ca_file, "/etc/pystrobe/ca.pem");
}
