/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake root (/sys, /proc, /lib/modules) in a temporary directory, for
 * the tests of code that reads the host through a root prefix.
 */
#ifndef PPT_FAKETREE_H
#define PPT_FAKETREE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char ft_root[64];

static inline void ft_mkdirs(const char *p)
{
	char b[4096], *s;

	snprintf(b, sizeof(b), "%s", p);
	for (s = b + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(b, 0755);
		*s = '/';
	}
	mkdir(b, 0755);
}

/* Write ROOT/rel (making its directories); content may hold NULs if len. */
static inline void ft_write_n(const char *rel, const char *content, size_t len)
{
	char p[4096], *slash;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", ft_root, rel);
	slash = strrchr(p, '/');
	*slash = '\0';
	ft_mkdirs(p);
	*slash = '/';
	f = fopen(p, "w");
	if (!f) {
		perror(p);
		exit(2);
	}
	fwrite(content, 1, len, f);
	fclose(f);
}

static inline void ft_write(const char *rel, const char *content)
{
	ft_write_n(rel, content, strlen(content));
}

/* ROOT/rel -> target (relative targets resolve inside the tree). */
static inline void ft_link(const char *target, const char *rel)
{
	char p[4096], *slash;

	snprintf(p, sizeof(p), "%s/%s", ft_root, rel);
	slash = strrchr(p, '/');
	*slash = '\0';
	ft_mkdirs(p);
	*slash = '/';
	unlink(p);
	if (symlink(target, p)) {
		perror(p);
		exit(2);
	}
}

static inline void ft_dir(const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", ft_root, rel);
	ft_mkdirs(p);
}

static inline void ft_rm(const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", ft_root, rel);
	unlink(p);
	rmdir(p);
}

static inline void ft_init(void)
{
	snprintf(ft_root, sizeof(ft_root), "/tmp/ppt-fake.XXXXXX");
	if (!mkdtemp(ft_root)) {
		perror("mkdtemp");
		exit(2);
	}
}

static inline void ft_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ft_root);
	if (system(cmd))
		fprintf(stderr, "# cannot remove %s\n", ft_root);
}

#endif /* PPT_FAKETREE_H */
