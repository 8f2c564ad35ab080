// SPDX-License-Identifier: MIT
/* A cgroup v2 path -> container id, runtime and pod UID; the identity's label. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "target/container.h"

#define ID_HEX 64 /* containerd, CRI-O, Docker and Podman ids: sha256 in hex */
#define UID_LEN 36
#define LABEL_ID_HEX 12 /* the short id Docker and crictl print */

/* A runtime's systemd scope name: PREFIX<id>.scope. */
struct scope_kind {
	const char *prefix;
	const char *runtime;
};

static const struct scope_kind scopes[] = {
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "docker-", "docker" },
	{ "libpod-", "podman" },
};

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static bool has_prefix(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && !memcmp(s, pre, k);
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && !memcmp(s + n - k, suf, k);
}

/*
 * s[0..n) as a pod UID ('_' of systemd slice names read as '-') into out
 * (untouched unless it is one: a later component may not be): true if it is.
 */
static bool take_uid(const char *s, size_t n, char *out)
{
	char uid[UID_LEN + 1];

	if (n != UID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i] == '_' ? '-' : s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? ch != '-' : !all_hex(&ch, 1))
			return false;
		uid[i] = ch;
	}
	memcpy(out, uid, n);
	out[n] = '\0';
	return true;
}

/* A pod component: kubepods[-QOS]-pod<uid>.slice (systemd) or pod<uid> under kubepods (cgroupfs). */
static bool pod_component(const char *s, size_t n, bool in_kubepods, char *uid)
{
	const char *p;

	if (has_prefix(s, n, "kubepods") && has_suffix(s, n, ".slice")) {
		for (p = s + n - 6; p > s && memcmp(p, "-pod", 4); p--)
			;
		return p > s && take_uid(p + 4, (size_t)(s + n - 6 - (p + 4)), uid);
	}
	return in_kubepods && has_prefix(s, n, "pod") && take_uid(s + 3, n - 3, uid);
}

/* A container component: a runtime's scope, or a bare id (cgroupfs drivers). */
static bool container_component(const char *s, size_t n, const char *parent, size_t pn,
				struct container_ident *c)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t k = strlen(scopes[i].prefix);

		if (n == k + ID_HEX + 6 && has_prefix(s, n, scopes[i].prefix) &&
		    has_suffix(s, n, ".scope") && all_hex(s + k, ID_HEX)) {
			snprintf(c->runtime, sizeof(c->runtime), "%s", scopes[i].runtime);
			snprintf(c->id, sizeof(c->id), "%.*s", ID_HEX, s + k);
			return true;
		}
	}
	if (n != ID_HEX || !all_hex(s, n))
		return false;
	/* /docker/<id> is Docker's cgroupfs layout; under kubepods the runtime is not named */
	snprintf(c->runtime, sizeof(c->runtime), "%s",
		 pn == 6 && !memcmp(parent, "docker", 6) ? "docker" : "");
	snprintf(c->id, sizeof(c->id), "%.*s", ID_HEX, s);
	return true;
}

int container_parse_cgroup(const char *path, size_t len, struct container_ident *c)
{
	const char *end = path + len, *s = path, *parent = "";
	bool kube = false, found = false;
	size_t pn = 0;

	memset(c, 0, sizeof(*c));
	while (s < end) {
		const char *e = memchr(s, '/', (size_t)(end - s));
		size_t n = e ? (size_t)(e - s) : (size_t)(end - s);

		kube |= has_prefix(s, n, "kubepods");
		/* the innermost match wins: a container nested in another is itself */
		if (n && (pod_component(s, n, kube, c->pod_uid) ||
			  container_component(s, n, parent, pn, c)))
			found = true;
		parent = s;
		pn = n;
		s += n + 1;
	}
	if (!found)
		memset(c, 0, sizeof(*c));
	return found ? 0 : -ENOENT;
}

char *container_label(const struct container_ident *c, char *buf, size_t len)
{
	char who[CONTAINER_NAME_MAX + 16] = "";

	if (c->name[0])
		snprintf(who, sizeof(who), "container %s", c->name);
	else if (c->id[0])
		snprintf(who, sizeof(who), "container %.*s", LABEL_ID_HEX, c->id);
	if (c->pod[0])
		snprintf(buf, len, "pod %s/%s%s%s", c->ns, c->pod, who[0] ? ", " : "", who);
	else if (c->pod_uid[0])
		snprintf(buf, len, "pod %s%s%s", c->pod_uid, who[0] ? ", " : "", who);
	else
		snprintf(buf, len, "%s", who);
	return buf;
}

void container_identify(const char *path, size_t len, struct container_ident *c)
{
	static const struct container_dirs std = { .pods = CONTAINER_LOG_PODS,
						   .containers = CONTAINER_LOG_CONTAINERS,
						   .docker = CONTAINER_DOCKER_DIR };

	if (container_parse_cgroup(path, len, c))
		return;
	if (c->pod_uid[0])
		container_pod_lookup(&std, c);
	else if (c->id[0])
		container_docker_name(&std, c);
}
