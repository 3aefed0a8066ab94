// SPDX-License-Identifier: GPL-2.0-only
/*
 * The NVMe controller baselines the sanitise agent keeps: see
 * baseline_kept.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline_kept.h"
#include "persist.h"

const char *baseline_dir(void)
{
	const char *env = getenv("PPT_BASELINE_DIR");

	return env && *env ? env : BASELINE_DIR_DEFAULT;
}

/* The kept file's whole text, malloc()ed; NULL with errno (ENOENT: none kept). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getline(&text, &cap, f);
	if (n < 0) {
		int e = ferror(f) ? errno : EINVAL;

		free(text);
		fclose(f);
		errno = e;
		return NULL;
	}
	fclose(f);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

int baseline_kept_check(const char *dir, const char *addr, const struct nvme_baseline *now,
			char *note, size_t notelen, char *why, size_t whylen)
{
	struct nvme_baseline kept;
	char path[4096], err[512];
	char *old;
	int ret;

	snprintf(path, sizeof(path), "%s/nvme-%s.baseline", dir, addr);
	old = slurp(path);
	if (old) {
		ret = nvme_baseline_parse(old, &kept, err, sizeof(err));
		free(old);
		if (ret) {
			snprintf(why, whylen, "the kept baseline %s: %s", path, err);
			return ret;
		}
		if (nvme_baseline_compare(&kept, now, err, sizeof(err))) {
			snprintf(why, whylen, "the controller changed since its baseline (%s): %s",
				 path, err);
			return 1;
		}
		snprintf(note, notelen, "baseline unchanged");
		return 0;
	}
	if (errno != ENOENT) {
		ret = -errno;
		snprintf(why, whylen, "the kept baseline %s: %s", path, strerror(-ret));
		return ret;
	}
	if (baseline_kept_store(dir, addr, now, err, sizeof(err)))
		snprintf(note, notelen, "baseline not kept: %s", err);
	else
		snprintf(note, notelen, "baseline kept");
	return 0;
}

bool baseline_kept_has(const char *dir, const char *addr)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/nvme-%s.baseline", dir, addr);
	return access(path, F_OK) == 0;
}

int baseline_kept_store(const char *dir, const char *addr, const struct nvme_baseline *b,
			char *err, size_t errlen)
{
	char path[4096], text[4096];
	int n, ret;

	snprintf(path, sizeof(path), "%s/nvme-%s.baseline", dir, addr);
	n = nvme_baseline_format(b, text, sizeof(text) - 1);
	if (n < 0 || (size_t)n >= sizeof(text) - 1) {
		snprintf(err, errlen, "it does not fit in %zu bytes", sizeof(text));
		return -ENOSPC;
	}
	strcat(text, "\n");
	ret = persist_mkdirs(dir, err, errlen);
	if (!ret)
		ret = persist_write(path, text, err, errlen);
	return ret;
}
