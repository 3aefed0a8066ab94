// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm run's pieces that need no kernel: see run.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

char *run_join(const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char sep)
{
	char *s = malloc(n * PPT_ADDR_BUFLEN + 1);
	size_t i, off = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t len = strnlen(addrs[i], PPT_ADDR_BUFLEN - 1);

		if (i)
			s[off++] = sep;
		memcpy(s + off, addrs[i], len);
		off += len;
	}
	s[off] = '\0';
	return s;
}

void run_free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* A placeholder at p: "{}" (index -1) or "{N}"; its length, 0 when none. */
static size_t placeholder(const char *p, long *index)
{
	size_t i = 1;
	long v = 0;

	if (p[0] != '{')
		return 0;
	if (p[1] == '}') {
		*index = -1;
		return 2;
	}
	while (i <= 3 && p[i] >= '0' && p[i] <= '9')
		v = v * 10 + (p[i++] - '0');
	if (i == 1 || p[i] != '}')
		return 0;
	*index = v;
	return i + 1;
}

/* One argument expanded (malloc()ed), or NULL with *ret set. */
static char *expand_one(const char *arg, const char *joined,
			const char (*addrs)[PPT_ADDR_BUFLEN], size_t n,
			int *ret, long *bad)
{
	size_t len = 0, cap = strlen(arg) + 1, plen;
	char *out = malloc(cap);
	const char *p;
	long idx;

	if (!out) {
		*ret = -ENOMEM;
		return NULL;
	}
	for (p = arg; *p;) {
		const char *rep = NULL;
		size_t rlen;

		plen = placeholder(p, &idx);
		if (plen) {
			if (idx >= 0 && (size_t)idx >= n) {
				*bad = idx;
				*ret = -ERANGE;
				free(out);
				return NULL;
			}
			rep = idx < 0 ? joined : addrs[idx];
		}
		rlen = rep ? strlen(rep) : 1;
		if (len + rlen + 1 > cap) {
			char *nb;

			cap = (len + rlen + 1) * 2;
			nb = realloc(out, cap);
			if (!nb) {
				free(out);
				*ret = -ENOMEM;
				return NULL;
			}
			out = nb;
		}
		if (rep) {
			memcpy(out + len, rep, rlen);
			p += plen;
		} else {
			out[len] = *p++;
		}
		len += rlen;
	}
	out[len] = '\0';
	return out;
}

int run_expand(int argc, char *const *argv,
	       const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char ***out,
	       char *err, size_t errlen)
{
	char **v = calloc((size_t)argc + 1, sizeof(*v));
	char *joined = run_join(addrs, n, ',');
	int i, ret = 0;
	long bad = 0;

	if (!v || !joined) {
		free(v);
		free(joined);
		return -ENOMEM;
	}
	for (i = 0; i < argc; i++) {
		v[i] = expand_one(argv[i], joined, addrs, n, &ret, &bad);
		if (!v[i])
			break;
	}
	free(joined);
	if (ret) {
		if (ret == -ERANGE)
			snprintf(err, errlen,
				 "argument %d (\"%s\") asks for {%ld}, but %zu device%s claimed ({0} to {%zu})",
				 i + 1, argv[i], bad, n, n == 1 ? " was" : "s were",
				 n ? n - 1 : 0);
		run_free_argv(v);
		return ret;
	}
	*out = v;
	return 0;
}

int run_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

size_t run_vfio_nodes(const char *root, const char *addr, int64_t group,
		      char nodes[RUN_MAX_NODES][RUN_NODE_PATH])
{
	char dir[RUN_NODE_PATH];
	struct dirent *e;
	struct stat st;
	size_t n = 0;
	DIR *d;

	if (group >= 0) {
		snprintf(nodes[n], RUN_NODE_PATH, "%s/dev/vfio/%lld", root,
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
		snprintf(nodes[n], RUN_NODE_PATH, "%s/dev/vfio/devices/%.32s", root,
			 e->d_name);
		if (!stat(nodes[n], &st)) {
			n++;
			break;
		}
	}
	closedir(d);
	return n;
}

int run_node_give(const char *path, uid_t uid, gid_t gid,
		  struct run_node *saved)
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

void run_node_restore(const struct run_node *saved)
{
	struct stat st;

	if (!saved->path[0] || stat(saved->path, &st) ||
	    st.st_rdev != saved->rdev || st.st_ino != saved->ino)
		return;
	if (chown(saved->path, saved->uid, saved->gid))
		return;	/* best effort: the node is about to go anyway */
}
