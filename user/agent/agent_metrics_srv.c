// SPDX-License-Identifier: MIT
/*
 * The /metrics responder, in its own thread: it serves the last text the
 * main loop published and never touches the session. Each connection has a
 * total deadline (not one per byte): a client that trickles its request is
 * closed when it passes, and at most CONN_MAX are open at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "agent/agent_metrics.h"
#include "agent/agent_thread.h"
#include "lib/clock.h"

#define CONN_MAX 16
#define CONN_DEADLINE_MS 200 /* to send the whole request head */
#define TEXT_MAX 16384

struct conn {
	int fd; /* -1 free */
	uint64_t deadline_ms;
	size_t n;
	char req[1024];
};

struct agent_metrics_srv {
	int lfd, wake[2]; /* wake[1] written on free */
	pthread_t th;
	pthread_mutex_t mu;
	char text[TEXT_MAX]; /* under mu */
	int len;
	struct conn c[CONN_MAX];
};

static uint64_t mono_ms(void)
{
	return mono_ns() / 1000000;
}

/* Listen on 127.0.0.1:port (non-blocking). fd or -errno. */
static int listen_on(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Write the answer without blocking: what the socket buffer does not take is lost. */
static void answer(struct agent_metrics_srv *srv, struct conn *c)
{
	bool want = !strncmp(c->req, "GET /metrics ", 13) || !strncmp(c->req, "GET /metrics?", 13);
	char out[TEXT_MAX + 256];
	int h, n;

	pthread_mutex_lock(&srv->mu);
	n = want ? srv->len : 0;
	h = snprintf(out, sizeof(out),
		     "HTTP/1.1 %s\r\nContent-Type: text/plain; version=0.0.4\r\n"
		     "Content-Length: %d\r\nConnection: close\r\n\r\n",
		     want ? "200 OK" : "404 Not Found", n);
	memcpy(out + h, srv->text, (size_t)n);
	pthread_mutex_unlock(&srv->mu);
	(void)!send(c->fd, out, (size_t)(h + n), MSG_DONTWAIT | MSG_NOSIGNAL);
	conn_close(c);
}

/* Read what c has sent; answer once the head is complete. */
static void on_readable(struct agent_metrics_srv *srv, struct conn *c)
{
	ssize_t r = recv(c->fd, c->req + c->n, sizeof(c->req) - 1 - c->n, MSG_DONTWAIT);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_close(c);
		return;
	}
	c->n += (size_t)r;
	c->req[c->n] = '\0';
	if (memmem(c->req, c->n, "\r\n\r\n", 4) || c->n == sizeof(c->req) - 1)
		answer(srv, c);
}

/* A free slot, or the oldest connection's (closed): a new scrape always gets in. */
static struct conn *slot(struct agent_metrics_srv *srv)
{
	struct conn *old = &srv->c[0];

	for (int i = 0; i < CONN_MAX; i++) {
		if (srv->c[i].fd < 0)
			return &srv->c[i];
		if (srv->c[i].deadline_ms < old->deadline_ms)
			old = &srv->c[i];
	}
	conn_close(old);
	return old;
}

static void accept_all(struct agent_metrics_srv *srv)
{
	int fd;

	while ((fd = accept4(srv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct conn *c = slot(srv);

		c->fd = fd;
		c->n = 0;
		c->deadline_ms = mono_ms() + CONN_DEADLINE_MS;
	}
}

/* Close the connections past their deadline; the poll timeout to the next one. */
static int expire(struct agent_metrics_srv *srv)
{
	uint64_t now = mono_ms(), next = UINT64_MAX;

	for (int i = 0; i < CONN_MAX; i++) {
		struct conn *c = &srv->c[i];

		if (c->fd >= 0 && c->deadline_ms <= now)
			conn_close(c);
		else if (c->fd >= 0 && c->deadline_ms < next)
			next = c->deadline_ms;
	}
	return next == UINT64_MAX ? -1 : (int)(next - now);
}

static void *serve(void *arg)
{
	struct agent_metrics_srv *srv = arg;
	struct pollfd pf[CONN_MAX + 2];
	int idx[CONN_MAX], n, timeout;

	for (;;) {
		timeout = expire(srv);
		pf[0] = (struct pollfd){ srv->wake[0], POLLIN, 0 };
		pf[1] = (struct pollfd){ srv->lfd, POLLIN, 0 };
		n = 2;
		for (int i = 0; i < CONN_MAX; i++)
			if (srv->c[i].fd >= 0) {
				idx[n - 2] = i;
				pf[n++] = (struct pollfd){ srv->c[i].fd, POLLIN, 0 };
			}
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		for (int k = 2; k < n; k++)
			if (pf[k].revents)
				on_readable(srv, &srv->c[idx[k - 2]]);
		if (pf[1].revents)
			accept_all(srv);
	}
	return NULL;
}

struct agent_metrics_srv *agent_metrics_srv__new(unsigned port)
{
	struct agent_metrics_srv *srv = calloc(1, sizeof(*srv));
	int err;

	if (!srv)
		return NULL;
	for (int i = 0; i < CONN_MAX; i++)
		srv->c[i].fd = -1;
	srv->wake[0] = srv->wake[1] = -1;
	pthread_mutex_init(&srv->mu, NULL);
	srv->lfd = listen_on(port);
	err = srv->lfd < 0 ? srv->lfd : 0;
	if (!err && pipe2(srv->wake, O_CLOEXEC))
		err = -errno;
	err = err ?: agent_thread_start(&srv->th, serve, srv);
	if (err) {
		if (srv->lfd >= 0)
			close(srv->lfd);
		if (srv->wake[0] >= 0) {
			close(srv->wake[0]);
			close(srv->wake[1]);
		}
		pthread_mutex_destroy(&srv->mu);
		free(srv);
		errno = -err;
		return NULL;
	}
	return srv;
}

void agent_metrics_srv__publish(struct agent_metrics_srv *srv, const struct agent_metrics *m)
{
	char text[TEXT_MAX];
	int n = agent_metrics_format(m, text, sizeof(text));

	if (!srv || n < 0)
		return;
	pthread_mutex_lock(&srv->mu);
	memcpy(srv->text, text, (size_t)n);
	srv->len = n;
	pthread_mutex_unlock(&srv->mu);
}

void agent_metrics_srv__free(struct agent_metrics_srv *srv)
{
	if (!srv)
		return;
	(void)!write(srv->wake[1], "x", 1);
	pthread_join(srv->th, NULL);
	for (int i = 0; i < CONN_MAX; i++)
		conn_close(&srv->c[i]);
	close(srv->lfd);
	close(srv->wake[0]);
	close(srv->wake[1]);
	pthread_mutex_destroy(&srv->mu);
	free(srv);
}
