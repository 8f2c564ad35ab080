// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "target/container.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718"
#define UID_ "1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718"

static int parse(const char *s, struct container_ident *c)
{
	return container_parse_cgroup(s, strlen(s), c);
}

Test(container, containerd_systemd_burstable_pod)
{
	struct container_ident c;
	int err = parse("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			".slice/cri-containerd-" ID ".scope",
			&c);

	cr_assert_eq(err, 0);
	cr_assert_str_eq(c.pod_uid, UID);
	cr_assert_str_eq(c.id, ID);
	cr_assert_str_eq(c.runtime, "containerd");
}

Test(container, crio_guaranteed_pod)
{
	struct container_ident c;

	cr_assert_eq(parse("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope", &c), 0);
	cr_assert_str_eq(c.pod_uid, UID);
	cr_assert_str_eq(c.runtime, "cri-o");
}

Test(container, cgroupfs_kubepods_and_bare_id)
{
	struct container_ident c;

	cr_assert_eq(parse("/kubepods/besteffort/pod" UID "/" ID, &c), 0);
	cr_assert_str_eq(c.pod_uid, UID);
	cr_assert_str_eq(c.id, ID);
	cr_assert_str_eq(c.runtime, "");
}

Test(container, docker_scope_and_cgroupfs)
{
	struct container_ident c;

	cr_assert_eq(parse("/system.slice/docker-" ID ".scope", &c), 0);
	cr_assert_str_eq(c.runtime, "docker");
	cr_assert_str_eq(c.pod_uid, "");
	cr_assert_eq(parse("/docker/" ID, &c), 0);
	cr_assert_str_eq(c.runtime, "docker");
	cr_assert_str_eq(c.id, ID);
}

Test(container, pod_without_container_scope)
{
	struct container_ident c;

	cr_assert_eq(parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
			   ".slice",
			   &c),
		     0);
	cr_assert_str_eq(c.pod_uid, UID);
	cr_assert_str_eq(c.id, "");
}

Test(container, not_containers)
{
	struct container_ident c;

	cr_assert_eq(parse("/user.slice/user-0.slice/session-3.scope", &c), -ENOENT);
	cr_assert_eq(parse("/", &c), -ENOENT);
	cr_assert_eq(parse("", &c), -ENOENT);
	/* pod<uid> outside kubepods, ids one short or with capitals, crio's conmon */
	cr_assert_eq(parse("/pod" UID "/x", &c), -ENOENT);
	cr_assert_eq(parse("/docker/" ID "0", &c), -ENOENT);
	cr_assert_eq(parse("/system.slice/docker-ABCDEF" ID ".scope", &c), -ENOENT);
	cr_assert_eq(parse("/system.slice/crio-conmon-" ID ".scope", &c), -ENOENT);
	cr_assert_eq(parse("/kubepods.slice/kubepods-podnot-a-uid.slice", &c), -ENOENT);
	cr_assert_str_eq(c.id, "");
}

Test(container, label_forms)
{
	struct container_ident c = { .id = ID, .pod_uid = UID };
	char buf[600];

	cr_assert_str_eq(container_label(&c, buf, sizeof(buf)),
			 "pod " UID ", container 0123456789ab");
	snprintf(c.ns, sizeof(c.ns), "shop");
	snprintf(c.pod, sizeof(c.pod), "cart-7d9f");
	snprintf(c.name, sizeof(c.name), "app");
	cr_assert_str_eq(container_label(&c, buf, sizeof(buf)),
			 "pod shop/cart-7d9f, container app");
	memset(&c, 0, sizeof(c));
	cr_assert_str_eq(container_label(&c, buf, sizeof(buf)), "");
}

/* A tree like the kubelet's under a fresh root-owned directory. */
struct tree {
	char root[64], pods[128], links[128], docker[128];
};

static void mk(const char *path, mode_t mode)
{
	cr_assert_eq(mkdir(path, mode), 0, "mkdir %s: %s", path, strerror(errno));
	chmod(path, mode);
}

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	cr_assert_geq(fd, 0);
	close(fd);
}

/* The tree and the lookup directories in it (root only: the directories must be root's). */
static struct container_dirs tree_make(struct tree *t)
{
	char p[512];

	if (geteuid())
		cr_skip_test("needs root: the directories must be root's");
	snprintf(t->root, sizeof(t->root), "/tmp/ps_ct_XXXXXX");
	cr_assert_not_null(mkdtemp(t->root));
	chmod(t->root, 0755);
	snprintf(t->pods, sizeof(t->pods), "%s/pods", t->root);
	snprintf(t->links, sizeof(t->links), "%s/containers", t->root);
	snprintf(t->docker, sizeof(t->docker), "%s/docker", t->root);
	mk(t->pods, 0755);
	mk(t->links, 0755);
	mk(t->docker, 0710);
	snprintf(p, sizeof(p), "%s/shop_cart-7d9f_" UID, t->pods);
	mk(p, 0755);
	snprintf(p, sizeof(p), "%s/shop_cart-7d9f_" UID "/app", t->pods);
	mk(p, 0755);
	return (struct container_dirs){ .pods = t->pods,
					.containers = t->links,
					.docker = t->docker };
}

static void tree_free(struct tree *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->root);
	cr_assert_eq(system(cmd), 0);
}

Test(container, pod_names_from_log_dirs)
{
	struct tree t;
	struct container_ident c = { .id = ID, .pod_uid = UID };
	struct container_dirs d;
	char p[512];

	d = tree_make(&t);
	cr_assert_eq(container_pod_lookup(&d, &c), 0);
	cr_assert_str_eq(c.ns, "shop");
	cr_assert_str_eq(c.pod, "cart-7d9f");
	cr_assert_str_eq(c.name, "app");
	/* a second container: only the per-container link tells which one has this id */
	snprintf(p, sizeof(p), "%s/shop_cart-7d9f_" UID "/sidecar", t.pods);
	mk(p, 0755);
	memset(c.name, 0, sizeof(c.name));
	cr_assert_eq(container_pod_lookup(&d, &c), 0);
	cr_assert_str_eq(c.name, "", "two containers, no link: got %s", c.name);
	snprintf(p, sizeof(p), "%s/cart-7d9f_shop_sidecar-" ID ".log", t.links);
	touch(p);
	cr_assert_eq(container_pod_lookup(&d, &c), 0);
	cr_assert_str_eq(c.name, "sidecar");
	tree_free(&t);
}

Test(container, writable_pods_dir_is_not_trusted)
{
	struct tree t;
	struct container_ident c = { .id = ID, .pod_uid = UID };
	struct container_dirs d;

	d = tree_make(&t);
	chmod(t.pods, 0777);
	cr_assert_eq(container_pod_lookup(&d, &c), -EPERM);
	cr_assert_str_eq(c.pod, "");
	tree_free(&t);
}

Test(container, bad_names_and_links_are_ignored)
{
	struct tree t;
	struct container_ident c = { .pod_uid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" };
	struct container_dirs d;
	char p[512];

	d = tree_make(&t);
	/* a name a Kubernetes object cannot have, and a link posing as a pod directory */
	snprintf(p, sizeof(p), "%s/Shop Floor_x_%s", t.pods, c.pod_uid);
	mk(p, 0755);
	cr_assert_eq(container_pod_lookup(&d, &c), -ENOENT);
	snprintf(p, sizeof(p), "%s/evil_x_%s", t.pods, c.pod_uid);
	cr_assert_eq(symlink("/etc", p), 0);
	cr_assert_neq(container_pod_lookup(&d, &c), 0);
	cr_assert_str_eq(c.pod, "");
	tree_free(&t);
}

Test(container, docker_name_from_config)
{
	struct tree t;
	struct container_ident c = { .id = ID };
	struct container_dirs d;
	char p[512];
	FILE *f;

	d = tree_make(&t);
	snprintf(p, sizeof(p), "%s/" ID, t.docker);
	mk(p, 0710);
	snprintf(p, sizeof(p), "%s/" ID "/config.v2.json", t.docker);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"ID\":\"" ID "\",\"Config\":{},\"Name\":\"/web-1\",\"Driver\":\"overlay2\"}");
	fclose(f);
	cr_assert_eq(container_docker_name(&d, &c), 0);
	cr_assert_str_eq(c.name, "web-1");
	tree_free(&t);
}

/* Found by fuzz_container: a UID that goes wrong late left its first bytes behind. */
Test(container, bad_uid_leaves_nothing)
{
	struct container_ident c;

	cr_assert_eq(parse("/kubepods/besteffort/pod1f2e3d4c-5b6a-7980-a1b2-c3d4\xb0"
			   "5f60718/" ID,
			   &c),
		     0);
	cr_assert_str_eq(c.pod_uid, "");
	cr_assert_str_eq(c.id, ID);
}
