// SPDX-License-Identifier: MIT
/*
 * HTTP push in Pyroscope's ingest API through libcurl (TLS verification on),
 * loaded at the first open (agent_curl.h).
 * Driven through a multi handle so that the push thread can be woken and
 * stopped mid-request (curl_multi_wakeup): a backend that never answers
 * holds only that thread, and only until the timeout or a stop.
 */
#include "agent/agent_curl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "agent/agent_otlp.h"
#include "agent/agent_sink.h"
#include "lib/log.h"

/* libcurl, set by the first open (before any push thread starts); the same table for every sink */
static const struct agent_curl *cu;

/*
 * Check who may read or change a secret file: another owner (who could swap
 * the credential) or group/other write is refused; group/other read is a
 * loud warning (a mounted secret is often 0644). 0 or -EPERM (why filled).
 */
static int check_secret(int fd, const char *path, char *why, size_t len)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s: not a regular file", path);
		return -EPERM;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, len,
			 "%s: owned by uid %u with mode %04o: a secret must be owned by uid %u "
			 "and not writable by group or others",
			 path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
			 (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH))
		ps_warn("%s: the secret is readable by group or others (mode %04o): chmod go-r",
			path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* The first line of a secret file, trimmed; longer than cap - 1 is an error, not a cut. */
static int read_secret(const char *path, char *out, size_t cap, char *why, size_t len)
{
	char buf[AGENT_STR_MAX * 2];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), err;
	ssize_t n;

	if (fd < 0) {
		snprintf(why, len, "%s: cannot read: %s", path, strerror(errno));
		return -errno;
	}
	err = check_secret(fd, path, why, len);
	n = err ? 0 : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (err || n < 0) {
		if (!err)
			snprintf(why, len, "%s: cannot read: %s", path, strerror(errno));
		return err ?: -EIO;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strlen(buf) >= cap) {
		snprintf(why, len, "%s: the secret is longer than %zu bytes (refused, not cut)",
			 path, cap - 1);
		return -E2BIG;
	}
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

/* Credentials over plain http:// go to anyone on the path: say so. */
static void warn_cleartext(const struct agent_cfg *c)
{
	if (strncmp(c->url, "http://", 7) || (!c->bearer_token_file[0] && !c->basic_auth_file[0]))
		return;
	ps_warn("push: %s is plain http: the %s is sent in clear text (use https://)", c->url,
		c->bearer_token_file[0] ? "bearer token" : "basic auth password");
}

int agent_sink_http_open(struct agent_sink_http *h, const struct agent_cfg *c, bool otlp, char *why,
			 size_t len)
{
	char secret[AGENT_STR_MAX];
	int err = 0;

	memset(h, 0, sizeof(*h));
	h->otlp = otlp;
	snprintf(h->url, sizeof(h->url), "%s", otlp ? c->otlp_url : c->url);
	if (strlen(h->url) && h->url[strlen(h->url) - 1] == '/')
		h->url[strlen(h->url) - 1] = '\0';
	snprintf(h->ca_file, sizeof(h->ca_file), "%s", c->ca_file);
	h->timeout_s = c->timeout_s;
	h->insecure = c->insecure;
	if (c->bearer_token_file[0]) {
		err = read_secret(c->bearer_token_file, secret, sizeof(secret), why, len);
		if (!err)
			snprintf(h->auth, sizeof(h->auth), "Authorization: Bearer %s", secret);
	}
	if (!err && c->basic_auth_file[0])
		err = read_secret(c->basic_auth_file, h->userpwd, sizeof(h->userpwd), why, len);
	if (err)
		return err;
	warn_cleartext(c);
	cu = agent_curl_load(why, len);
	if (!cu)
		return -ENOENT;
	h->curl = cu->easy_init();
	h->multi = cu->multi_init();
	if (!h->curl || !h->multi) {
		agent_sink_http_close(h);
		snprintf(why, len, "libcurl: cannot create a handle");
		return -ENOMEM;
	}
	return 0;
}

void agent_sink_http_close(struct agent_sink_http *h)
{
	if (h->curl)
		cu->easy_cleanup(h->curl);
	if (h->multi)
		cu->multi_cleanup(h->multi);
	h->curl = h->multi = NULL;
}

void agent_sink_http_wake(struct agent_sink_http *h)
{
	if (h->multi)
		cu->multi_wakeup(h->multi);
}

/* Discard the answer body (only the status matters). */
static size_t discard(char *p, size_t sz, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return sz * n;
}

/* Options of one POST (the handle is reused: keep-alive). */
static void set_opts(struct agent_sink_http *h, const char *url, curl_mime *mime,
		     struct curl_slist *hdrs)
{
	CURL *c = h->curl;

	cu->easy_reset(c);
	cu->easy_setopt(c, CURLOPT_URL, url);
	if (mime)
		cu->easy_setopt(c, CURLOPT_MIMEPOST, mime);
	cu->easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cu->easy_setopt(c, CURLOPT_TIMEOUT, (long)h->timeout_s);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(h->timeout_s < 5 ? h->timeout_s : 5));
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->insecure ? 0L : 1L);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, h->insecure ? 0L : 2L);
	if (h->ca_file[0])
		cu->easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_USERAGENT, "pystrobe-agent/" PS_VERSION);
	if (h->userpwd[0]) {
		cu->easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		cu->easy_setopt(c, CURLOPT_USERPWD, h->userpwd);
	}
}

/* Run the transfer set on h->curl until done or *stop. CURLE_* (CURLE_ABORTED_BY_CALLBACK on stop). */
static CURLcode perform(struct agent_sink_http *h, const volatile int *stop)
{
	CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
	CURLMsg *msg;
	int running = 1, left;

	if (cu->multi_add_handle(h->multi, h->curl) != CURLM_OK)
		return CURLE_OUT_OF_MEMORY;
	while (running && !*stop) {
		if (cu->multi_perform(h->multi, &running) != CURLM_OK)
			break;
		if (running)
			cu->multi_poll(h->multi, NULL, 0, 1000, NULL);
	}
	while ((msg = cu->multi_info_read(h->multi, &left)))
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == h->curl)
			rc = msg->data.result;
	cu->multi_remove_handle(h->multi, h->curl);
	return rc;
}

/* What a finished try means: 0 sent, -EREMOTEIO refused for good (4xx), -EAGAIN retry. */
static int verdict(struct agent_sink_http *h, CURLcode rc)
{
	long st = h->last_status;

	if (rc == CURLE_OK && st >= 200 && st < 300) {
		h->nr_ok++;
		return 0;
	}
	snprintf(h->last_error, sizeof(h->last_error), "%s",
		 rc != CURLE_OK ? cu->easy_strerror(rc) : "HTTP status not 2xx");
	/* 4xx but timeout / too many requests: this profile will never be taken */
	if (rc == CURLE_OK && st >= 400 && st < 500 && st != 408 && st != 429) {
		h->nr_rejected++;
		return -EREMOTEIO;
	}
	h->nr_failed++;
	return -EAGAIN;
}

/* Pyroscope's /ingest: the query, the pprof as the multipart field "profile". */
static int push_ingest(struct agent_sink_http *h, const volatile int *stop, const char *query,
		       const void *body, size_t len)
{
	char url[AGENT_STR_MAX * 4];
	curl_mime *mime = cu->mime_init(h->curl);
	curl_mimepart *part = mime ? cu->mime_addpart(mime) : NULL;
	struct curl_slist *hdrs = h->auth[0] ? cu->slist_append(NULL, h->auth) : NULL;
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	snprintf(url, sizeof(url), "%s/ingest?%s", h->url, query);
	h->last_status = 0;
	if (part) {
		cu->mime_name(part, "profile");
		cu->mime_filename(part, "profile.pprof");
		cu->mime_type(part, "application/octet-stream");
		cu->mime_data(part, body, len);
		set_opts(h, url, mime, hdrs);
		rc = perform(h, stop);
		cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->last_status);
	}
	cu->mime_free(mime);
	cu->slist_free_all(hdrs);
	if (rc == CURLE_ABORTED_BY_CALLBACK && *stop)
		return -ECANCELED;
	return verdict(h, rc);
}

/* OTLP/HTTP: the request as the body, application/x-protobuf. CURLE_*. */
static CURLcode post_otlp(struct agent_sink_http *h, const volatile int *stop, const void *body,
			  size_t len)
{
	char url[AGENT_STR_MAX + 32];
	struct curl_slist *hdrs = h->auth[0] ? cu->slist_append(NULL, h->auth) : NULL;
	struct curl_slist *all = cu->slist_append(hdrs, "Content-Type: application/x-protobuf");
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	snprintf(url, sizeof(url), "%s%s", h->url, AGENT_OTLP_PATH);
	if (all) {
		set_opts(h, url, NULL, all);
		cu->easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		cu->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		rc = perform(h, stop);
		cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->last_status);
	}
	cu->slist_free_all(all ? all : hdrs);
	return rc;
}

int agent_sink_http_push(struct agent_sink_http *h, const volatile int *stop, const char *query,
			 const void *body, size_t len)
{
	CURLcode rc;

	if (!h->otlp)
		return push_ingest(h, stop, query, body, len);
	h->last_status = 0;
	rc = post_otlp(h, stop, body, len);
	if (rc == CURLE_ABORTED_BY_CALLBACK && *stop)
		return -ECANCELED;
	return verdict(h, rc);
}
