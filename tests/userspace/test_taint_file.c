// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kept taint file (pptadm agent's record of tainted functions): its
 * strict parsing (bad lines named by file:line), what an event changes,
 * the atomic save and load, and giving the list to ppt's tainted=
 * parameter (a file standing in for sysfs), in a temporary directory.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taint_file.h"
#include "tap.h"

static char dir[64];

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void bad(const char *content, const char *want)
{
	struct taint_set s;
	char err[512] = "";

	ok(taint_parse(&s, "t", content, err, sizeof(err)) == -EINVAL, "refused: %s", want);
	is_str(err, want, "... with the file, line and reason");
	ok(s.n == 0 && !s.tok, "... and nothing kept from it");
}

static void test_parse(void)
{
	struct taint_set s;
	char err[512] = "";
	char *j;

	ok(!taint_parse(&s, "t", "# comment\n\n 0000:00/03.0/00.0 \t# a GPU\n01:00.0\r\n0000:01:00.0\n",
			err, sizeof(err)), "comments, blanks and both kinds parse");
	ok(s.n == 2, "... a repeated function kept once (got %zu)", s.n);
	j = taint_join(&s);
	is_str(j, "0000:00/03.0/00.0,0000:01:00.0", "... canonical, joined as tainted= takes them");
	free(j);
	taint_free(&s);
	ok(!taint_parse(&s, "t", "", err, sizeof(err)) && s.n == 0, "an empty file is an empty set");
	bad("0000:01:00.0\nzz:00.0\n",
	    "t:2: \"zz:00.0\" is neither a PCI address nor a topology path: field is not hexadecimal");
	bad("0000:01:00.0 0000:02:00.0\n",
	    "t:1: \"0000:01:00.0 0000:02:00.0\" is neither a PCI address nor a topology path: too many ':' (want [domain:]bus:dev.fn)");
	bad("0000:00/03.0,0000:00/04.0\n",
	    "t:1: \"0000:00/03.0,0000:00/04.0\" is neither a PCI address nor a topology path: field has too many digits");
}

static void test_note(void)
{
	struct taint_set s = { 0 };
	bool nomem;
	char *j;

	ok(taint_note(&s, "0000:03:00.0", "0000:00/02.0/00.0", true, &nomem), "a tainted function is added");
	ok(!taint_note(&s, "0000:03:00.0", "0000:00/02.0/00.0", true, &nomem), "... once");
	ok(taint_note(&s, "0000:04:00.0", NULL, true, &nomem), "one without a path is kept by address");
	ok(taint_note(&s, "0000:04:00.0", "0000:00/05.0", true, &nomem),
	   "... and by its path once it has one");
	j = taint_join(&s);
	is_str(j, "0000:00/02.0/00.0,0000:00/05.0", "... the address's line gave way to the path");
	free(j);
	ok(!taint_note(&s, "0000:09:00.0", NULL, false, &nomem), "a clean function never kept changes nothing");
	ok(taint_note(&s, "0000:03:00.0", "0000:00/02.0/00.0", false, &nomem), "a cleaned function goes");
	j = taint_join(&s);
	is_str(j, "0000:00/05.0", "... the others stay");
	free(j);
	ok(!nomem, "no allocation failed");
	taint_free(&s);
}

static void test_save_give(void)
{
	char file[128], param[128], err[512] = "";
	struct taint_set s = { 0 }, back;
	bool nomem;
	char *got;

	snprintf(file, sizeof(file), "%s/var/state/tainted", dir);
	snprintf(param, sizeof(param), "%s/param", dir);
	ok(!taint_load(&back, file, err, sizeof(err)) && back.n == 0, "a missing file is an empty set");
	ok(!taint_give(&back, param, err, sizeof(err)) && access(param, F_OK),
	   "an empty set gives ppt nothing");
	taint_note(&s, "0000:03:00.0", "0000:00/02.0/00.0", true, &nomem);
	taint_note(&s, "0001:04:00.1", NULL, true, &nomem);
	ok(!taint_save(&s, file, err, sizeof(err)), "saved, its directories made (%s)", err);
	got = slurp(file);
	ok(got && strstr(got, "\n0000:00/02.0/00.0\n0001:04:00.1\n") && got[0] == '#',
	   "... one function a line, after a comment saying what the file is");
	ok(!taint_load(&back, file, err, sizeof(err)) && back.n == 2, "... and loads back");
	ok(back.n == 2 && !strcmp(back.tok[1], "0001:04:00.1"), "... unchanged");
	ok(taint_give(&back, param, err, sizeof(err)) == -ENOENT, "giving it with ppt not loaded fails");
	{
		char want[256];

		snprintf(want, sizeof(want),
			 "%s does not exist: ppt is not loaded, or is too old to take tainted=", param);
		is_str(err, want, "... saying so");
	}
	fclose(fopen(param, "w"));
	ok(!taint_give(&back, param, err, sizeof(err)), "given to ppt");
	is_str(slurp(param), "0000:00/02.0/00.0,0001:04:00.1", "... as one tainted= list");
	taint_free(&back);
	taint_free(&s);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ppt-taint-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_parse();
	test_note();
	test_save_give();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
