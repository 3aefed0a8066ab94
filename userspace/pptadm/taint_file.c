// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kept taint file and giving it to ppt: see taint_file.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "persist.h"
#include "taint_file.h"

const char *taint_file_path(void)
{
	const char *env = getenv("PPT_TAINTED_FILE");

	return env && *env ? env : TAINT_FILE_DEFAULT;
}

void taint_free(struct taint_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->tok[i]);
	free(s->tok);
	s->tok = NULL;
	s->n = 0;
}

static bool find(const struct taint_set *s, const char *tok, size_t *at)
{
	size_t i;

	for (i = 0; tok && i < s->n; i++)
		if (!strcmp(s->tok[i], tok)) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

bool taint_has(const struct taint_set *s, const char *tok)
{
	return find(s, tok, NULL);
}

int taint_add(struct taint_set *s, const char *tok)
{
	char **v, *t;

	if (find(s, tok, NULL))
		return 0;
	t = strdup(tok);
	v = realloc(s->tok, (s->n + 1) * sizeof(*v));
	if (!t || !v) {
		free(t);
		if (v)
			s->tok = v;
		return -ENOMEM;
	}
	s->tok = v;
	s->tok[s->n++] = t;
	return 0;
}

bool taint_drop(struct taint_set *s, const char *tok)
{
	size_t at;

	if (!find(s, tok, &at))
		return false;
	free(s->tok[at]);
	memmove(&s->tok[at], &s->tok[at + 1], (s->n - at - 1) * sizeof(*s->tok));
	s->n--;
	return true;
}

int taint_parse(struct taint_set *s, const char *file, const char *content,
		char *err, size_t errlen)
{
	const char *p = content;
	unsigned int line = 0;

	memset(s, 0, sizeof(*s));
	while (*p) {
		size_t len = strcspn(p, "\n");
		char buf[256], canon[256];
		const char *why, *b, *e;
		int ret;

		line++;
		b = p;
		e = p + len;
		p = *e ? e + 1 : e;
		/* a comment to the end of the line; blanks around the token */
		if (memchr(b, '#', len))
			e = memchr(b, '#', len);
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (b == e)
			continue;
		if ((size_t)(e - b) >= sizeof(buf)) {
			snprintf(err, errlen, "%s:%u: entry too long", file, line);
			taint_free(s);
			return -EINVAL;
		}
		memcpy(buf, b, e - b);
		buf[e - b] = '\0';
		ret = entry_normalize(strchr(buf, '/') ? PPT_MATCH_PATH : PPT_MATCH_DEVICE,
				      buf, canon, sizeof(canon), &why);
		if (!ret && strpbrk(buf, " \t,"))
			ret = -EINVAL, why = "one function per line";
		if (ret) {
			snprintf(err, errlen, "%s:%u: \"%s\" is neither a PCI address nor a topology path: %s",
				 file, line, buf, why);
			taint_free(s);
			return -EINVAL;
		}
		if (taint_add(s, canon)) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			taint_free(s);
			return -ENOMEM;
		}
	}
	return 0;
}

int taint_load(struct taint_set *s, const char *file, char *err, size_t errlen)
{
	char *content = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		snprintf(err, errlen, "%s: %s", file, strerror(-ret));
		return ret;
	}
	for (;;) {
		if (n + 1 >= cap) {
			char *c = realloc(content, cap ? cap * 2 : 4096);

			if (!c) {
				ret = -ENOMEM;
				snprintf(err, errlen, "%s: %s", file, strerror(ENOMEM));
				goto out;
			}
			content = c;
			cap = cap ? cap * 2 : 4096;
		}
		r = read(fd, content + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", file, strerror(-ret));
			goto out;
		}
		if (!r)
			break;
		n += r;
	}
	content[n] = '\0';
	ret = taint_parse(s, file, content, err, errlen);
out:
	free(content);
	close(fd);
	return ret;
}

int taint_save(const struct taint_set *s, const char *file, char *err, size_t errlen)
{
	static const char head[] =
		"# Kept by pptadm agent: functions that went to a tenant and were not\n"
		"# cleaned since.  ppt is given them at the agent's start (tainted=),\n"
		"# so that they come back dirty after a reboot.  See pptadm(8).\n";
	size_t len = sizeof(head), i;
	char *content, *p;
	const char *slash;
	int ret;

	for (i = 0; i < s->n; i++)
		len += strlen(s->tok[i]) + 1;
	content = malloc(len);
	if (!content) {
		snprintf(err, errlen, "%s: %s", file, strerror(ENOMEM));
		return -ENOMEM;
	}
	p = stpcpy(content, head);
	for (i = 0; i < s->n; i++) {
		p = stpcpy(p, s->tok[i]);
		*p++ = '\n';
	}
	*p = '\0';
	/* its directory, when no one made it (systemd's StateDirectory= does) */
	slash = strrchr(file, '/');
	ret = 0;
	if (slash && slash != file) {
		char *dir = strndup(file, slash - file);

		ret = dir ? persist_mkdirs(dir, err, errlen) : -ENOMEM;
		if (!dir)
			snprintf(err, errlen, "%s", strerror(ENOMEM));
		free(dir);
	}
	if (!ret)
		ret = persist_write(file, content, err, errlen);
	free(content);
	return ret;
}

bool taint_note(struct taint_set *s, const char *addr, const char *path, bool tainted,
		bool *nomem)
{
	bool changed;

	*nomem = false;
	if (!tainted) {
		changed = taint_drop(s, addr);
		return taint_drop(s, path) || changed;
	}
	/* by path when it has one: the same slot after bus renumbering */
	if (taint_has(s, path) || (!path && taint_has(s, addr)))
		return false;
	if (taint_add(s, path ? path : addr)) {
		*nomem = true;
		return false;
	}
	/* an entry by address gives way to the path */
	if (path)
		taint_drop(s, addr);
	return true;
}

char *taint_join(const struct taint_set *s)
{
	size_t len = 1, i;
	char *out, *p;

	for (i = 0; i < s->n; i++)
		len += strlen(s->tok[i]) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	p = out;
	*p = '\0';
	for (i = 0; i < s->n; i++)
		p += sprintf(p, "%s%s", i ? "," : "", s->tok[i]);
	return out;
}

int taint_give(const struct taint_set *s, const char *param, char *err, size_t errlen)
{
	char *list;
	ssize_t w;
	int fd, ret = 0;

	if (!s->n)
		return 0;
	list = taint_join(s);
	if (!list) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	fd = open(param, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(err, errlen, "%s does not exist: ppt is not loaded, or is too old to take tainted=",
				 param);
		else
			snprintf(err, errlen, "%s: %s", param, strerror(-ret));
		goto out;
	}
	w = write(fd, list, strlen(list));
	if (w < 0) {
		ret = -errno;
		snprintf(err, errlen, "writing %s: %s%s", param, strerror(-ret),
			 ret == -EINVAL ? " (the kernel log names the entry it refused)" : "");
	}
	close(fd);
out:
	free(list);
	return ret;
}
