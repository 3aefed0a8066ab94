// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO nodes given to --user; see vfio_nodes.h.
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "rows.h"
#include "vfio_nodes.h"

int vfio_user_lookup(const char *user, struct vfio_user *u)
{
	struct passwd *pw;
	char *end;
	long id;

	memset(u, 0, sizeof(*u));
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		errno = 0;
		id = strtol(user, &end, 10);
		if (!*end && end != user && id >= 0 && id < 0x7fffffff) {
			pw = getpwuid((uid_t)id);
			if (!pw) {
				u->uid = (uid_t)id;
				u->gid = (gid_t)id;
				snprintf(u->name, sizeof(u->name), "%ld", id);
				return 0;
			}
		}
	}
	if (!pw)
		return -ENOENT;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->named = true;
	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	return 0;
}

size_t vfio_nodes_of(const char *root, const char *addr, int64_t group,
		     char nodes[VFIO_MAX_NODES][VFIO_NODE_PATH])
{
	char dir[VFIO_NODE_PATH];
	struct dirent *e;
	struct stat st;
	size_t n = 0;
	DIR *d;

	if (group >= 0) {
		snprintf(nodes[n], VFIO_NODE_PATH, "%s/dev/vfio/%lld", root,
			 (long long)group);
		if (!stat(nodes[n], &st))
			n++;
	}
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%s/vfio-dev", root, addr);
	d = opendir(dir);
	if (!d)
		return n;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "vfio", 4) || !e->d_name[4] ||
		    strspn(e->d_name + 4, "0123456789") != strlen(e->d_name + 4))
			continue;
		snprintf(nodes[n], VFIO_NODE_PATH, "%s/dev/vfio/devices/%.32s", root,
			 e->d_name);
		if (!stat(nodes[n], &st)) {
			n++;
			break;
		}
	}
	closedir(d);
	return n;
}

int vfio_node_give(const char *path, uid_t uid, gid_t gid,
		   struct vfio_node *saved)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	snprintf(saved->path, sizeof(saved->path), "%s", path);
	saved->uid = st.st_uid;
	saved->gid = st.st_gid;
	saved->rdev = st.st_rdev;
	saved->ino = st.st_ino;
	if (chown(path, uid, gid))
		return -errno;
	return 0;
}

void vfio_node_restore(const struct vfio_node *saved)
{
	struct stat st;

	if (!saved->path[0] || stat(saved->path, &st) ||
	    st.st_rdev != saved->rdev || st.st_ino != saved->ino)
		return;
	if (chown(saved->path, saved->uid, saved->gid))
		return;	/* best effort: the node is about to go anyway */
}

bool vfio_given_has(const struct vfio_given *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].path, path))
			return true;
	return false;
}

int vfio_given_add(struct vfio_given *g, const char *path,
		   const struct vfio_user *u)
{
	int ret;

	if (vfio_given_has(g, path))
		return 0;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		struct vfio_node *nv = realloc(g->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		g->v = nv;
		g->cap = cap;
	}
	ret = vfio_node_give(path, u->uid, u->gid, &g->v[g->n]);
	if (ret)
		return ret;
	g->n++;
	return 0;
}

void vfio_given_restore(struct vfio_given *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		vfio_node_restore(&g->v[i]);
	g->n = 0;
}

void vfio_given_free(struct vfio_given *g)
{
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int vfio_give_group(struct ctx *c, const char *addr,
		    const char (*addrs)[PPT_ADDR_BUFLEN], size_t naddrs)
{
	char nodes[VFIO_MAX_NODES][VFIO_NODE_PATH], what[512];
	struct dev_info info, *list = NULL;
	size_t nlist = 0, i, k, nn;
	int ret;

	ret = rows_get(c->h, addr, &info);
	if (ret) {
		ctx_report_op(c, "--user", addr, ret);
		return -1;
	}
	if (!addrs) {
		ret = rows_list(c->h, &list, &nlist);
		if (ret) {
			ctx_report_op(c, "--user", addr, ret);
			return -1;
		}
	}
	for (i = 0; i < (addrs ? naddrs : nlist); i++) {
		struct dev_info mate;

		if (addrs) {
			if (rows_get(c->h, addrs[i], &mate))
				continue;
		} else {
			mate = list[i];
		}
		if (mate.iommu_group != info.iommu_group)
			continue;
		nn = vfio_nodes_of(c->root, mate.addr, mate.iommu_group, nodes);
		for (k = 0; k < nn; k++) {
			ret = vfio_given_add(&c->given, nodes[k], &c->user);
			if (ret) {
				snprintf(what, sizeof(what), "cannot give %.256s to %.64s",
					 nodes[k], c->user.name);
				ctx_report_what(c, ret, what, ctx_op(c));
				free(list);
				return -1;
			}
		}
	}
	free(list);
	if (info.iommu_group >= 0) {
		snprintf(what, sizeof(what), "%s/dev/vfio/%lld", c->root,
			 (long long)info.iommu_group);
		if (!vfio_given_has(&c->given, what)) {
			snprintf(what, sizeof(what), "%s: /dev/vfio/%lld does not exist", addr,
				 (long long)info.iommu_group);
			ctx_report_name(c, ctx_op(c), addr, -ENOENT, what);
			return -1;
		}
	}
	return 0;
}
