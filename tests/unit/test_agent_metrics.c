// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
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
	cr_assert(strstr(buf, "\npystrobe_agent_push_backoff_seconds 0\n"), "%s", buf);
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

/* A free loopback port (bound then released). */
static unsigned free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}

static int connect_to(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(agent_metrics, slow_clients_delay_no_scrape_and_are_cut)
{
	struct agent_metrics m = { .samples = 77 };
	unsigned port = free_port();
	struct agent_metrics_srv *srv = agent_metrics_srv__new(port);
	int slow[20], fd;
	char buf[8192];
	double t0;
	ssize_t n = 0, r;

	cr_assert_not_null(srv);
	agent_metrics_srv__publish(srv, &m);
	for (int i = 0; i < 20; i++) { /* more than the 16 slots: the oldest make room */
		slow[i] = connect_to(port);
		cr_assert_eq(write(slow[i], "G", 1), 1);
	}
	t0 = now_s();
	fd = connect_to(port);
	cr_assert_eq(write(fd, "GET /metrics HTTP/1.1\r\n\r\n", 26), 26);
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = '\0';
	cr_assert_lt(now_s() - t0, 0.15, "scrape took %.3f s", now_s() - t0);
	cr_assert(strstr(buf, "\npystrobe_agent_samples_total 77\n"), "%s", buf);
	/* a slow client is closed at its deadline (200 ms), not kept alive by bytes */
	t0 = now_s();
	while (read(slow[19], buf, 1) > 0 && now_s() - t0 < 2)
		;
	cr_assert_lt(now_s() - t0, 1.0, "slow client cut after %.3f s", now_s() - t0);
	for (int i = 0; i < 20; i++)
		close(slow[i]);
	close(fd);
	agent_metrics_srv__free(srv);
}
