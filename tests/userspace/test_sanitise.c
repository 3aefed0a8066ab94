// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sanitiser specs (sanitise.c, sanitise_bar.c) and the exec sanitiser
 * (sanitise_exec.c), which needs no device: programs written here show
 * what it passes, keeps and says, and that it kills one that overruns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanitise.h"
#include "tap.h"

static char dir[] = "/tmp/test_sanitise.XXXXXX";

/* An executable shell script in dir; returns its path (static). */
static const char *script(const char *name, const char *body)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(p, 0755);
	return p;
}

static void specs(void)
{
	struct sanitiser_spec s;
	char err[512];

	ok(!sanitiser_parse("nvme", &s, err, sizeof(err)) && s.kind == SANITISER_NVME &&
	   s.erase == NVME_ERASE_AUTO, "nvme: auto");
	ok(!sanitiser_parse("nvme:format-crypto", &s, err, sizeof(err)) &&
	   s.erase == NVME_ERASE_FORMAT_CRYPTO, "nvme:format-crypto");
	ok(sanitiser_parse("nvme:format", &s, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "unknown NVMe erase \"format\""), "nvme:format: names the bad method: %s",
	   err);
	ok(!sanitiser_parse("bar", &s, err, sizeof(err)) && s.kind == SANITISER_BAR &&
	   s.bars == BARS_PREFETCHABLE, "bar: prefetchable BARs");
	ok(!sanitiser_parse("bar:memory", &s, err, sizeof(err)) && s.bars == BARS_MEMORY,
	   "bar:memory");
	ok(!sanitiser_parse("bar:0,2,5", &s, err, sizeof(err)) && s.bars == BARS_LISTED &&
	   s.bar_mask == 0x25, "bar:0,2,5: BARs 0, 2 and 5");
	ok(sanitiser_parse("bar:0,,2", &s, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "bad BAR '' in '0,,2'"), "bar:0,,2: the empty one named: %s", err);
	ok(sanitiser_parse("bar:6", &s, err, sizeof(err)) == -EINVAL && strstr(err, "bad BAR '6'"),
	   "bar:6: no such BAR");
	ok(sanitiser_parse("bar:", &s, err, sizeof(err)) == -EINVAL, "bar: with nothing after");
	ok(!sanitiser_parse("exec:/usr/bin/true", &s, err, sizeof(err)) &&
	   s.kind == SANITISER_EXEC && !strcmp(s.prog, "/usr/bin/true"), "exec:/usr/bin/true");
	ok(sanitiser_parse("exec:true", &s, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "absolute path"), "exec:true: a relative path is refused");
	ok(sanitiser_parse("exec", &s, err, sizeof(err)) == -EINVAL, "exec without a program");
	ok(sanitiser_parse("disk", &s, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "unknown sanitiser \"disk\""), "disk: unknown, named");
	ok(sanitiser_parse("nvmex:auto", &s, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "unknown sanitiser \"nvmex\""), "nvmex: not nvme");
	is_str(sanitiser_default(0x010802), "nvme", "class 010802 (NVMe): nvme");
	is_str(sanitiser_default(0x030000), "bar", "class 030000 (VGA): bar");
	is_str(sanitiser_default(0x030200), "bar", "class 030200 (3D controller): bar");
	ok(!sanitiser_default(0x020000), "class 020000 (Ethernet): none");
	ok(!sanitiser_default(0x010601), "class 010601 (AHCI): none");
	ok(!sanitiser_default(0x040300), "class 040300 (audio): none");
}

static void exec_runs(void)
{
	struct sanitise_result r;
	const char *p;
	int ret;

	p = script("ok", "echo \"device $1 in $PPT_DEVICE, group $PPT_IOMMU_GROUP at $PPT_VFIO_GROUP\"\n"
		   "echo progress >&2\necho 'scrubbed 24 GiB, read back zero'");
	ret = sanitise_exec("0000:00:00.0", p, 10, &r);
	ok(ret == 0, "a program that exits 0 passes (%d: %s)", ret, r.why);
	is_str(r.verified, "scrubbed 24 GiB, read back zero", "its last line on stdout is what it verified");
	is_str(r.method, "exec", "method exec");

	p = script("env", "echo \"$1|$PPT_DEVICE|$PPT_IOMMU_GROUP|$PPT_VFIO_GROUP\"");
	ret = sanitise_exec("0000:00:00.0", p, 10, &r);
	is_str(r.verified, "0000:00:00.0|0000:00:00.0||",
	       "it gets the address as $1 and PPT_DEVICE, and no group where there is none");

	p = script("quiet", "exit 0");
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == 0 &&
	   !strcmp(r.verified, "(the program printed nothing)"), "silence is said as such");

	p = script("fails", "echo 'erasing' ; echo 'no scrubber for this board' >&2; exit 3");
	ret = sanitise_exec("0000:00:00.0", p, 10, &r);
	ok(ret == -EIO, "a program that exits 3 fails");
	ok(strstr(r.why, "exited with status 3: no scrubber for this board") != NULL,
	   "... with its status and its last line on stderr: %s", r.why);

	p = script("fails-out", "echo 'the frame buffer is locked'; exit 4");
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == -EIO &&
	   strstr(r.why, "exited with status 4: the frame buffer is locked") != NULL,
	   "... or, when it said nothing there, its last line on stdout: %s", r.why);

	p = script("ctl", "printf 'bad\\033[31m\\n' >&2; exit 1");
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == -EIO && !strchr(r.why, '\033'),
	   "control bytes of its message are not passed on: %s", r.why);

	p = script("long", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done");
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == 0 && !strcmp(r.verified, "line 2999"),
	   "a long output keeps its last line: %s", r.verified);

	p = script("hang", "echo 'started' >&2; exec sleep 30");
	ret = sanitise_exec("0000:00:00.0", p, 1, &r);
	ok(ret == -ETIMEDOUT && strstr(r.why, "did not finish within 1 s: killed; it said: started"),
	   "one that overruns its timeout is killed (%d: %s)", ret, r.why);

	p = script("trap", "trap '' TERM; echo 'ignoring TERM' >&2; sleep 30 & wait; sleep 30");
	ret = sanitise_exec("0000:00:00.0", p, 1, &r);
	ok(ret == -ETIMEDOUT, "one that ignores SIGTERM is killed 5 s later (%d: %s)", ret, r.why);

	p = script("self", "kill -KILL $$");
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == -EIO && strstr(r.why, "killed by signal 9"),
	   "one killed by a signal fails, naming it: %s", r.why);

	p = script("plain", "exit 0");
	chmod(p, 0644);
	ok(sanitise_exec("0000:00:00.0", p, 10, &r) == -EACCES &&
	   strstr(r.why, "Permission denied"), "a file that is not executable: %s", r.why);
	ok(sanitise_exec("0000:00:00.0", "/nonexistent/scrubber", 10, &r) == -ENOENT,
	   "a program that is not there: %s", r.why);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	specs();
	exec_runs();
	char rm[64];

	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
	return tap_done();
}
