// SPDX-License-Identifier: GPL-2.0-only
/*
 * check and version; see info.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "baseline_kept.h"
#include "check.h"
#include "cmds.h"
#include "info.h"

bool info_module_version(const char *root, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/sys/module/ppt", root);
	if (access(path, F_OK))
		return false;
	snprintf(path, sizeof(path), "%s/sys/module/ppt/version", root);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return true;
}

int cmd_version(struct ctx *c)
{
	struct out_version v = {
		.pptadm = PPT_VERSION, .protocol = PPT_GENL_VERSION,
	};
	char mod[64];
	int ret;

	if (info_module_version(c->root, mod, sizeof(mod))) {
		v.module = mod[0] ? mod : "unknown";
		/* the family's own version: the module says it over netlink */
		ret = c->h ? 0 : ppt_open(&c->h);
		if (!ret)
			ret = ppt_family_version(c->h);
		if (ret > 0)
			v.module_protocol = ret;
		else if (ret == -ENOENT)
			v.module_why = "its netlink family is not reachable from this network namespace";
		else
			v.module_why = strerror(-ret);
	}
	out_version(c->out, c->a.fmt, &v);
	return 0;
}

/* Who erases the devices that need a sanitiser: the kernel's agent, if any. */
static void check_agent(struct ctx *c, struct check_env *e)
{
	struct ppt_agent *a = NULL;
	int ret = ppt_agent_get(c->h, &a);

	if (!ret) {
		e->agent = CHECK_AGENT_RUNNING;
		e->agent_pid = ppt_agent_pid(a);
		e->agent_pending = ppt_agent_pending(a);
	} else if (ret == -ENOENT) {
		e->agent = CHECK_AGENT_NONE;
	} else if (ret == -EOPNOTSUPP) {
		e->agent = CHECK_AGENT_UNSUPPORTED;
	} else {
		e->agent = CHECK_AGENT_UNKNOWN;
		e->agent_why = strerror(-ret);
	}
	ppt_agent_free(a);
}

/* check.h: the host's readiness; ppt's devices from the kernel and sysfs. */
int cmd_check(struct ctx *c)
{
	struct check_list l = { 0 };
	struct ppt_dev **info = NULL;
	struct check_env e = { .root = c->root, .version = PPT_VERSION };
	char **devs = NULL, **recycled = NULL, **sanitised = NULL, **unbaselined = NULL;
	char *log = check_kernel_log();
	size_t ndevs = 0, nrecycled = 0, nsanitised = 0, nunbaselined = 0, ninfo = 0, i;
	struct utsname u;
	const char *san;
	int ret = 0;

	e.krel = uname(&u) ? "" : u.release;
	e.dmesg = log;
	/* the kernel's list has the listed devices held by others too */
	if ((c->h || !ppt_open(&c->h)) && !ppt_device_list(c->h, &info, &ninfo))
		for (i = 0; !ret && i < ninfo; i++) {
			ret = check_add_device(&devs, &ndevs, ppt_dev_addr(info[i]));
			if (!ret && ppt_dev_recycle(info[i]))
				ret = check_add_device(&recycled, &nrecycled,
						       ppt_dev_addr(info[i]));
			san = ppt_dev_sanitiser(info[i]);
			if (!ret && san && strcmp(san, "none")) {
				char what[PPT_ADDR_BUFLEN + PPT_SANITISER_MAX + 4];

				snprintf(what, sizeof(what), "%s (%s)", ppt_dev_addr(info[i]), san);
				ret = check_add_device(&sanitised, &nsanitised, what);
			}
			if (!ret && san && (!strcmp(san, "nvme") || !strncmp(san, "nvme:", 5))) {
				e.nnvme++;
				if (!baseline_kept_has(baseline_dir(), ppt_dev_addr(info[i])))
					ret = check_add_device(&unbaselined, &nunbaselined,
							       ppt_dev_addr(info[i]));
			}
		}
	if (!ret && nsanitised)
		check_agent(c, &e);
	if (!ret)
		ret = check_sysfs_devices(c->root, &devs, &ndevs);
	if (ret) {
		ctx_report_what(c, ret, "out of memory", "check");
	} else {
		e.devices = (const char *const *)devs;
		e.ndevices = ndevs;
		e.recycled = (const char *const *)recycled;
		e.nrecycled = nrecycled;
		e.sanitised = (const char *const *)sanitised;
		e.nsanitised = nsanitised;
		e.unbaselined = (const char *const *)unbaselined;
		e.nunbaselined = nunbaselined;
		check_all(&e, &l);
		check_print(c->out, c->a.fmt, c->a.quiet, &l);
	}
	ret = ret || check_count(&l, CHECK_FAIL) ? EXIT_FAIL : 0;
	check_list_free(&l);
	for (i = 0; i < ndevs; i++)
		free(devs[i]);
	free(devs);
	for (i = 0; i < nrecycled; i++)
		free(recycled[i]);
	free(recycled);
	for (i = 0; i < nsanitised; i++)
		free(sanitised[i]);
	free(sanitised);
	for (i = 0; i < nunbaselined; i++)
		free(unbaselined[i]);
	free(unbaselined);
	ppt_dev_list_free(info);
	free(log);
	return ret;
}
