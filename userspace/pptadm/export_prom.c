// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm export prometheus: the text exposition format (0.0.4) from the
 * devices and the module's statistics; see export.h.
 */
#include <stdlib.h>
#include <string.h>

#include "export.h"

/* A label value, escaped as the text format wants: \\, \" and \n. */
static void prom_label(FILE *f, const char *name, const char *value, bool last)
{
	fprintf(f, "%s=\"", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(f, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputs(last ? "\"" : "\",", f);
}

/* Microseconds as seconds, exactly, with no trailing zeros: 0.15, 1, 2.5. */
static void prom_seconds(char *buf, size_t len, uint64_t usec)
{
	size_t l;

	snprintf(buf, len, "%llu.%06llu", (unsigned long long)(usec / 1000000),
		 (unsigned long long)(usec % 1000000));
	l = strlen(buf);
	while (buf[l - 1] == '0')
		buf[--l] = '\0';
	if (buf[l - 1] == '.')
		buf[l - 1] = '\0';
}

static void prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const struct ppt_series *prom_find(const struct ppt_stats *st, enum ppt_stats_op op,
					  uint32_t method, bool failed)
{
	const struct ppt_series *s;
	size_t i;

	for (i = 0; (s = ppt_stats_series(st, i)); i++)
		if (ppt_series_op(s) == op && ppt_series_method(s) == method &&
		    ppt_series_failed(s) == failed)
			return s;
	return NULL;
}

static void prom_method_labels(FILE *f, const struct ppt_series *s, bool last)
{
	prom_label(f, "method", ppt_reset_method_name(ppt_series_method(s)), false);
	prom_label(f, "outcome", ppt_series_failed(s) ? "failed" : "ok", last);
}

/* ppt_resets_total or ppt_cleans_total */
static void prom_counts(FILE *f, const struct ppt_stats *st, enum ppt_stats_op op,
			const char *name, const char *help)
{
	const struct ppt_series *s;
	uint32_t m;
	int failed;
	size_t i;

	prom_family(f, name, "counter", help);
	for (m = 0; m <= PPT_RESET_MAX; m++)
		for (failed = 0; failed < 2; failed++) {
			s = prom_find(st, op, m, failed);
			if (!s && m == PPT_RESET_AUTO)
				continue;
			fprintf(f, "%s{", name);
			prom_label(f, "method", ppt_reset_method_name(m), false);
			prom_label(f, "outcome", failed ? "failed" : "ok", true);
			fprintf(f, "} %llu\n", s ? (unsigned long long)ppt_series_count(s) : 0ull);
		}
	/* a method this pptadm does not know, from a newer module */
	for (i = 0; (s = ppt_stats_series(st, i)); i++) {
		if (ppt_series_op(s) != op || ppt_series_method(s) <= PPT_RESET_MAX)
			continue;
		fprintf(f, "%s{", name);
		prom_method_labels(f, s, true);
		fprintf(f, "} %llu\n", (unsigned long long)ppt_series_count(s));
	}
}

/* ppt_reset_duration_seconds or ppt_clean_duration_seconds */
static void prom_histogram(FILE *f, const struct ppt_stats *st, enum ppt_stats_op op,
			   const char *name, const char *help)
{
	const struct ppt_series *s;
	unsigned long long cum;
	char le[32];
	size_t i, b, nb = ppt_stats_nbounds(st);
	bool any = false;

	for (i = 0; (s = ppt_stats_series(st, i)); i++)
		any |= ppt_series_op(s) == op;
	if (!any)
		return;
	prom_family(f, name, "histogram", help);
	for (i = 0; (s = ppt_stats_series(st, i)); i++) {
		if (ppt_series_op(s) != op)
			continue;
		cum = 0;
		for (b = 0; b <= nb; b++) {
			cum += ppt_series_bucket(s, b);
			if (b < nb)
				prom_seconds(le, sizeof(le), ppt_stats_bound_usec(st, b));
			else
				snprintf(le, sizeof(le), "+Inf");
			fprintf(f, "%s_bucket{", name);
			prom_method_labels(f, s, false);
			prom_label(f, "le", le, true);
			fprintf(f, "} %llu\n", cum);
		}
		prom_seconds(le, sizeof(le), ppt_series_usec_sum(s));
		fprintf(f, "%s_sum{", name);
		prom_method_labels(f, s, true);
		fprintf(f, "} %s\n%s_count{", le, name);
		prom_method_labels(f, s, true);
		fprintf(f, "} %llu\n", (unsigned long long)ppt_series_count(s));
	}
}

/* Devices ordered by state, variant and owner, to count runs of equals. */
static int prom_dev_cmp(const void *pa, const void *pb)
{
	const struct out_device *a = *(const struct out_device *const *)pa;
	const struct out_device *b = *(const struct out_device *const *)pb;
	int c;

	if (a->info.state != b->info.state)
		return a->info.state < b->info.state ? -1 : 1;
	c = strcmp(a->variant, b->variant);
	if (c)
		return c;
	return (a->info.owner[0] != '\0') - (b->info.owner[0] != '\0');
}

static void prom_devices(FILE *f, const struct out_device *devs, size_t n)
{
	const struct out_device **order = calloc(n ? n : 1, sizeof(*order));
	size_t i, j;

	prom_family(f, "ppt_devices", "gauge",
		    "Devices ppt knows, by state, variant and whether they have an owner.");
	if (!order)
		return;
	for (i = 0; i < n; i++)
		order[i] = &devs[i];
	qsort(order, n, sizeof(*order), prom_dev_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !prom_dev_cmp(&order[i], &order[j]); j++)
			;
		fputs("ppt_devices{", f);
		prom_label(f, "state", ppt_state_name(order[i]->info.state), false);
		prom_label(f, "variant", order[i]->variant, false);
		prom_label(f, "owner_present", order[i]->info.owner[0] ? "true" : "false", true);
		fprintf(f, "} %zu\n", j - i);
	}
	free(order);
}

void export_prometheus(FILE *f, const struct export_prom *p,
		       const struct out_device *devs, size_t n)
{
	const struct ppt_stats *st = p->stats;
	char proto[16];

	prom_devices(f, devs, n);
	prom_counts(f, st, PPT_STATS_OP_RESET, "ppt_resets_total",
		    "Resets since the module loaded, by the method that ran and outcome.");
	prom_histogram(f, st, PPT_STATS_OP_RESET, "ppt_reset_duration_seconds",
		       "How long resets took, config space save and restore included.");
	prom_counts(f, st, PPT_STATS_OP_CLEAN, "ppt_cleans_total",
		    "Cleans since the module loaded, by the method that ran and outcome.");
	prom_histogram(f, st, PPT_STATS_OP_CLEAN, "ppt_clean_duration_seconds",
		       "How long cleans took: reset, config space restore and verification.");
	prom_family(f, "ppt_quarantines_total", "counter",
		    "Moves of a device into quarantined since the module loaded.");
	fprintf(f, "ppt_quarantines_total %llu\n",
		(unsigned long long)ppt_stats_quarantines(st));
	prom_family(f, "ppt_lease_expiries_total", "counter",
		    "Leases whose socket closed while they held devices, since the module loaded.");
	fprintf(f, "ppt_lease_expiries_total %llu\n",
		(unsigned long long)ppt_stats_lease_expiries(st));
	prom_family(f, "ppt_module_info", "gauge",
		    "The loaded ppt module: its version and netlink protocol version.");
	snprintf(proto, sizeof(proto), "%d", p->protocol);
	fputs("ppt_module_info{", f);
	prom_label(f, "version", p->module_version, false);
	prom_label(f, "protocol", proto, true);
	fputs("} 1\n", f);
}
