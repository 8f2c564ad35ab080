/* SPDX-License-Identifier: MIT */
/*
 * Which container and Kubernetes pod a process runs in, without the
 * Kubernetes API: the container id and pod UID from its cgroup v2 path (the
 * layouts of containerd/CRI, CRI-O, Docker and Podman, systemd and cgroupfs
 * drivers), the namespace, pod and container names from the kubelet's log
 * directories (/var/log/pods/<ns>_<pod>_<uid>/<container>/ and
 * /var/log/containers/<pod>_<ns>_<container>-<id>.log), a Docker container's
 * name from its config.v2.json. Pod and container names are chosen by
 * whoever may create pods: directories are opened without following links,
 * must be root's and not writable by group or others, and names with bytes a
 * Kubernetes name cannot hold are ignored.
 */
#ifndef PYSTROBE_CONTAINER_H
#define PYSTROBE_CONTAINER_H

#include <stddef.h>

#define CONTAINER_ID_MAX 65 /* 64 hex digits: longer ids are not container ids */
#define CONTAINER_UID_MAX 37 /* pod UID 8-4-4-4-12: any other length is not one */
#define CONTAINER_NAME_MAX 254 /* a Kubernetes name (DNS subdomain, 253): longer is ignored */
#define CONTAINER_LOG_PODS "/var/log/pods"
#define CONTAINER_LOG_CONTAINERS "/var/log/containers"
#define CONTAINER_DOCKER_DIR "/var/lib/docker/containers"

struct container_ident {
	char runtime[16]; /* "containerd", "cri-o", "docker", "podman", "" unknown */
	char id[CONTAINER_ID_MAX]; /* container id (hex), "" none */
	char pod_uid[CONTAINER_UID_MAX]; /* "" not in a pod */
	char ns[CONTAINER_NAME_MAX]; /* Kubernetes namespace, "" unknown */
	char pod[CONTAINER_NAME_MAX]; /* pod name, "" unknown */
	char name[CONTAINER_NAME_MAX]; /* container name (Kubernetes or Docker), "" unknown */
};

/* Where the names are looked up (tests point these at their own trees). */
struct container_dirs {
	const char *pods; /* CONTAINER_LOG_PODS */
	const char *containers; /* CONTAINER_LOG_CONTAINERS */
	const char *docker; /* CONTAINER_DOCKER_DIR */
};

/*
 * Container id, runtime and pod UID of a cgroup v2 path (any bytes, len of
 * them): 0 if it names a container or a pod, else -ENOENT (c cleared).
 */
int container_parse_cgroup(const char *path, size_t len, struct container_ident *c);

/*
 * Namespace, pod and container name of c->pod_uid (and c->id) from the
 * kubelet's log directories. 0 found, -ENOENT, -EPERM (a directory not
 * root's or writable by others: ignored).
 */
int container_pod_lookup(const struct container_dirs *d, struct container_ident *c);

/* Docker's name of c->id (config.v2.json "Name"). 0, -ENOENT or -EPERM. */
int container_docker_name(const struct container_dirs *d, struct container_ident *c);

/* All of the above for a cgroup path, names from the standard directories. */
void container_identify(const char *path, size_t len, struct container_ident *c);

/*
 * The short human label: "pod ns/pod, container c", "container c",
 * "container <12 hex>" or "" (not in a container). Returns buf.
 */
char *container_label(const struct container_ident *c, char *buf, size_t len);

#endif /* PYSTROBE_CONTAINER_H */
