// SPDX-License-Identifier: MIT
/* HTTP push in Pyroscope's ingest API through libcurl (TLS verification on). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "agent/agent_sink.h"
#include "target/procfs.h"

/* The first line of a secret file, trimmed. */
static int read_secret(const char *path, char *out, size_t cap, char *why, size_t len)
{
	ssize_t n = procfs_read_path(path, out, cap);

	if (n < 0) {
		snprintf(why, len, "%s: cannot read: %s", path, strerror((int)-n));
		return (int)n;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int agent_sink_http_open(struct agent_sink_http *h, const struct agent_cfg *c, char *why,
			 size_t len)
{
	char secret[AGENT_STR_MAX];
	int err = 0;

	memset(h, 0, sizeof(*h));
	snprintf(h->url, sizeof(h->url), "%s", c->url);
	if (strlen(h->url) && h->url[strlen(h->url) - 1] == '/')
		h->url[strlen(h->url) - 1] = '\0';
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
	h->curl = curl_easy_init();
	if (!h->curl) {
		snprintf(why, len, "libcurl: cannot create a handle");
		return -ENOMEM;
	}
	return 0;
}

void agent_sink_http_close(struct agent_sink_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
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

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)h->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(h->timeout_s < 5 ? h->timeout_s : 5));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->insecure ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, h->insecure ? 0L : 2L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "pystrobe-agent/" PS_VERSION);
	if (h->userpwd[0]) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, h->userpwd);
	}
}

int agent_sink_http_push(struct agent_sink_http *h, const char *query, const void *body, size_t len)
{
	char url[AGENT_STR_MAX * 4];
	curl_mime *mime = curl_mime_init(h->curl);
	curl_mimepart *part = mime ? curl_mime_addpart(mime) : NULL;
	struct curl_slist *hdrs = h->auth[0] ? curl_slist_append(NULL, h->auth) : NULL;
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	snprintf(url, sizeof(url), "%s/ingest?%s", h->url, query);
	h->last_status = 0;
	if (part) {
		curl_mime_name(part, "profile");
		curl_mime_filename(part, "profile.pprof");
		curl_mime_type(part, "application/octet-stream");
		curl_mime_data(part, body, len);
		set_opts(h, url, mime, hdrs);
		rc = curl_easy_perform(h->curl);
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->last_status);
	}
	curl_mime_free(mime);
	curl_slist_free_all(hdrs);
	if (rc == CURLE_OK && h->last_status >= 200 && h->last_status < 300) {
		h->nr_ok++;
		return 0;
	}
	h->nr_failed++;
	snprintf(h->last_error, sizeof(h->last_error), "%s",
		 rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP status not 2xx");
	return -EIO;
}
