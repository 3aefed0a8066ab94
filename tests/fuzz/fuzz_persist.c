// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the modprobe.d boot lists parser pptadm add/remove use
 * (userspace/pptadm/persist.c).
 *
 * The input is the file's text (up to a NUL, as persist_load() refuses
 * files with one).  Besides the sanitizers' findings, it checks that what
 * persist_render() writes back, before and after adding and dropping
 * entries, parses again with the same entries: pptadm never writes a file
 * it would then refuse.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "persist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rendered file parses, with the lists p has. */
static void reparses(const struct persist *p)
{
	char *text = persist_render(p), err[512];
	struct persist q;
	size_t k, i;

	if (!text)
		abort();
	if (persist_parse(&q, "fuzz.conf", text, err, sizeof(err))) {
		fprintf(stderr, "rendered file refused: %s\n---\n%s---\n", err, text);
		abort();
	}
	for (k = 0; k < PERSIST_NPARAMS; k++) {
		if (q.nlist[k] != p->nlist[k])
			abort();
		for (i = 0; i < p->nlist[k]; i++)
			if (!persist_find(&q, (int)k, p->list[k][i].canon))
				abort();
	}
	persist_free(&q);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512] = "";
	struct persist p;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (persist_parse(&p, "fuzz.conf", text, err, sizeof(err))) {
		if (strncmp(err, "fuzz.conf:", 10) && strcmp(err, ""))
			abort();
		persist_free(&p);
		free(text);
		return 0;
	}
	reparses(&p);
	if (persist_add(&p, PPT_MATCH_DEVICE, "0000:3b:00.0") < 0 ||
	    persist_add(&p, PPT_MATCH_IDS, "10de:1db4") < 0 ||
	    persist_add(&p, PPT_MATCH_PATH, "0000:00/03.0/00.0") < 0 ||
	    persist_add(&p, PERSIST_SANITISE, "class:0108=nvme:format-crypto") < 0)
		abort();
	reparses(&p);
	if (p.nlist[PPT_MATCH_DEVICE])
		persist_del(&p, PPT_MATCH_DEVICE, p.list[PPT_MATCH_DEVICE][0].canon);
	persist_del(&p, PPT_MATCH_IDS, "10de:1db4");
	if (p.nlist[PERSIST_SANITISE])
		persist_del(&p, PERSIST_SANITISE, p.list[PERSIST_SANITISE][0].canon);
	reparses(&p);
	persist_free(&p);
	free(text);
	return 0;
}
