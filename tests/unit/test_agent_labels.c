// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "agent/agent_labels.h"

Test(agent_labels, value_escapes_name_grammar_characters)
{
	char out[64];

	cr_assert_str_eq(agent_label_value("a{b},c=d e", out, sizeof(out)), "a_b__c_d_e");
	cr_assert_str_eq(agent_label_value("/system.slice/x-1:2", out, sizeof(out)),
			 "/system.slice/x-1:2");
	cr_assert_str_eq(agent_label_value("", out, sizeof(out)), "unknown");
	cr_assert_str_eq(agent_label_value("caf\xc3\xa9", out, sizeof(out)), "caf__");
}

Test(agent_labels, app_name_lists_labels_in_order)
{
	struct agent_kv kv[] = {
		{ "host", "h1" }, { "service", "my app" }, { "pod", "" }, { "python", "3.12" }
	};
	char out[128];

	cr_assert_eq(agent_app_name("checkout", "cpu", kv, 4, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "checkout.cpu{host=h1,service=my_app,python=3.12}");
	cr_assert_eq(agent_app_name("checkout", "cpu", kv, 4, out, 20), -ENAMETOOLONG);
}

Test(agent_labels, app_is_a_template_or_a_prefix)
{
	char out[64];

	cr_assert_eq(agent_app("{service}", "cart", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "cart");
	cr_assert_eq(agent_app("prod-{service}-{service}", "cart", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "prod-cart-cart");
	cr_assert_eq(agent_app("team", "cart", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "team.cart");
	cr_assert_eq(agent_app("", "cart", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "cart");
	cr_assert_eq(agent_app("{service}", "0123456789", out, 8), -ENAMETOOLONG);
	cr_assert_eq(agent_app("x{service}y{service}", "0123456789", out, 20), -ENAMETOOLONG);
}

Test(agent_labels, series_labels_list)
{
	cr_assert(agent_series_labels_ok(""));
	cr_assert(agent_series_labels_ok("pid"));
	cr_assert(agent_series_labels_ok("pod_uid,pid,cgroup,container_id"));
	cr_assert_not(agent_series_labels_ok("pid,pid"));
	cr_assert_not(agent_series_labels_ok("pid,"));
	cr_assert_not(agent_series_labels_ok("tid"));
	cr_assert_not(agent_series_labels_ok("pidx"));
	cr_assert(agent_series_label_on("cgroup,pid", "pid"));
	cr_assert_not(agent_series_label_on("cgroup", "pid"));
	cr_assert_not(agent_series_label_on("pod_uid", "pod"));
}

Test(agent_labels, url_encoding_keeps_only_unreserved)
{
	char out[128];

	cr_assert_eq(agent_url_encode("p{a=b,c=/x}", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "p%7Ba%3Db%2Cc%3D%2Fx%7D");
}

Test(agent_labels, service_prefers_pystrobe_then_otel)
{
	const char env1[] = "A=1\0OTEL_SERVICE_NAME=otel\0PYSTROBE_SERVICE=ps\0";
	const char env2[] = "OTEL_SERVICE_NAME=otel\0X=PYSTROBE_SERVICE=no\0";
	const char env3[] = "PYSTROBE_SERVICEX=no\0";
	char out[64];

	cr_assert_eq(agent_service_from_environ(env1, sizeof(env1), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "ps");
	cr_assert_eq(agent_service_from_environ(env2, sizeof(env2), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "otel");
	cr_assert_eq(agent_service_from_environ(env3, sizeof(env3), out, sizeof(out)), -ENOENT);
}

Test(agent_labels, service_from_script_or_module)
{
	const char c1[] = "python3\0-u\0/srv/app/worker.py\0--x\0";
	const char c2[] = "python3\0-m\0celery.worker\0";
	const char c3[] = "python3\0-mhttp.server\0";
	const char c4[] = "python3\0-c\0pass\0";
	char out[64];

	cr_assert_eq(agent_service_from_cmdline(c1, sizeof(c1), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "worker");
	cr_assert_eq(agent_service_from_cmdline(c2, sizeof(c2), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "celery.worker");
	cr_assert_eq(agent_service_from_cmdline(c3, sizeof(c3), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "http.server");
	cr_assert_eq(agent_service_from_cmdline(c4, sizeof(c4), out, sizeof(out)), -ENOENT);
}

Test(agent_labels, cgroup_v2_line)
{
	char out[64];

	cr_assert_eq(agent_cgroup_from_text("0::/system.slice/app.service\n", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/system.slice/app.service");
	cr_assert_eq(agent_cgroup_from_text("1:cpu:/x\n", out, sizeof(out)), -ENOENT);
}

Test(agent_labels, file_name_has_no_slash_nor_leading_dot)
{
	char out[64];

	cr_assert_not(agent_file_name("checkout", "cpu", out, sizeof(out)));
	cr_assert_str_eq(out, "checkout.cpu");
	cr_assert(agent_file_name("team/api", "cpu", out, sizeof(out)));
	cr_assert_str_eq(out, "team_api.cpu");
	cr_assert(agent_file_name("../../etc", "cpu", out, sizeof(out)));
	cr_assert_str_eq(out, "_._.._etc.cpu");
	cr_assert(agent_file_name("", "syscalls", out, sizeof(out)));
	cr_assert_str_eq(out, "unknown.syscalls");
}
