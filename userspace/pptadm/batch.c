// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm -b FILE: see batch.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

void batch_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* A word being built; s is NULL until it has a character. */
struct word {
	char *s;
	size_t len, cap;
};

static int put(struct word *w, char ch)
{
	if (w->len + 2 > w->cap) {
		size_t cap = w->cap * 2 + 32;
		char *ns = realloc(w->s, cap);

		if (!ns)
			return -ENOMEM;
		w->s = ns;
		w->cap = cap;
	}
	w->s[w->len++] = ch;
	w->s[w->len] = '\0';
	return 0;
}

/* Add the word to argv (an empty one, "" or '', too). */
static int push(char ***argv, int *argc, size_t *cap, struct word *w)
{
	if ((size_t)*argc + 2 > *cap) {
		size_t ncap = *cap * 2 + 8;
		char **nv = realloc(*argv, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*argv = nv;
		*cap = ncap;
	}
	if (!w->s) {
		w->s = strdup("");
		if (!w->s)
			return -ENOMEM;
	}
	(*argv)[(*argc)++] = w->s;
	(*argv)[*argc] = NULL;
	memset(w, 0, sizeof(*w));
	return 0;
}

/* The quoted part at *pp (at its opening quote) into w; *pp at its close. */
static int quoted(const char **pp, struct word *w, char *err, size_t errlen)
{
	const char *p = *pp;
	char q = *p;
	int ret = 0;

	for (p++; *p && *p != q && !ret; p++) {
		if (q == '"' && *p == '\\' && p[1] && strchr("\"\\$`", p[1]))
			p++;
		ret = put(w, *p);
	}
	if (ret)
		return ret;
	if (!*p) {
		snprintf(err, errlen, "a %c is not closed", q);
		return -EINVAL;
	}
	*pp = p;
	return 0;
}

int batch_split(const char *line, int *argc, char ***argv, char *err,
		size_t errlen)
{
	struct word w = { 0 };
	const char *p;
	bool inword = false;
	size_t cap = 0;
	int ret = 0;

	*argc = 0;
	*argv = calloc(1, sizeof(**argv));
	if (!*argv)
		return -ENOMEM;
	for (p = line; *p && !ret; p++) {
		if (strchr(" \t\r\n", *p)) {
			if (inword)
				ret = push(argv, argc, &cap, &w);
			inword = false;
		} else if (*p == '#' && !inword) {
			break;
		} else if (*p == '\'' || *p == '"') {
			inword = true;
			ret = quoted(&p, &w, err, errlen);
		} else if (*p == '\\') {
			if (!p[1] || !strcspn(p + 1, "\r\n")) {
				snprintf(err, errlen, "a \\ ends the line (lines do not continue)");
				ret = -EINVAL;
				break;
			}
			inword = true;
			ret = put(&w, *++p);
		} else {
			inword = true;
			ret = put(&w, *p);
		}
	}
	if (!ret && inword)
		ret = push(argv, argc, &cap, &w);
	free(w.s);
	if (ret) {
		batch_free(*argv);
		*argv = NULL;
		*argc = 0;
	}
	return ret;
}

int batch_run(FILE *in, const char *name, bool force, batch_fn fn, void *arg,
	      FILE *err)
{
	char *line = NULL, msg[256], where[512];
	size_t cap = 0, lineno = 0;
	int status = 0, ret, argc;
	char **argv;

	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		ret = batch_split(line, &argc, &argv, msg, sizeof(msg));
		if (ret == -EINVAL)
			fprintf(err, "pptadm: %s: %s\n", where, msg);
		else if (ret)
			fprintf(err, "pptadm: %s: out of memory\n", where);
		if (ret) {
			ret = ret == -EINVAL ? 2 : 1;
		} else {
			ret = argc ? fn(arg, argc, argv, where) : 0;
			batch_free(argv);
		}
		if (ret && !status)
			status = ret < 0 ? -ret : ret;
		if (ret < 0 || (ret && !force))
			break;
	}
	free(line);
	return status;
}
