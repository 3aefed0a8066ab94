// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sanitiser specs (sanitise.h): what sanitise run, the kernel's policy and
 * the boot file's sanitise= entries name.  Parsing only, so that the boot
 * file's reader (persist.c) checks an entry as the runner would take it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sanitise.h"

int sanitiser_parse(const char *text, struct sanitiser_spec *s, char *err, size_t errlen)
{
	const char *arg = strchr(text, ':');
	size_t len = arg ? (size_t)(arg - text) : strlen(text);

	memset(s, 0, sizeof(*s));
	if (len == 4 && !strncmp(text, "nvme", 4)) {
		s->kind = SANITISER_NVME;
		s->erase = NVME_ERASE_AUTO;
		if (arg && nvme_erase_parse(arg + 1, &s->erase)) {
			snprintf(err, errlen,
				 "sanitiser \"%s\": unknown NVMe erase \"%s\" (want auto, sanitize-crypto, sanitize-block, format-crypto, format-user, write-zeroes or overwrite)",
				 text, arg + 1);
			return -EINVAL;
		}
		return 0;
	}
	if (len == 3 && !strncmp(text, "bar", 3)) {
		char why[200];

		s->kind = SANITISER_BAR;
		s->bars = BARS_PREFETCHABLE;
		if (arg && bar_select_parse(arg + 1, &s->bars, &s->bar_mask, why, sizeof(why))) {
			snprintf(err, errlen, "sanitiser \"%s\": %s", text, why);
			return -EINVAL;
		}
		return 0;
	}
	if (len == 4 && !strncmp(text, "exec", 4)) {
		s->kind = SANITISER_EXEC;
		if (!arg || arg[1] != '/' || strlen(arg + 1) >= sizeof(s->prog)) {
			snprintf(err, errlen,
				 "sanitiser \"%s\": exec needs a program's absolute path (exec:/PATH, at most %zu bytes)",
				 text, sizeof(s->prog) - 1);
			return -EINVAL;
		}
		snprintf(s->prog, sizeof(s->prog), "%s", arg + 1);
		return 0;
	}
	snprintf(err, errlen,
		 "unknown sanitiser \"%.*s\" (want nvme[:METHOD], bar[:BARS] or exec:PROGRAM)",
		 (int)len, text);
	return -EINVAL;
}

const char *sanitiser_default(uint32_t pci_class)
{
	if ((pci_class >> 8) == 0x0108)
		return "nvme";
	if ((pci_class >> 16) == 0x03)
		return "bar";
	return NULL;
}
