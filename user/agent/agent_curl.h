/* SPDX-License-Identifier: MIT */
/*
 * libcurl, loaded when the agent first pushes over HTTP. Linking it costs
 * every command ~30 ms of CPU at exec: the loader maps and relocates its ~30
 * libraries (TLS, Kerberos, LDAP) and runs their constructors, for a push
 * that only `agent --url` ever makes.
 */
#ifndef PYSTROBE_AGENT_CURL_H
#define PYSTROBE_AGENT_CURL_H

#define CURL_DISABLE_TYPECHECK /* its checks are macros over curl_easy_setopt */
#include <curl/curl.h>
#include <stddef.h>

/* The libcurl functions the push uses, by the names curl.h gives them. */
struct agent_curl {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *c);
	void (*easy_reset)(CURL *c);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode rc);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *c);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *c);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd fds[], unsigned n, int timeout_ms,
				int *numfds);
	CURLMcode (*multi_wakeup)(CURLM *m);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	curl_mime *(*mime_init)(CURL *c);
	void (*mime_free)(curl_mime *m);
	curl_mimepart *(*mime_addpart)(curl_mime *m);
	CURLcode (*mime_name)(curl_mimepart *p, const char *name);
	CURLcode (*mime_filename)(curl_mimepart *p, const char *name);
	CURLcode (*mime_type)(curl_mimepart *p, const char *type);
	CURLcode (*mime_data)(curl_mimepart *p, const char *data, size_t len);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

/*
 * libcurl's functions, loaded once (thread-safe); NULL if libcurl.so.4 or
 * one of its functions is missing (why filled).
 */
const struct agent_curl *agent_curl_load(char *why, size_t len);

#endif /* PYSTROBE_AGENT_CURL_H */
