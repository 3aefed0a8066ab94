// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm -b FILE (batch.c): lines split into words as a shell splits
 * them, comments and blank lines, the errors, and running the lines:
 * stopping at the first failure, or going on with --force.
 */
#include <errno.h>
#include <stdlib.h>

#include "batch.h"
#include "tap.h"

/* The words of line joined by '|', or "ERR: why". */
static char *split(const char *line)
{
	static char out[1024];
	char **argv, err[256];
	size_t off = 0;
	int argc, i, ret = batch_split(line, &argc, &argv, err, sizeof(err));

	if (ret) {
		snprintf(out, sizeof(out), "ERR: %s", ret == -EINVAL ? err : "?");
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < argc; i++)
		off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%s", i ? "|" : "", argv[i]);
	if (argv[argc])
		snprintf(out, sizeof(out), "not NULL-terminated");
	batch_free(argv);
	return out;
}

/* fn for batch_run(): the first word is the exit status; records the lines */
struct seen {
	char lines[16][64];
	int n;
};

static int fake(void *arg, int argc, char **argv, const char *where)
{
	struct seen *s = arg;

	if (s->n < 16)
		snprintf(s->lines[s->n++], sizeof(s->lines[0]), "%s %s", where, argv[0]);
	(void)argc;
	return atoi(argv[0]);
}

static int run(const char *text, bool force, struct seen *s, char **errout)
{
	size_t len;
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *err = open_memstream(errout, &len);
	int ret;

	memset(s, 0, sizeof(*s));
	ret = batch_run(in, "f", force, fake, s, err);
	fclose(in);
	fclose(err);
	return ret;
}

int main(void)
{
	struct seen s;
	char *err = NULL;

	is_str(split("reserve --force 0000:01:00.0\n"), "reserve|--force|0000:01:00.0", "words");
	is_str(split("  list\t-a  \r\n"), "list|-a", "blanks, tabs and CRLF");
	is_str(split(""), "", "an empty line: no words");
	is_str(split("   \n"), "", "a blank line: no words");
	is_str(split("# a comment\n"), "", "a comment line");
	is_str(split("list # the rest is a comment"), "list", "a comment after words");
	is_str(split("claim --owner a#b"), "claim|--owner|a#b", "a # inside a word is a character");
	is_str(split("claim --owner 'vm one'"), "claim|--owner|vm one", "single quotes keep blanks");
	is_str(split("x 'a\"b\\c'"), "x|a\"b\\c", "... and everything else");
	is_str(split("x \"a b\\\"c\\\\d\\$e\\`f\\g\""), "x|a b\"c\\d$e`f\\g",
	       "double quotes: \\\" \\\\ \\$ \\` lose their backslash, others keep it");
	is_str(split("x a\\ b c\\'d"), "x|a b|c'd", "a backslash outside quotes keeps the next character");
	is_str(split("x ab'cd'\"ef\"g"), "x|abcdefg", "quoted parts join the word");
	is_str(split("x '' \"\""), "x||", "empty quotes: empty words");
	is_str(split("x '#'"), "x|#", "a quoted # is no comment");
	is_str(split("x 'open"), "ERR: a ' is not closed", "an unclosed single quote");
	is_str(split("x \"open"), "ERR: a \" is not closed", "an unclosed double quote");
	is_str(split("x y\\\n"), "ERR: a \\ ends the line (lines do not continue)",
	       "a backslash at the end of the line");
	is_str(split("x y\\"), "ERR: a \\ ends the line (lines do not continue)", "... without a newline");

	ok(run("0 a\n\n# c\n0 b\n", false, &s, &err) == 0 && s.n == 2, "every line runs: status 0");
	is_str(s.lines[0], "f:1 0", "... named FILE:LINE");
	is_str(s.lines[1], "f:4 0", "... blank lines and comments counted");
	free(err);
	ok(run("0\n1\n0\n", false, &s, &err) == 1 && s.n == 2, "stops at the first failure: its status");
	free(err);
	ok(run("0\n2\n1\n0\n", true, &s, &err) == 2 && s.n == 4,
	   "--force: every line runs; the first failure's status");
	free(err);
	ok(run("0\n-1\n0\n", true, &s, &err) == 1 && s.n == 2,
	   "a line that says stop (nothing can be written) stops even with --force");
	free(err);
	ok(run("0\n0 'x\n0\n", false, &s, &err) == 2 && s.n == 1, "a line that cannot be split: 2, stop");
	is_str(err, "pptadm: f:2: a ' is not closed\n", "... said with FILE:LINE");
	free(err);
	ok(run("0 'x\n0\n", true, &s, &err) == 2 && s.n == 1, "... with --force the next lines run");
	free(err);
	ok(run("0", false, &s, &err) == 0 && s.n == 1, "a last line without a newline");
	free(err);
	return tap_done();
}
