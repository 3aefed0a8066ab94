// SPDX-License-Identifier: GPL-2.0-only
/*
 * sanitise run DEVICE [SANITISER], sanitise baseline DEVICE [FILE]: run a
 * sanitiser (sanitise.h) on a device ppt has assigned to vfio-pci, or take
 * an NVMe controller's baseline and compare it with one kept in FILE.
 * sanitise set|del|list: the sanitiser policy the kernel keeps; with
 * --persist, the sanitise= list of the boot lists file (persist.h) too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootlists.h"
#include "cmds.h"
#include "json.h"
#include "rows.h"
#include "sanitise.h"

/* The default time an erase may take: a Sanitize of a large drive takes long. */
#define SANITISE_TIMEOUT_S	3600

/*
 * The device DEVICE names, which ppt must have assigned to vfio-pci: only
 * then is it bound to vfio-pci by ppt's doing, with its group mates.
 */
static int assigned_device(struct ctx *c, char *addr, size_t len, uint32_t *pci_class,
			   char *policy, size_t policy_len)
{
	struct name_target *t = NULL;
	size_t nt = 0, i;
	int ret;

	ret = ctx_parse_names(c, 1, &c->a.argv[1]);
	if (ret)
		return ret;
	if (ctx_resolve(c, SCOPE_KERNEL, true, c->names, 1, &t, &nt) ||
	    ctx_load_kernel(c, ctx_op(c))) {
		free(t);
		return EXIT_FAIL;
	}
	snprintf(addr, len, "%s", t[0].addr);
	free(t);
	for (i = 0; i < c->nkern && strcmp(c->kern[i].info.addr, addr); i++)
		;
	if (i == c->nkern) {
		struct out_error e = { .err = -ENODEV, .operation = ctx_op(c), .device = addr,
				       .message = "ppt does not manage it" };

		ctx_report(c, &e);
		return EXIT_FAIL;
	}
	if (c->kern[i].info.state != PPT_STATE_ASSIGNED) {
		char msg[256];
		struct out_error e = { .err = -EBUSY, .operation = ctx_op(c), .device = addr,
				       .message = msg };

		snprintf(msg, sizeof(msg),
			 "it is %s; a sanitiser runs on a device ppt has assigned to vfio-pci (pptadm assign --owner ID %s)",
			 ppt_state_name(c->kern[i].info.state), addr);
		ctx_report(c, &e);
		return EXIT_FAIL;
	}
	if (pci_class)
		*pci_class = c->kern[i].info.pci_class;
	if (policy)
		snprintf(policy, policy_len, "%s", c->kern[i].info.sanitiser);
	return 0;
}

void sanitise_result_print(FILE *out, FILE *err, enum out_format fmt, const char *addr,
			   const char *spec, int ret, const struct sanitise_result *r)
{
	if (out_is_json(fmt)) {
		struct json j;

		json_init(&j, out, fmt == OUT_JSON_PRETTY);
		json_object_begin(&j);
		json_kv_str(&j, "addr", addr);
		json_kv_str(&j, "sanitiser", spec);
		json_kv_bool(&j, "ok", !ret);
		json_kv_str(&j, "method", r->method[0] ? r->method : NULL);
		json_kv_str(&j, "offered", r->offered[0] ? r->offered : NULL);
		json_kv_str(&j, "verified", !ret ? r->verified : NULL);
		json_kv_str(&j, "error", ret ? r->why : NULL);
		json_kv_int(&j, "ms", r->ms);
		json_object_end(&j);
		fputc('\n', out);
		return;
	}
	if (ret) {
		fprintf(err, "pptadm: sanitise %s: %s: %s\n", addr, spec, r->why);
		return;
	}
	fprintf(out, "%s: %s: %s in %lld ms\n", addr, spec, r->method, r->ms);
	if (r->offered[0])
		fprintf(out, "  offered: %s\n", r->offered);
	fprintf(out, "  verified: %s\n", r->verified);
}

static int sanitise_run_cmd(struct ctx *c)
{
	const char *spec = c->a.argc == 3 ? c->a.argv[2] : NULL;
	struct sanitiser_spec s;
	struct sanitise_result r;
	char addr[PPT_ADDR_BUFLEN], err[512], policy[PPT_SANITISER_MAX];
	unsigned int timeout_s;
	uint32_t pci_class;
	int ret;

	if (spec && sanitiser_parse(spec, &s, err, sizeof(err)))
		return ctx_usage_error(c, "%s", err);
	ret = assigned_device(c, addr, sizeof(addr), &pci_class, policy, sizeof(policy));
	if (ret)
		return ret;
	if (!spec) {
		/* the kernel's policy; a module without one: the class default */
		spec = policy[0] ? policy : sanitiser_default(pci_class);
		if (!spec || !strcmp(spec, "none")) {
			char msg[200];
			struct out_error e = { .err = -EINVAL, .operation = ctx_op(c),
					       .device = addr, .message = msg };

			snprintf(msg, sizeof(msg),
				 "the sanitiser policy gives this device (class %06x) none: name a sanitiser (nvme, bar or exec:PROGRAM), or set one (sanitise set)",
				 pci_class);
			ctx_report(c, &e);
			return EXIT_FAIL;
		}
		if (sanitiser_parse(spec, &s, err, sizeof(err))) {
			struct out_error e = { .err = -EINVAL, .operation = ctx_op(c),
					       .device = addr, .message = err };

			ctx_report(c, &e);
			return EXIT_FAIL;
		}
	}
	timeout_s = c->a.given & OPT_TIMEOUT ? (unsigned int)(c->a.timeout_ms / 1000) :
		    SANITISE_TIMEOUT_S;
	ret = sanitise_run(addr, &s, timeout_s, NULL, &r);
	sanitise_result_print(c->out, c->err, c->a.fmt, addr, spec, ret, &r);
	return ret ? EXIT_FAIL : 0;
}

/* FILE's first line, without its newline. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

static int sanitise_baseline_cmd(struct ctx *c)
{
	char addr[PPT_ADDR_BUFLEN], why[1024], now[4096], kept[4096];
	struct nvme_baseline before, after;
	int ret;

	ret = assigned_device(c, addr, sizeof(addr), NULL, NULL, 0);
	if (ret)
		return ret;
	if (c->a.argc == 3) {
		ret = read_line(c->a.argv[2], kept, sizeof(kept));
		if (ret) {
			fprintf(c->err, "pptadm: sanitise baseline: %s: %s\n", c->a.argv[2],
				ret == -ENODATA ? "empty" : strerror(-ret));
			return EXIT_FAIL;
		}
		if (nvme_baseline_parse(kept, &before, why, sizeof(why))) {
			fprintf(c->err, "pptadm: sanitise baseline: %s: %s\n", c->a.argv[2], why);
			return EXIT_FAIL;
		}
	}
	ret = sanitise_nvme_baseline(addr, now, sizeof(now), why, sizeof(why));
	if (ret) {
		fprintf(c->err, "pptadm: sanitise baseline %s: %s\n", addr, why);
		return EXIT_FAIL;
	}
	if (c->a.argc == 2) {
		fprintf(c->out, "%s\n", now);
		return 0;
	}
	if (nvme_baseline_parse(now, &after, why, sizeof(why))) {
		fprintf(c->err, "pptadm: sanitise baseline %s: %s\n", addr, why);
		return EXIT_FAIL;
	}
	if (nvme_baseline_compare(&before, &after, why, sizeof(why))) {
		fprintf(c->err, "pptadm: sanitise baseline %s: the controller changed: %s\n",
			addr, why);
		return EXIT_FAIL;
	}
	fprintf(c->out, "%s: as %s kept it\n", addr, c->a.argv[2]);
	return 0;
}

static int sanitise_list_cmd(struct ctx *c)
{
	struct out_sanitise_rule *r = NULL;
	struct out_fields sel;
	size_t n = 0;
	int ret;

	ret = ctx_select_fields(c, &out_sanitise_fields, NULL, &sel);
	if (ret)
		return ret;
	if (ctx_open(c, "sanitise list"))
		return EXIT_FAIL;
	ret = rows_sanitise_rules(c->h, &r, &n);
	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list the sanitiser policy",
				       .operation = "sanitise list",
				       .message = ppt_errmsg(c->h) };

		ctx_report(c, &e);
		return EXIT_FAIL;
	}
	out_rows(c->out, c->a.fmt, &out_sanitise_fields, &sel, r, n);
	free(r);
	return 0;
}

/* The kernel's policy: set the selector of the command to spec, or delete it. */
static int policy_call(struct ctx *c, bool set, const char *spec)
{
	if (set)
		return ppt_sanitise_set(c->h, c->a.sanitise_kind, c->a.argv[2], spec, 0);
	return ppt_sanitise_del(c->h, c->a.sanitise_kind, c->a.argv[2], 0);
}

/*
 * The sanitiser an entry the kernel set (not a built-in default, not the
 * boot's) gives the selector with key KIND:SELECTOR, to put it back when
 * the boot file cannot be written; "" when there is none.
 */
static int set_before(struct ctx *c, const char *key, char *spec, size_t len)
{
	struct ppt_sanitise_rule **rules = NULL;
	char tok[PERSIST_ENTRY_BUFLEN], canon[PERSIST_ENTRY_BUFLEN], k[PERSIST_ENTRY_BUFLEN], why[320];
	int ret = ppt_sanitise_list(c->h, &rules, NULL);

	spec[0] = '\0';
	for (size_t i = 0; !ret && rules[i]; i++) {
		const struct ppt_sanitise_rule *r = rules[i];

		if (ppt_sanitise_rule_default(r))
			continue;
		snprintf(tok, sizeof(tok), "%s:%s=none",
			 ppt_sanitise_kind_name(ppt_sanitise_rule_kind(r)),
			 ppt_sanitise_rule_selector(r));
		if (!persist_sanitise_normalize(tok, canon, sizeof(canon), k, sizeof(k), why,
						sizeof(why)) && !strcmp(k, key))
			snprintf(spec, len, "%s", ppt_sanitise_rule_sanitiser(r));
	}
	ppt_sanitise_list_free(rules);
	return ret;
}

/*
 * set|del --persist: the kernel first (it names what is wrong), then the
 * file.  When the file cannot be written the kernel's entry is put back
 * as it was, so that the two never disagree after a failure.  del drops a
 * file's entry the kernel does not have (-ENOENT), as remove does a
 * device ppt does not hold.
 */
static int sanitise_policy_persist(struct ctx *c, bool set)
{
	const char *op = set ? "sanitise set" : "sanitise del", *path = persist_path();
	const char *kind = ppt_sanitise_kind_name(c->a.sanitise_kind);
	char tok[PERSIST_ENTRY_BUFLEN], canon[PERSIST_ENTRY_BUFLEN], key[PERSIST_ENTRY_BUFLEN];
	char why[640], before[PPT_SANITISER_MAX], what[1024];
	struct persist p;
	int lock, ret, err, rc = EXIT_FAIL;

	snprintf(what, sizeof(what), "%s %s", kind, c->a.argv[2]);
	snprintf(tok, sizeof(tok), "%s:%s=%s", kind, c->a.argv[2], set ? c->a.argv[3] : "none");
	if (persist_sanitise_normalize(tok, canon, sizeof(canon), key, sizeof(key), why,
				       sizeof(why))) {
		ctx_report_what(c, -EINVAL, why, op);
		return EXIT_FAIL;
	}
	if (boot_lists_open(c, path, &p, &lock))
		return EXIT_FAIL;
	if (set_before(c, key, before, sizeof(before))) {
		ctx_report_what(c, -EIO, ppt_errmsg(c->h) ?: "cannot read the sanitiser policy", op);
		goto out;
	}
	ret = policy_call(c, set, set ? c->a.argv[3] : NULL);
	if (ret && !(ret == -ENOENT && !set && persist_find(&p, PERSIST_SANITISE, key))) {
		ctx_report_op(c, op, what, ret);
		goto out;
	}
	ret = set ? persist_add(&p, PERSIST_SANITISE, canon) : persist_del(&p, PERSIST_SANITISE, key);
	if (ret >= 0 && p.changed) {
		char *content = persist_render(&p);

		ret = content ? persist_write(path, content, why, sizeof(why)) : -ENOMEM;
		free(content);
		if (ret == -ENOMEM)
			snprintf(why, sizeof(why), "out of memory");
	} else if (ret < 0) {
		snprintf(why, sizeof(why), "%s", persist_strerror(ret));
	}
	if (ret >= 0) {
		if (p.changed) {
			if (set)
				boot_note_cmdline(c, path, PERSIST_SANITISE);
			boot_note_change(c, path);
		}
		rc = 0;
		goto out;
	}
	/* the file is as it was: so is the kernel's policy */
	err = ret;
	ret = policy_call(c, before[0], before);
	if (ret && ret != -ENOENT)
		snprintf(what, sizeof(what),
			 "%s; the kernel's rule could not be put back (%s): the running policy and %s disagree until %s runs again",
			 why, strerror(-ret), path, op);
	else
		snprintf(what, sizeof(what), "%s; nothing changed (the kernel's rule is back as it was)",
			 why);
	ctx_report_what(c, err, what, op);
out:
	persist_free(&p);
	close(lock);
	return rc;
}

/* set KIND SELECTOR SANITISER, del KIND SELECTOR: the kernel checks both */
static int sanitise_policy_cmd(struct ctx *c, bool set)
{
	const char *op = set ? "sanitise set" : "sanitise del";
	char what[PPT_MATCH_BUFLEN + 16];
	int ret;

	if (ctx_open(c, op))
		return EXIT_FAIL;
	if (c->a.persist)
		return sanitise_policy_persist(c, set);
	ret = policy_call(c, set, set ? c->a.argv[3] : NULL);
	if (ret) {
		snprintf(what, sizeof(what), "%s %s", ppt_sanitise_kind_name(c->a.sanitise_kind),
			 c->a.argv[2]);
		ctx_report_op(c, op, what, ret);
		return EXIT_FAIL;
	}
	return 0;
}

int cmd_sanitise(struct ctx *c)
{
	const char *sub = c->a.argv[0];

	if (!strcmp(sub, "run"))
		return sanitise_run_cmd(c);
	if (!strcmp(sub, "baseline"))
		return sanitise_baseline_cmd(c);
	if (!strcmp(sub, "list"))
		return sanitise_list_cmd(c);
	return sanitise_policy_cmd(c, !strcmp(sub, "set"));
}
