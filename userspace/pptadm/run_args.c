// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parts of pptadm run that need no kernel; see run.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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

enum run_step run_giveback_step(uint32_t state, const char *dev_owner,
				const char *owner, bool auto_clean)
{
	switch (state) {
	case PPT_STATE_CLAIMED:
		return strcmp(dev_owner, owner) ? RUN_DONE : RUN_UNCLAIM;
	case PPT_STATE_DIRTY:
		return auto_clean ? RUN_WAIT : RUN_DIRTY;
	case PPT_STATE_UNASSIGNING:
	case PPT_STATE_CLEANING:
	case PPT_STATE_ASSIGNING:
	case PPT_STATE_RESETTING:
		return RUN_WAIT;
	case PPT_STATE_ASSIGNED:
		return strcmp(dev_owner, owner) ? RUN_DONE : RUN_HELD;
	case PPT_STATE_QUARANTINED:
		return RUN_QUARANTINED;
	default:
		return RUN_DONE;	/* reserved, or someone else's now */
	}
}

bool run_auto_clean(const char *root)
{
	char v[8] = "", path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/module/ppt/parameters/auto_clean", root);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (!fgets(v, sizeof(v), f))
		v[0] = 'Y';
	fclose(f);
	return v[0] == 'Y' || v[0] == '1';
}
