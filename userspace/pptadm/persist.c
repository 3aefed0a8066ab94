// SPDX-License-Identifier: GPL-2.0-only
/*
 * The modprobe.d file of boot lists: see persist.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"
#include "persist.h"
#include "sanitise.h"

static const char *const params[PERSIST_NPARAMS] = {
	[PPT_MATCH_IDS] = "ids",
	[PPT_MATCH_DEVICE] = "devices",
	[PPT_MATCH_PATH] = "paths",
	[PPT_MATCH_VFS] = "vfs",
	[PERSIST_SANITISE] = "sanitise",
};

/*
 * ppt's lists are string module parameters (charp): the kernel refuses a
 * value longer than 1024 bytes (param_set_charp()), and modprobe ppt fails
 * with it.
 */
#define PARAM_MAX	1024

/* What joins a list's entries: a sanitiser may hold a ',' (bar:0,2). */
static char separator(int list)
{
	return list == PERSIST_SANITISE ? ';' : ',';
}

#define NEW_FILE_HEADER \
	"# Boot lists of the ppt module (PCI passthrough reservation).\n" \
	"# Kept by pptadm add, remove and sanitise --persist; edits by hand must stay\n" \
	"# 'options ppt ids=... devices=... paths=... vfs=... sanitise=...' lines and comments.\n"

const char *persist_path(void)
{
	const char *env = getenv(PERSIST_ENV);

	return env && env[0] ? env : PERSIST_DEFAULT_PATH;
}

const char *persist_param(int list)
{
	return (unsigned int)list < PERSIST_NPARAMS ? params[list] : "?";
}

/* The list's value as rendered, in bytes. */
static size_t list_len(const struct persist *p, int kind)
{
	size_t i, n = 0;

	for (i = 0; i < p->nlist[kind]; i++)
		n += strlen(p->list[kind][i].text) + (i > 0);
	return n;
}

const char *persist_strerror(int err)
{
	if (err == -E2BIG)
		return "the list would be longer than the 1024 bytes a module parameter takes (modprobe ppt would fail)";
	return strerror(-err);
}

static int add_entry(struct persist *p, int kind,
		     const char *text, const char *canon, int line)
{
	struct persist_entry *e;

	e = realloc(p->list[kind], (p->nlist[kind] + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	p->list[kind] = e;
	e = &e[p->nlist[kind]];
	e->text = strdup(text);
	e->canon = strdup(canon);
	e->line = line;
	if (!e->text || !e->canon) {
		free(e->text);
		free(e->canon);
		return -ENOMEM;
	}
	p->nlist[kind]++;
	return 0;
}

const struct persist_entry *persist_find(const struct persist *p, int kind,
					 const char *canon)
{
	size_t i;

	for (i = 0; i < p->nlist[kind]; i++)
		if (!strcmp(p->list[kind][i].canon, canon))
			return &p->list[kind][i];
	return NULL;
}

/*
 * What entries of a list are compared by: a vfs= entry's PF, a sanitise=
 * entry's KIND:SELECTOR.
 */
static void entry_key(int kind, const char *canon, char *key, size_t len)
{
	bool keyed = kind == PPT_MATCH_VFS || kind == PERSIST_SANITISE;

	snprintf(key, len, "%.*s", (int)(keyed ? strcspn(canon, "=") : strlen(canon)), canon);
}

int persist_sanitise_normalize(const char *tok, char *canon, size_t len, char *key,
			       size_t keylen, char *why, size_t whylen)
{
	const char *colon = strchr(tok, ':'), *eq = strchr(tok, '='), *how, *spec;
	char kind[16], sel[PPT_MATCH_BUFLEN], norm[PPT_MATCH_BUFLEN], serr[256];
	struct sanitiser_spec ss;
	int k;

	if (!colon || !eq || eq < colon) {
		snprintf(why, whylen, "want KIND:SELECTOR=SANITISER (KIND device, ids or class)");
		return -EINVAL;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - tok < 15 ? colon - tok : 15), tok);
	k = ppt_sanitise_kind_parse(kind);
	if (k < 0 || (size_t)(colon - tok) != strlen(kind)) {
		snprintf(why, whylen, "unknown selector kind \"%.*s\" (want device, ids or class)",
			 (int)(colon - tok), tok);
		return -EINVAL;
	}
	if ((size_t)(eq - colon - 1) >= sizeof(sel)) {
		snprintf(why, whylen, "selector too long");
		return -EINVAL;
	}
	snprintf(sel, sizeof(sel), "%.*s", (int)(eq - colon - 1), colon + 1);
	spec = eq + 1;
	if (k == PPT_SANITISE_BY_CLASS) {
		size_t n = strspn(sel, "0123456789abcdefABCDEF");

		if (sel[n] || (n != 2 && n != 4 && n != 6)) {
			snprintf(why, whylen, "class \"%s\": want 2, 4 or 6 hex digits", sel);
			return -EINVAL;
		}
		for (n = 0; sel[n]; n++)
			norm[n] = (char)tolower((unsigned char)sel[n]);
		norm[n] = '\0';
	} else if (entry_normalize(k == PPT_SANITISE_BY_DEVICE ? PPT_MATCH_DEVICE : PPT_MATCH_IDS,
				   sel, norm, sizeof(norm), &how)) {
		snprintf(why, whylen, "%s \"%s\": %s", kind, sel, how);
		return -EINVAL;
	}
	if (strcmp(spec, "none") && sanitiser_parse(spec, &ss, serr, sizeof(serr))) {
		snprintf(why, whylen, "%s", serr);
		return -EINVAL;
	}
	if (strpbrk(spec, " \t;")) {
		snprintf(why, whylen, "sanitiser \"%s\": no whitespace or ';'", spec);
		return -EINVAL;
	}
	if ((size_t)snprintf(key, keylen, "%s:%s", kind, norm) >= keylen ||
	    (size_t)snprintf(canon, len, "%s=%s", key, spec) >= len) {
		snprintf(why, whylen, "entry too long");
		return -EINVAL;
	}
	return 0;
}

/* "ppt" as a module name: modprobe treats '-' and '_' alike. */
static bool is_ppt(const char *w)
{
	return !strcmp(w, "ppt");
}

/* One "key=value" word of an options ppt line. */
static int parse_param(struct persist *p, const char *word, int lineno,
		       char *err, size_t errlen)
{
	const char *eq = strchr(word, '='), *v, *why;
	char tok[PERSIST_ENTRY_BUFLEN + 1], canon[PERSIST_ENTRY_BUFLEN], swhy[320];
	char sep[2] = { 0 };
	size_t klen, len, max;
	int kind;

	if (!eq) {
		snprintf(err, errlen, "%s:%d: \"%s\" is not parameter=value",
			 p->path, lineno, word);
		return -EINVAL;
	}
	klen = (size_t)(eq - word);
	for (kind = 0; kind < PERSIST_NPARAMS; kind++)
		if (strlen(params[kind]) == klen && !strncmp(params[kind], word, klen))
			break;
	/* another file's, or the command line's: only the lists count */
	if (p->lenient && (kind == PERSIST_NPARAMS || strchr(eq + 1, '"') ||
			   strchr(eq + 1, '\'')))
		return 0;
	if (kind == PERSIST_NPARAMS) {
		snprintf(err, errlen,
			 "%s:%d: unknown ppt parameter \"%.*s\" (this file holds ids=, devices=, paths=, vfs= and sanitise=)",
			 p->path, lineno, (int)klen, word);
		return -EINVAL;
	}
	if (strchr(eq + 1, '"') || strchr(eq + 1, '\'')) {
		snprintf(err, errlen, "%s:%d: quoted values are not supported: %s",
			 p->path, lineno, word);
		return -EINVAL;
	}
	sep[0] = separator(kind);
	/* a match list's entry is as long as the module takes it */
	max = kind == PERSIST_SANITISE ? sizeof(tok) - 1 : PPT_MATCH_BUFLEN;
	for (v = eq + 1; *v; v += len + (v[len] == sep[0])) {
		char key[PERSIST_ENTRY_BUFLEN];

		len = strcspn(v, sep);
		snprintf(tok, sizeof(tok), "%.*s", (int)(len < sizeof(tok) ? len : sizeof(tok) - 1), v);
		if (len >= max) {
			why = "entry too long";
		} else if (kind == PERSIST_SANITISE) {
			if (persist_sanitise_normalize(tok, canon, sizeof(canon), key, sizeof(key),
						       swhy, sizeof(swhy))) {
				why = swhy;
			} else {
				const struct persist_entry *e = persist_find(p, kind, key);

				if (!e && add_entry(p, kind, canon, key, lineno))
					return -ENOMEM;
				/* the module would keep the last; say which, rather than guess */
				if (e && !p->lenient) {
					snprintf(err, errlen,
						 "%s:%d: sanitise= entry \"%s\": %s is named already (as \"%s\", line %d)",
						 p->path, lineno, tok, key, e->text, e->line);
					return -EINVAL;
				}
				continue;
			}
		} else if (!entry_normalize((enum ppt_match_kind)kind, tok, canon,
					    PPT_MATCH_BUFLEN, &why)) {
			const struct persist_entry *e;

			entry_key(kind, canon, key, sizeof(key));
			e = persist_find(p, kind, key);
			if (!e && add_entry(p, kind, tok, key, lineno))
				return -ENOMEM;
			/* one count per PF: the module would use the first */
			if (e && kind == PPT_MATCH_VFS && !p->lenient) {
				char other[PPT_MATCH_BUFLEN];

				entry_normalize(PPT_MATCH_VFS, e->text, other, sizeof(other), &why);
				if (strcmp(other, canon)) {
					snprintf(err, errlen,
						 "%s:%d: vfs= entry \"%s\": %s is named already (as \"%s\", line %d)",
						 p->path, lineno, tok, key, e->text, e->line);
					return -EINVAL;
				}
			}
			continue;
		}
		/* the module skips an entry it cannot parse, and so does this */
		if (p->lenient)
			continue;
		snprintf(err, errlen, "%s:%d: %s= entry \"%s\": %s", p->path,
			 lineno, params[kind], tok, why);
		return -EINVAL;
	}
	if (!p->lenient && list_len(p, kind) > PARAM_MAX) {
		snprintf(err, errlen,
			 "%s:%d: %s= is %zu bytes long: the module takes at most %d (modprobe ppt would fail)",
			 p->path, lineno, params[kind], list_len(p, kind), PARAM_MAX);
		return -EINVAL;
	}
	/* "devices=" and "devices=a," leave an empty entry behind */
	if (!p->lenient && (!eq[1] || eq[strlen(eq) - 1] == sep[0])) {
		snprintf(err, errlen, "%s:%d: %s= has an empty entry", p->path,
			 lineno, params[kind]);
		return -EINVAL;
	}
	return 0;
}

/* The line's words, split at whitespace; modifies line. */
static int words(char *line, char **w, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		w[n++] = t;
	}
	return n;
}

#define MAX_WORDS 64

static int parse_line(struct persist *p, size_t idx, char *err, size_t errlen)
{
	const char *line = p->lines[idx];
	int lineno = (int)idx + 1, n, i, ret = 0;
	char *copy, *w[MAX_WORDS];

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return 0;
	if (line[strlen(line) - 1] == '\\') {
		snprintf(err, errlen, "%s:%d: continued lines ('\\' at the end) are not supported here",
			 p->path, lineno);
		return -EINVAL;
	}
	copy = strdup(line);
	if (!copy)
		return -ENOMEM;
	n = words(copy, w, MAX_WORDS);
	if (p->lenient) {
		/* another file: its "options ppt" lines only, the rest is not ours */
		if (n >= 2 && !strcmp(w[0], "options") && is_ppt(w[1]))
			for (i = 2; !ret && i < n; i++)
				ret = parse_param(p, w[i], lineno, err, errlen);
		free(copy);
		return ret;
	}
	if (n < 0) {
		snprintf(err, errlen, "%s:%d: too many words", p->path, lineno);
		ret = -EINVAL;
	} else if (!n) {
		ret = 0;
	} else if (!strcmp(w[0], "options")) {
		if (n < 2 || !is_ppt(w[1])) {
			snprintf(err, errlen,
				 "%s:%d: options for module \"%s\": this file holds ppt's only",
				 p->path, lineno, n < 2 ? "" : w[1]);
			ret = -EINVAL;
		}
		for (i = 2; !ret && i < n; i++)
			ret = parse_param(p, w[i], lineno, err, errlen);
		if (!ret && p->opt_line < 0)
			p->opt_line = (long)idx;
	} else if (!strcmp(w[0], "softdep")) {
		for (i = 1; i < n && !is_ppt(w[i]); i++)
			;
		if (i == n) {
			snprintf(err, errlen, "%s:%d: a softdep line that does not name ppt",
				 p->path, lineno);
			ret = -EINVAL;
		}
	} else {
		snprintf(err, errlen,
			 "%s:%d: \"%s\" lines are not understood here (only comments, \"options ppt\" and \"softdep ... ppt\")",
			 p->path, lineno, w[0]);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

/*
 * Is this an "options ppt" line?  (Only asked of a parsed file.)  It skips
 * what words() splits at, as parse_line() saw the line: a line that starts
 * with a '\r' is an options line there too, and must be replaced here.
 */
static bool is_options_line(const char *line)
{
	char buf[32];

	while (*line == ' ' || *line == '\t' || *line == '\r')
		line++;
	return sscanf(line, "options %31s", buf) == 1 && is_ppt(buf);
}

/* Parse content, strictly (ppt's own file) or leniently (another source). */
static int parse_content(struct persist *p, const char *path,
			 const char *content, bool lenient, char *err,
			 size_t errlen)
{
	const char *s = content;
	size_t i;
	int ret;

	memset(p, 0, sizeof(*p));
	p->lenient = lenient;
	p->path = path;
	p->opt_line = -1;
	p->exists = content != NULL;
	while (s && *s) {
		size_t len = strcspn(s, "\n");
		char **l = realloc(p->lines, (p->nlines + 1) * sizeof(*l));

		if (!l)
			return -ENOMEM;
		p->lines = l;
		l[p->nlines] = strndup(s, len);
		if (!l[p->nlines])
			return -ENOMEM;
		p->nlines++;
		s += len + (s[len] == '\n');
	}
	for (i = 0; i < p->nlines; i++) {
		ret = parse_line(p, i, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int persist_parse(struct persist *p, const char *path, const char *content,
		  char *err, size_t errlen)
{
	return parse_content(p, path, content, false, err, errlen);
}

static int load_file(struct persist *p, const char *path, bool lenient,
		     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		if (errno == ENOENT)
			return parse_content(p, path, NULL, lenient, err, errlen);
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		memset(p, 0, sizeof(*p));
		return ret;
	}
	for (;;) {
		size_t got;

		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = len + 4096 + 1);

			if (!nb) {
				free(buf);
				fclose(f);
				memset(p, 0, sizeof(*p));
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, 4096, f);
		len += got;
		if (got < 4096)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		memset(p, 0, sizeof(*p));
		return -EIO;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		snprintf(err, errlen, "%s: not a text file (it contains NUL bytes)", path);
		free(buf);
		memset(p, 0, sizeof(*p));
		return -EINVAL;
	}
	ret = parse_content(p, path, buf, lenient, err, errlen);
	p->exists = true;
	free(buf);
	return ret;
}

int persist_load(struct persist *p, const char *path, char *err, size_t errlen)
{
	return load_file(p, path, false, err, errlen);
}

void persist_free(struct persist *p)
{
	size_t i, k;

	for (i = 0; i < p->nlines; i++)
		free(p->lines[i]);
	free(p->lines);
	for (k = 0; k < PERSIST_NPARAMS; k++) {
		for (i = 0; i < p->nlist[k]; i++) {
			free(p->list[k][i].text);
			free(p->list[k][i].canon);
		}
		free(p->list[k]);
	}
	memset(p, 0, sizeof(*p));
}

int persist_add(struct persist *p, int kind, const char *canon)
{
	char key[PERSIST_ENTRY_BUFLEN], old[PPT_MATCH_BUFLEN];
	struct persist_entry *e;
	const char *why;
	char *text;
	int ret;

	entry_key(kind, canon, key, sizeof(key));
	e = (struct persist_entry *)persist_find(p, kind, key);
	if (e && ((kind == PPT_MATCH_VFS &&
		   (entry_normalize(PPT_MATCH_VFS, e->text, old, sizeof(old), &why) ||
		    strcmp(old, canon))) ||
		  (kind == PERSIST_SANITISE && strcmp(e->text, canon)))) {
		/* the PF's count, or the selector's sanitiser, changes */
		if (list_len(p, kind) - strlen(e->text) + strlen(canon) > PARAM_MAX)
			return -E2BIG;
		text = strdup(canon);
		if (!text)
			return -ENOMEM;
		free(e->text);
		e->text = text;
		p->changed = true;
		return 1;
	}
	if (e)
		return 0;
	if (list_len(p, kind) + (p->nlist[kind] > 0) + strlen(canon) > PARAM_MAX)
		return -E2BIG;
	ret = add_entry(p, kind, canon, key, 0);
	if (ret)
		return ret;
	p->changed = true;
	return 1;
}

int persist_del(struct persist *p, int kind, const char *canon)
{
	size_t i;

	for (i = 0; i < p->nlist[kind]; i++) {
		struct persist_entry *e = &p->list[kind][i];

		if (strcmp(e->canon, canon))
			continue;
		free(e->text);
		free(e->canon);
		memmove(e, e + 1, (p->nlist[kind] - i - 1) * sizeof(*e));
		p->nlist[kind]--;
		p->changed = true;
		return 1;
	}
	return 0;
}

/* Append to a growing string; false on allocation failure. */
static bool put(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t nc = (*len + n + 1) * 2;
		char *nb = realloc(*buf, nc);

		if (!nb)
			return false;
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return true;
}

static bool put_options(const struct persist *p, char **buf, size_t *len,
			size_t *cap)
{
	size_t k, i;
	bool any = false;

	for (k = 0; k < PERSIST_NPARAMS; k++)
		any |= p->nlist[k] > 0;
	if (!any)
		return true;
	if (!put(buf, len, cap, "options ppt"))
		return false;
	for (k = 0; k < PERSIST_NPARAMS; k++) {
		char sep[2] = { separator((int)k), 0 };

		for (i = 0; i < p->nlist[k]; i++) {
			if (!put(buf, len, cap, i ? sep : " ") ||
			    (!i && (!put(buf, len, cap, params[k]) ||
				    !put(buf, len, cap, "="))) ||
			    !put(buf, len, cap, p->list[k][i].text))
				return false;
		}
	}
	return put(buf, len, cap, "\n");
}

char *persist_render(const struct persist *p)
{
	size_t len = 0, cap = 0, i;
	char *buf = NULL;
	bool ok = put(&buf, &len, &cap, "");

	if (ok && !p->exists)
		ok = put(&buf, &len, &cap, NEW_FILE_HEADER);
	for (i = 0; ok && i < p->nlines; i++) {
		if (is_options_line(p->lines[i])) {
			if ((long)i == p->opt_line)
				ok = put_options(p, &buf, &len, &cap);
			continue;
		}
		ok = put(&buf, &len, &cap, p->lines[i]) &&
		     put(&buf, &len, &cap, "\n");
	}
	if (ok && p->opt_line < 0)
		ok = put_options(p, &buf, &len, &cap);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

int persist_write(const char *path, const char *content, char *err,
		  size_t errlen)
{
	char real[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	const char *target = path, *slash;
	size_t len = strlen(content);
	mode_t mode = 0644;
	struct stat st;
	int fd, dfd, ret;

	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		if (!realpath(path, real)) {
			ret = -errno;
			snprintf(err, errlen, "%s: cannot follow the symlink: %s",
				 path, strerror(errno));
			return ret;
		}
		target = real;
	}
	if (!stat(target, &st))
		mode = st.st_mode & 07777;
	slash = strrchr(target, '/');
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == target ? 1 : slash - target), target);
	else
		snprintf(dir, sizeof(dir), ".");
	/* not named *.conf: modprobe never reads a half-written file */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir,
			     slash ? slash + 1 : target) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", target);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create a file in %s: %s", dir,
			 strerror(errno));
		return ret;
	}
	ret = 0;
	if (fchmod(fd, mode) || (size_t)write(fd, content, len) != len ||
	    fsync(fd))
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, target))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", target, strerror(-ret));
		unlink(tmp);
		return ret;
	}
	/* make the rename itself durable */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* Does the file have a line whose words include "ppt"? */
static bool file_names_ppt(const char *path, bool first_word_only)
{
	char line[512], *w[MAX_WORDS];
	FILE *f = fopen(path, "r");
	bool found = false;
	int n, i;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');

		if (hash)
			*hash = '\0';
		for (i = 0; line[i]; i++)
			if (line[i] == '"' || line[i] == '=' || line[i] == '\n')
				line[i] = ' ';
		n = words(line, w, MAX_WORDS);
		for (i = 0; i < n && (!first_word_only || i == 0); i++)
			if (is_ppt(w[i]))
				found = true;
	}
	fclose(f);
	return found;
}

/* A file in dir whose name contains "ppt" (and ends in suffix, if given) and, with check, names ppt. */
static bool dir_has(const char *dir, const char *suffix, bool check,
		    char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		size_t n = strlen(e->d_name), sl = suffix ? strlen(suffix) : 0;

		if (e->d_name[0] == '.' ||
		    (suffix && (n < sl || strcmp(e->d_name + n - sl, suffix))))
			continue;
		snprintf(buf, len, "%s/%s", dir, e->d_name);
		found = check ? file_names_ppt(buf, false) : strstr(e->d_name, "ppt") != NULL;
	}
	closedir(d);
	return found;
}

bool persist_others(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], line[512], *w[MAX_WORDS];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	d = opendir(slash == path ? "/" : dir);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		FILE *f;

		if (n < 5 || strcmp(e->d_name + n - 5, ".conf") ||
		    !strcmp(e->d_name, slash ? slash + 1 : path))
			continue;
		snprintf(buf, len, "%s/%s", dir, e->d_name);
		f = fopen(buf, "r");
		while (f && !found && fgets(line, sizeof(line), f))
			found = words(line, w, MAX_WORDS) >= 2 &&
				!strcmp(w[0], "options") && is_ppt(w[1]);
		if (f)
			fclose(f);
	}
	closedir(d);
	return found;
}

bool persist_in_initramfs(const char *root, char *buf, size_t len)
{
	char dir[PATH_MAX];

	snprintf(buf, len, "%s/etc/initramfs-tools/modules", root);
	if (file_names_ppt(buf, true))
		return true;
	snprintf(dir, sizeof(dir), "%s/etc/initramfs-tools/hooks", root);
	if (dir_has(dir, NULL, false, buf, len))
		return true;
	snprintf(dir, sizeof(dir), "%s/usr/share/initramfs-tools/hooks", root);
	if (dir_has(dir, NULL, false, buf, len))
		return true;
	snprintf(dir, sizeof(dir), "%s/etc/dracut.conf.d", root);
	if (dir_has(dir, ".conf", true, buf, len))
		return true;
	return false;
}

int persist_load_other(struct persist *p, const char *path, char *err,
		       size_t errlen)
{
	return load_file(p, path, true, err, errlen);
}

int persist_load_cmdline(struct persist *p, const char *root, char *err,
			 size_t errlen)
{
	char path[PATH_MAX], buf[4096], *save = NULL, *w, *content = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	f = fopen(path, "r");
	if (!f)
		return parse_content(p, "the kernel command line", NULL, true,
				     err, errlen);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	/* "ppt.ids=X ppt.devices=Y" as one "options ppt ids=X devices=Y" line */
	content = malloc(strlen(buf) + 16);
	if (!content)
		return -ENOMEM;
	len = (size_t)sprintf(content, "options ppt");
	for (w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		if (!strncmp(w, "ppt.", 4) || !strncmp(w, "ppt-", 4))
			len += (size_t)sprintf(content + len, " %s", w + 4);
	ret = parse_content(p, "the kernel command line", content, true, err,
			    errlen);
	free(content);
	return ret;
}

int persist_other_files(const char *path, char ***files, size_t *n)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], **v = NULL;
	struct dirent *e;
	DIR *d;

	*files = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	d = opendir(slash == path ? "/" : dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **nv;

		if (len < 5 || strcmp(e->d_name + len - 5, ".conf") ||
		    !strcmp(e->d_name, slash ? slash + 1 : path))
			continue;
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv || asprintf(&nv[*n], "%s/%s", dir, e->d_name) < 0) {
			closedir(d);
			*files = nv ? nv : v;
			return -ENOMEM;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	*files = v;
	return 0;
}

int persist_lock(const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	/*
	 * The file is replaced by a rename, so a lock on it would guard a
	 * file nobody reads any more: lock its directory, which stays.
	 */
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? (slash == path ? "/" : path) : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX) < 0) {
		int ret = -errno;

		snprintf(err, errlen, "%s: cannot lock it: %s", dir, strerror(errno));
		close(fd);
		return ret;
	}
	return fd;
}

int persist_mkdirs(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *p;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	for (p = path + 1; ; p++) {
		bool last = !*p;

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			int ret = -errno;

			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			return ret;
		}
		if (last)
			return 0;
		*p = '/';
	}
}
