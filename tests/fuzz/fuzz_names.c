// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: pptadm's device names and boot-list entries
 * (userspace/pptadm/names.c): name_parse(), entry_normalize() for each
 * kind, path_from_sysfs_link() and names_resolve().
 *
 * Besides the sanitizers' findings, it checks that canonical forms are
 * fixed points (normalizing a canonical entry gives it back, a canonical
 * name parses to itself) and that every resolved target is a candidate
 * the name matches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct name_cand cands[] = {
	{ "0000:00:02.0", "0000:00/02.0", 0x8086, 0x3e92, 0x1028, 0x0869, 0x030000, NULL },
	{ "0000:3b:00.0", "0000:00/03.0/00.0", 0x10de, 0x1db4, 0x10de, 0x1214, 0x030200, NULL },
	{ "0000:3b:00.1", "0000:00/03.0/00.1", 0x10de, 0x10f0, 0x10de, 0x1214, 0x040300, NULL },
	{ "0001:00:00.0", "", 0x1234, 0x11e8, 0x1af4, 0x1100, 0x00ff00, NULL },
	{ "0000:3b:02.0", "0000:00/03.0/02.0", 0x8086, 0x154c, 0x8086, 0x0000, 0x020000, "0000:3b:00.0" },
};
#define NCANDS (sizeof(cands) / sizeof(cands[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), canon[PPT_MATCH_BUFLEN], again[PPT_MATCH_BUFLEN];
	char why[512], path[PPT_PATH_BUFLEN];
	struct name_target *t = NULL;
	struct name_problem *pr = NULL;
	size_t nt = 0, npr = 0, i, c;
	const char *reason;
	struct name n, m;
	int kind;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	for (kind = PPT_MATCH_IDS; kind <= PPT_MATCH_VFS; kind++) {
		if (entry_normalize((enum ppt_match_kind)kind, s, canon, sizeof(canon), &reason)) {
			if (!reason || !reason[0])
				abort();
			continue;
		}
		if (entry_normalize((enum ppt_match_kind)kind, canon, again, sizeof(again), &reason) ||
		    strcmp(canon, again))
			abort();
		for (c = 0; c < NCANDS; c++)
			entry_matches((enum ppt_match_kind)kind, canon, &cands[c]);
	}
	path_from_sysfs_link(s, path, sizeof(path));

	if (name_parse(s, &n, why, sizeof(why))) {
		if (!why[0])
			abort();
		free(s);
		return 0;
	}
	if (name_parse(n.canon, &m, why, sizeof(why)) || m.kind != n.kind ||
	    strcmp(m.canon, n.canon))
		abort();
	if (names_resolve(&n, 1, cands, NCANDS, RESOLVE_ONE, "here", "fuzz", &t, &nt,
			  &pr, &npr) == 0) {
		for (i = 0; i < nt; i++) {
			for (c = 0; c < NCANDS && strcmp(cands[c].addr, t[i].addr); c++)
				;
			if (n.kind != NAME_ADDR && (c == NCANDS || !name_matches(&n, &cands[c])))
				abort();
		}
		free(t);
		free(pr);
	}
	free(s);
	return 0;
}
