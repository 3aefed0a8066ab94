// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "ppt" generic netlink family: the interface orchestrator agents and
 * pptadm drive ppt through.  include/uapi/linux/ppt.h defines the protocol
 * and docs/netlink/ppt.yaml describes it.
 *
 * Handlers run with parallel_ops, so genetlink's global mutex does not
 * serialise them with other families; they still run under genetlink's
 * cb_lock (read), which family (un)registration takes for write host-wide,
 * so no handler may sleep on hardware or on the driver core.  They take
 * only ppt_table_lock, and briefly; operations that wait on the driver
 * core are queued to ppt's workqueue (ppt_ops.c) and report through the
 * events group.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "ppt.h"

static struct genl_family ppt_nl_family;

/* "ffffffff:ff:1f.7" is the longest address pci_name() can print. */
#define PPT_ADDR_MAX_LEN	16

/*
 * Notifications go out only while the family is registered: cleared under
 * ppt_table_lock before it is unregistered, and every notification is sent
 * under that lock.
 */
static bool ppt_nl_live;

/* Sequence number of the last notification; under ppt_table_lock. */
static u64 ppt_nl_event_seq;

/*
 * The physical slot's label, where the platform gives one (ACPI _SUN, the
 * PCIe slot capability through pciehp).  pci_slot_name() formats the
 * slot's kobject name.
 */
static int ppt_nl_put_slot(struct sk_buff *msg, struct pci_dev *pdev)
{
	struct pci_slot *slot = READ_ONCE(pdev->slot);

	if (!slot)
		return 0;
	return nla_put_string(msg, PPT_A_DEV_SLOT, pci_slot_name(slot));
}

/* The last sanitise of a device; -EMSGSIZE when it does not fit. */
static int ppt_nl_put_last_sanitise(struct sk_buff *msg,
				    const struct ppt_sanitise_last *l)
{
	if (nla_put_string(msg, PPT_A_DEV_LAST_SANITISER, l->spec) ||
	    nla_put_u64_64bit(msg, PPT_A_DEV_LAST_SANITISE_TIME, l->when,
			      PPT_A_PAD) ||
	    nla_put_u64_64bit(msg, PPT_A_DEV_LAST_SANITISE_USEC, l->usec,
			      PPT_A_PAD) ||
	    nla_put_u32(msg, PPT_A_DEV_LAST_SANITISE_ERRNO, -l->err) ||
	    (l->method[0] &&
	     nla_put_string(msg, PPT_A_DEV_LAST_SANITISE_METHOD, l->method)) ||
	    (l->verified[0] &&
	     nla_put_string(msg, PPT_A_DEV_LAST_SANITISE_VERIFIED, l->verified)) ||
	    (l->err && l->msg[0] &&
	     nla_put_string(msg, PPT_A_DEV_LAST_SANITISE_MSG, l->msg)))
		return -EMSGSIZE;
	return 0;
}

/* Add the device's attributes to msg; -EMSGSIZE when they do not fit. */
static int ppt_nl_dev_put(struct sk_buff *msg, struct ppt_device *pd)
{
	struct pci_dev *pdev = pd->pdev;
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	struct ppt_path_match path;
	struct iommu_group *group;
	char pathbuf[PPT_PATH_MAX];
	char spec[PPT_SANITISER_MAX];

	if (nla_put_string(msg, PPT_A_DEV_ADDR, pci_name(pdev)) ||
	    nla_put_u16(msg, PPT_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(msg, PPT_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u16(msg, PPT_A_DEV_SUBVENDOR, pdev->subsystem_vendor) ||
	    nla_put_u16(msg, PPT_A_DEV_SUBDEVICE, pdev->subsystem_device) ||
	    nla_put_u32(msg, PPT_A_DEV_CLASS, pdev->class) ||
	    nla_put_u8(msg, PPT_A_DEV_REVISION, pdev->revision) ||
	    nla_put_u32(msg, PPT_A_DEV_STATE, pd->state))
		return -EMSGSIZE;
	if (drv && nla_put_string(msg, PPT_A_DEV_DRIVER, drv->name))
		return -EMSGSIZE;
	if (pd->owner[0] && nla_put_string(msg, PPT_A_DEV_OWNER, pd->owner))
		return -EMSGSIZE;
	group = iommu_group_get(&pdev->dev);
	if (group) {
		int id = iommu_group_id(group);

		iommu_group_put(group);
		if (nla_put_u32(msg, PPT_A_DEV_IOMMU_GROUP, id))
			return -EMSGSIZE;
	}
	ppt_dev_path(pdev, &path);
	if (path.nhops && ppt_format_path(&path, pathbuf, sizeof(pathbuf)) > 0 &&
	    nla_put_string(msg, PPT_A_DEV_PATH, pathbuf))
		return -EMSGSIZE;
	if (pd->boot_listed && nla_put_flag(msg, PPT_A_DEV_BOOT_LISTED))
		return -EMSGSIZE;
	if (pd->adopted && nla_put_flag(msg, PPT_A_DEV_ADOPTED))
		return -EMSGSIZE;
	if (nla_put_u32(msg, PPT_A_DEV_RESET_METHODS, ppt_reset_methods(pdev)))
		return -EMSGSIZE;
	if (pd->reset_done &&
	    (nla_put_u32(msg, PPT_A_DEV_LAST_RESET, pd->last_reset.method) ||
	     nla_put_u64_64bit(msg, PPT_A_DEV_LAST_RESET_USEC,
			       pd->last_reset.usec, PPT_A_PAD) ||
	     (pd->last_reset.inferred &&
	      nla_put_flag(msg, PPT_A_DEV_LAST_RESET_INFERRED))))
		return -EMSGSIZE;
	/*
	 * pdev->slot is set and cleared under the PCI core's slot mutex, which
	 * is not exported; a slot goes away only with its hotplug controller
	 * or ACPI slot driver.
	 */
	if (pd->reset_pref != PPT_RESET_AUTO &&
	    nla_put_u32(msg, PPT_A_DEV_RESET_PREF, pd->reset_pref))
		return -EMSGSIZE;
	if (ppt_nl_put_slot(msg, pdev))
		return -EMSGSIZE;
	if (pd->lease && nla_put_u32(msg, PPT_A_DEV_LEASE, pd->lease))
		return -EMSGSIZE;
	if (pd->lease_ended && nla_put_flag(msg, PPT_A_DEV_LEASE_ENDED))
		return -EMSGSIZE;
	if (pd->tainted && nla_put_flag(msg, PPT_A_DEV_TAINTED))
		return -EMSGSIZE;
	if (ppt_gate_held(pdev) && nla_put_flag(msg, PPT_A_DEV_GATED))
		return -EMSGSIZE;
	if (pd->reason && nla_put_string(msg, PPT_A_DEV_REASON, pd->reason))
		return -EMSGSIZE;
	if (pd->recycle &&
	    (nla_put_flag(msg, PPT_A_DEV_RECYCLE) ||
	     nla_put_u32(msg, PPT_A_DEV_RECYCLES, pd->recycles)))
		return -EMSGSIZE;
	ppt_sanitise_lookup(pdev, spec, sizeof(spec));
	if (nla_put_string(msg, PPT_A_DEV_SANITISER, spec))
		return -EMSGSIZE;
	if (pd->sanitised && nla_put_flag(msg, PPT_A_DEV_SANITISED))
		return -EMSGSIZE;
	if (pd->last_sanitise)
		return ppt_nl_put_last_sanitise(msg, pd->last_sanitise);
	return 0;
}

/* One message for one device: serves doit replies, dumps and events. */
static int ppt_nl_dev_fill(struct sk_buff *msg, struct ppt_device *pd,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ppt_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (ppt_nl_dev_put(msg, pd)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * A request's outcome: what failed, and the device that blocked it.
 * @pdev is the device the request named; NULL for a match.
 */
static int ppt_nl_req_put(struct sk_buff *msg, const struct ppt_req *req,
			  struct pci_dev *pdev, int err)
{
	const char *drv;

	if (nla_put_u64_64bit(msg, PPT_A_REQ_ID, req->id, PPT_A_PAD) ||
	    nla_put_u8(msg, PPT_A_REQ_CMD, req->cmd) ||
	    (pdev && nla_put_string(msg, PPT_A_DEV_ADDR, pci_name(pdev))) ||
	    nla_put_u32(msg, PPT_A_REQ_ERRNO, -err))
		return -EMSGSIZE;
	if (err && req->why && nla_put_string(msg, PPT_A_REQ_MSG, req->why))
		return -EMSGSIZE;
	if (!req->blocker)
		return 0;
	if (nla_put_string(msg, PPT_A_BLOCKER_ADDR, pci_name(req->blocker)))
		return -EMSGSIZE;
	drv = ppt_bind_driver_name(req->blocker);
	if (drv && nla_put_string(msg, PPT_A_BLOCKER_DRIVER, drv))
		return -EMSGSIZE;
	return 0;
}

static void ppt_nl_multicast(struct sk_buff *msg, void *hdr)
{
	lockdep_assert_held(&ppt_table_lock);
	if (nla_put_u64_64bit(msg, PPT_A_EVENT_SEQ, ++ppt_nl_event_seq,
			      PPT_A_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&ppt_nl_family, msg, 0, 0, GFP_KERNEL);
}

/**
 * ppt_nl_notify_device() - announce a device's new state
 * @pd: the device
 * @removed: ppt is about to forget it
 *
 * Context: ppt_table_lock held.
 */
void ppt_nl_notify_device(struct ppt_device *pd, bool removed)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&ppt_table_lock);
	if (!ppt_nl_live)
		return;
	/* every notification counts, heard or not, so gaps stay meaningful */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto lost;
	hdr = genlmsg_put(msg, 0, 0, &ppt_nl_family, 0, PPT_CMD_DEVICE_NTF);
	if (!hdr || ppt_nl_dev_put(msg, pd) ||
	    (removed && nla_put_flag(msg, PPT_A_DEV_REMOVED))) {
		nlmsg_free(msg);
		goto lost;
	}
	ppt_nl_multicast(msg, hdr);
	return;
lost:
	ppt_nl_event_seq++;
}

/**
 * ppt_nl_notify_request() - announce the outcome of an asynchronous request
 * @req: the request
 * @pdev: the device it named
 * @err: 0 or the negative errno it failed with
 *
 * Context: process context; takes ppt_table_lock.
 */
void ppt_nl_notify_request(const struct ppt_req *req, struct pci_dev *pdev,
			   int err)
{
	struct sk_buff *msg;
	void *hdr;

	mutex_lock(&ppt_table_lock);
	if (!ppt_nl_live)
		goto unlock;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ppt_nl_event_seq++;
		goto unlock;
	}
	hdr = genlmsg_put(msg, 0, 0, &ppt_nl_family, 0, PPT_CMD_REQUEST_NTF);
	if (!hdr || ppt_nl_req_put(msg, req, pdev, err)) {
		nlmsg_free(msg);
		ppt_nl_event_seq++;
		goto unlock;
	}
	ppt_nl_multicast(msg, hdr);
unlock:
	mutex_unlock(&ppt_table_lock);
}

/**
 * ppt_nl_notify_match() - announce the outcome of a match's binding
 * @req: the match-add request
 * @got: the devices it reserved
 * @n: how many
 * @err: 0 or the negative errno it failed with
 *
 * Context: process context; takes ppt_table_lock.
 */
void ppt_nl_notify_match(const struct ppt_req *req, struct pci_dev **got,
			 int n, int err)
{
	struct sk_buff *msg;
	void *hdr;
	int i;

	mutex_lock(&ppt_table_lock);
	if (!ppt_nl_live)
		goto unlock;
	msg = genlmsg_new(NLMSG_GOODSIZE + n * nla_total_size(PPT_ADDR_MAX_LEN + 1),
			  GFP_KERNEL);
	if (!msg) {
		ppt_nl_event_seq++;
		goto unlock;
	}
	hdr = genlmsg_put(msg, 0, 0, &ppt_nl_family, 0, PPT_CMD_REQUEST_NTF);
	if (!hdr || ppt_nl_req_put(msg, req, NULL, err))
		goto toobig;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, PPT_A_CLAIM_ADDR, pci_name(got[i])))
			goto toobig;
	ppt_nl_multicast(msg, hdr);
	goto unlock;
toobig:
	nlmsg_free(msg);
	ppt_nl_event_seq++;
unlock:
	mutex_unlock(&ppt_table_lock);
}

/*
 * A required attribute is missing: say which, in words (@text, a string
 * constant, stored as NL_SET_ERR_MSG() would) and in the extended ack's
 * missing-attribute field, which is all GENL_REQ_ATTR_CHECK() sets.
 * Returns true when it is missing.
 */
static bool ppt_nl_missing(struct genl_info *info, int attr, const char *text)
{
	if (info->attrs[attr])
		return false;
	if (info->extack)
		info->extack->_msg = text;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return true;
}

/*
 * Find the PCI function a request names.  The address is parsed by the
 * same code as the devices= parameter, so "01:00.0" works too.
 */
static struct pci_dev *ppt_nl_get_pdev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PPT_A_DEV_ADDR];
	struct ppt_addr_match addr;
	struct pci_dev *pdev;
	const char *why;

	if (ppt_parse_addr(nla_data(attr), &addr, &why)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "malformed PCI address (want [domain:]bus:dev.fn)");
		return ERR_PTR(-EINVAL);
	}
	pdev = pci_get_domain_bus_and_slot(addr.domain, addr.bus, addr.devfn);
	if (!pdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such PCI device");
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

static int ppt_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ppt_device *pd;
	struct pci_dev *pdev;
	struct sk_buff *msg;
	int ret;

	if (ppt_nl_missing(info, PPT_A_DEV_ADDR,
			   "missing PCI address (PPT_A_DEV_ADDR)"))
		return -EINVAL;
	pdev = ppt_nl_get_pdev(info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		pci_dev_put(pdev);
		return -ENOMEM;
	}

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find(pdev);
	if (!pd) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PPT_A_DEV_ADDR],
				    "device not managed by ppt");
		ret = -ENODEV;
		goto unlock;
	}
	ret = ppt_nl_dev_fill(msg, pd, info->snd_portid, info->snd_seq, 0,
			      PPT_CMD_DEVICE_GET, NULL);
unlock:
	mutex_unlock(&ppt_table_lock);
	pci_dev_put(pdev);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int ppt_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	unsigned long start = cb->args[0], idx = 0;
	struct ppt_device *pd;
	int ret = 0;

	mutex_lock(&ppt_table_lock);
	/* never 0: nl_dump_check_consistent() treats 0 as "not set" */
	cb->seq = (ppt_table_gen << 1) | 1;
	list_for_each_entry(pd, &ppt_table, node) {
		if (idx < start) {
			idx++;
			continue;
		}
		ret = ppt_nl_dev_fill(skb, pd, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      PPT_CMD_DEVICE_GET, cb);
		if (ret)
			break;
		idx++;
	}
	mutex_unlock(&ppt_table_lock);
	cb->args[0] = idx;
	/* a full skb ends this part of the dump; the next part resumes */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/*
 * Everything but reading needs CAP_SYS_ADMIN in the initial user namespace:
 * handing a device to a VM hands it DMA into host memory, and CAP_NET_ADMIN
 * (what GENL_ADMIN_PERM checks) is held by too many network daemons.
 */
static int ppt_nl_capable(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "changing devices needs CAP_SYS_ADMIN in the initial user namespace");
	return -EPERM;
}

/* The request's common attributes: who asks, owner, flags. */
static int ppt_nl_req_common(struct genl_info *info, struct ppt_req *req)
{
	struct nlattr *owner = info->attrs[PPT_A_DEV_OWNER];
	const char *p;

	memset(req, 0, sizeof(*req));
	req->cmd = info->genlhdr->cmd;
	req->force = nla_get_flag(info->attrs[PPT_A_FORCE]);
	req->force_host = nla_get_flag(info->attrs[PPT_A_FORCE_HOST]);
	req->unclean = nla_get_flag(info->attrs[PPT_A_UNCLEAN]);
	req->inspect = nla_get_flag(info->attrs[PPT_A_INSPECT]);
	if (info->attrs[PPT_A_RESET_METHOD])
		req->method = nla_get_u32(info->attrs[PPT_A_RESET_METHOD]);
	if (info->attrs[PPT_A_DEV_RESET_PREF])
		req->method = nla_get_u32(info->attrs[PPT_A_DEV_RESET_PREF]);
	req->uid = from_kuid(&init_user_ns, current_uid());
	req->pid = task_tgid_nr(current);
	req->lease = nla_get_flag(info->attrs[PPT_A_LEASE]);
	req->recycle = nla_get_flag(info->attrs[PPT_A_RECYCLE]);
	if (req->recycle && !IS_ENABLED(CONFIG_PM)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PPT_A_RECYCLE],
				    "this kernel has no runtime PM (CONFIG_PM): ppt cannot see a VFIO user close a device, so it cannot recycle assignments");
		return -EOPNOTSUPP;
	}
	req->portid = info->snd_portid;
	if (req->force_host && !req->force) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PPT_A_FORCE_HOST],
				    "force-host takes a device from the host: it needs force too");
		return -EINVAL;
	}
	if (owner) {
		/* opaque, but it reaches logs and terminals: no control bytes */
		for (p = nla_data(owner); *p; p++) {
			/* unsigned: UTF-8 bytes are not control bytes */
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				NL_SET_ERR_MSG_ATTR(info->extack, owner,
						    "owner contains a control character");
				return -EINVAL;
			}
		}
		if (!nla_len(owner) || !*(char *)nla_data(owner)) {
			NL_SET_ERR_MSG_ATTR(info->extack, owner, "owner is empty");
			return -EINVAL;
		}
		nla_strscpy(req->owner, owner, sizeof(req->owner));
	}
	if (!owner && (req->cmd == PPT_CMD_DEVICE_CLAIM ||
		       req->cmd == PPT_CMD_DEVICE_UNCLAIM ||
		       req->cmd == PPT_CMD_DEVICE_ASSIGN ||
		       req->cmd == PPT_CMD_CLAIM || req->cmd == PPT_CMD_TAKE)) {
		NL_SET_ERR_MSG(info->extack, "missing owner");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, PPT_A_DEV_OWNER);
		return -EINVAL;
	}
	return 0;
}

static int ppt_nl_req_init(struct sk_buff *skb, struct genl_info *info,
			   struct ppt_req *req, struct pci_dev **pdevp)
{
	struct pci_dev *pdev;
	int ret;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	if (ppt_nl_missing(info, PPT_A_DEV_ADDR,
			   "missing PCI address (PPT_A_DEV_ADDR)"))
		return -EINVAL;
	ret = ppt_nl_req_common(info, req);
	if (ret)
		return ret;
	if (req->cmd == PPT_CMD_DEVICE_SET &&
	    ppt_nl_missing(info, PPT_A_DEV_RESET_PREF,
			   "missing reset preference (PPT_A_DEV_RESET_PREF)"))
		return -EINVAL;
	pdev = ppt_nl_get_pdev(info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	*pdevp = pdev;
	return 0;
}

/*
 * Answer a request.  A failure carries the reason as extack message; when
 * a device blocked it, a reply message names that device too (6.1's
 * extack cannot carry formatted text), ahead of the error.  @msg is the
 * reply's buffer when the caller allocated it before acting (an
 * asynchronous request: once its operation is queued, the answer must not
 * fail for want of memory), or NULL; it is consumed either way.
 */
static int ppt_nl_req_reply(struct genl_info *info, struct ppt_req *req,
			    struct pci_dev *pdev, int err, struct sk_buff *msg)
{
	void *hdr;

	/*
	 * NL_SET_ERR_MSG() wants a literal; the reasons are string constants
	 * chosen by the operation, stored as the macro would.  A formatted
	 * reason (the request's own buffer, gone once the request ends) goes
	 * whole into the reply's PPT_A_REQ_MSG; the extended ack gets its
	 * constant gist.
	 */
	if (err && req->why && info->extack)
		info->extack->_msg = req->why != req->msg ? req->why :
				     req->gist ?: "the device is in use by the host";
	if (err && !req->blocker) {
		nlmsg_free(msg);
		return err;
	}
	if (!msg)
		msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return err ?: -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ppt_nl_family, 0, req->cmd);
	if (!hdr || ppt_nl_req_put(msg, req, pdev, err)) {
		/* NLMSG_GOODSIZE holds any reply: not reached */
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	genlmsg_reply(msg, info);
	return err;
}

static int ppt_nl_sync_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_dev *pdev;
	struct ppt_req req;
	int ret;

	ret = ppt_nl_req_init(skb, info, &req, &pdev);
	if (ret)
		return ret;
	if (req.cmd == PPT_CMD_DEVICE_CLAIM)
		ret = ppt_op_claim(&req, pdev);
	else if (req.cmd == PPT_CMD_DEVICE_SET)
		ret = ppt_op_set(&req, pdev);
	else
		ret = ppt_op_unclaim(&req, pdev);
	ret = ppt_nl_req_reply(info, &req, pdev, ret, NULL);
	ppt_req_release(&req);
	pci_dev_put(pdev);
	return ret;
}

static int ppt_nl_async_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ppt_op *op = NULL;
	struct pci_dev *pdev;
	struct sk_buff *msg;
	struct ppt_req req;
	int ret;

	ret = ppt_nl_req_init(skb, info, &req, &pdev);
	if (ret)
		return ret;
	/* the answer's buffer first: nothing starts that cannot be answered */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		pci_dev_put(pdev);
		return -ENOMEM;
	}
	req.id = ppt_req_new_id();
	ret = ppt_op_prepare(&req, pdev, &op);
	/*
	 * Reply before queueing: the outcome's notification then reaches a
	 * caller that listens on the same socket after the reply.
	 */
	ret = ppt_nl_req_reply(info, &req, pdev, ret, msg);
	if (op)
		ppt_op_start(op);
	ppt_req_release(&req);
	pci_dev_put(pdev);
	return ret;
}

/*
 * Read a claim's listed devices (PPT_A_CLAIM_ADDR, repeated).  Returns how
 * many, with references in @listed, or a negative errno with the bad
 * attribute named.
 */
static int ppt_nl_claim_listed(struct genl_info *info, struct pci_dev **listed)
{
	struct ppt_addr_match addr;
	struct pci_dev *pdev;
	struct nlattr *a;
	const char *why;
	int n = 0, rem, i, ret = 0;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != PPT_A_CLAIM_ADDR)
			continue;
		if (n == PPT_CLAIM_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "too many devices listed (PPT_CLAIM_MAX)");
			ret = -E2BIG;
			break;
		}
		if (ppt_parse_addr(nla_data(a), &addr, &why)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "malformed PCI address (want [domain:]bus:dev.fn)");
			ret = -EINVAL;
			break;
		}
		pdev = pci_get_domain_bus_and_slot(addr.domain, addr.bus,
						   addr.devfn);
		if (!pdev) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "no such PCI device");
			ret = -ENODEV;
			break;
		}
		for (i = 0; i < n; i++)
			if (listed[i] == pdev)
				break;
		if (i < n) {
			pci_dev_put(pdev);
			NL_SET_ERR_MSG_ATTR(info->extack, a, "device listed twice");
			ret = -EINVAL;
			break;
		}
		listed[n++] = pdev;
	}
	if (!ret)
		return n;
	while (n)
		pci_dev_put(listed[--n]);
	return ret;
}

/* Answer a claim or take: the owner and the devices, in address order. */
static int ppt_nl_claim_reply(struct genl_info *info, struct ppt_req *req,
			      struct pci_dev **got, int ngot)
{
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE + ngot * nla_total_size(PPT_ADDR_MAX_LEN + 1),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ppt_nl_family, 0, req->cmd);
	if (!hdr || nla_put_string(msg, PPT_A_DEV_OWNER, req->owner))
		goto toobig;
	for (i = 0; i < ngot; i++)
		if (nla_put_string(msg, PPT_A_CLAIM_ADDR, pci_name(got[i])))
			goto toobig;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
toobig:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* PPT_CMD_CLAIM and PPT_CMD_TAKE. */
static int ppt_nl_claim_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ids = info->attrs[PPT_A_MATCH_IDS];
	struct pci_dev **listed = NULL, **got = NULL;
	struct ppt_id_match m;
	unsigned int count = 0;
	int nlisted = 0, ngot = 0, ret, i;
	const char *why;
	struct ppt_req req;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	ret = ppt_nl_req_common(info, &req);
	if (ret)
		return ret;
	listed = kcalloc(PPT_CLAIM_MAX, sizeof(*listed), GFP_KERNEL);
	got = kcalloc(PPT_CLAIM_MAX, sizeof(*got), GFP_KERNEL);
	if (!listed || !got) {
		ret = -ENOMEM;
		goto out;
	}
	if (req.cmd == PPT_CMD_TAKE) {
		ret = ppt_alloc_take(&req, got);
		goto reply;
	}
	if (ids && ppt_parse_id(nla_data(ids), &m, &why)) {
		/* why is a constant from the parser, like NL_SET_ERR_MSG's */
		if (info->extack) {
			info->extack->_msg = why;
			info->extack->bad_attr = ids;
		}
		ret = -EINVAL;
		goto out;
	}
	if (info->attrs[PPT_A_CLAIM_COUNT])
		count = nla_get_u32(info->attrs[PPT_A_CLAIM_COUNT]);
	ret = ppt_nl_claim_listed(info, listed);
	if (ret < 0)
		goto out;
	nlisted = ret;
	if (!nlisted && !ids) {
		NL_SET_ERR_MSG(info->extack,
			       "missing candidates: list devices (PPT_A_CLAIM_ADDR) or give a match (PPT_A_MATCH_IDS)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, PPT_A_CLAIM_ADDR);
		ret = -EINVAL;
		goto out;
	}
	ret = ppt_alloc_claim(&req, nlisted ? listed : NULL, nlisted,
			      ids ? &m : NULL, count, got);
reply:
	if (ret < 0) {
		ret = ppt_nl_req_reply(info, &req, req.blocker, ret, NULL);
		goto out;
	}
	ngot = ret;
	ret = ppt_nl_claim_reply(info, &req, got, ngot);
out:
	for (i = 0; i < ngot; i++)
		pci_dev_put(got[i]);
	for (i = 0; i < nlisted; i++)
		pci_dev_put(listed[i]);
	kfree(got);
	kfree(listed);
	ppt_req_release(&req);
	return ret;
}

/* The one PPT_A_MATCH_* attribute a match request carries. */
static int ppt_nl_match_attr(struct genl_info *info)
{
	static const int kinds[] = {
		PPT_A_MATCH_IDS, PPT_A_MATCH_DEVICE, PPT_A_MATCH_PATH,
		PPT_A_MATCH_VFS,
	};
	int i, kind = 0;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!info->attrs[kinds[i]])
			continue;
		if (kind) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[kinds[i]],
					    "give exactly one of match ids, device, path or vfs");
			return -EINVAL;
		}
		kind = kinds[i];
	}
	if (!kind) {
		NL_SET_ERR_MSG(info->extack,
			       "missing match: give one of match ids, device, path or vfs");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, PPT_A_MATCH_IDS);
		return -EINVAL;
	}
	return kind;
}

/*
 * MATCH_ADD and MATCH_DEL change the match list at once.  An added match
 * then binds the functions no driver holds that it names, which waits on
 * the driver core (device_lock, which a reset may hold for a long time):
 * that part is an asynchronous request on ppt's workqueue, whose outcome
 * names the devices it reserved.
 */
static int ppt_nl_match_doit(struct sk_buff *skb, struct genl_info *info)
{
	enum ppt_reset_method pref = PPT_RESET_AUTO;
	u8 cmd = info->genlhdr->cmd;
	struct sk_buff *msg = NULL;
	const char *why = NULL;
	struct ppt_req req;
	struct nlattr *attr;
	int kind, ret, err;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	kind = ppt_nl_match_attr(info);
	if (kind < 0)
		return kind;
	if (info->attrs[PPT_A_DEV_RESET_PREF])
		pref = nla_get_u32(info->attrs[PPT_A_DEV_RESET_PREF]);
	ret = ppt_nl_req_common(info, &req);
	if (ret)
		return ret;
	if (cmd == PPT_CMD_MATCH_ADD) {
		msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		if (!msg)
			return -ENOMEM;
	}
	attr = info->attrs[kind];
	if (cmd == PPT_CMD_MATCH_ADD)
		ret = ppt_match_add(kind, nla_data(attr), pref, &why);
	else
		ret = ppt_match_del(kind, nla_data(attr), &why);
	pr_info("%s \"%s\" by uid %u pid %d: %s%s\n", ppt_cmd_name(cmd),
		(char *)nla_data(attr), req.uid, req.pid,
		ret ? "failed: " : "done", ret ? why : "");
	if (ret) {
		nlmsg_free(msg);
		if (info->extack) {
			info->extack->_msg = why;
			info->extack->bad_attr = attr;
		}
		return ret;
	}
	if (cmd != PPT_CMD_MATCH_ADD)
		return 0;
	/* reply before queueing, so the outcome follows the reply */
	req.id = ppt_req_new_id();
	ret = ppt_nl_req_reply(info, &req, NULL, 0, msg);
	err = ppt_op_match_start(&req);
	if (err) {
		/* the match stays: the functions it names bind as they appear */
		req.why = "the match was added, but the functions present were not bound now";
		ppt_nl_notify_match(&req, NULL, 0, err);
	}
	return ret;
}

static int ppt_nl_match_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long start = cb->args[0], idx = 0;
	struct ppt_match_entry *e;
	void *hdr;
	int ret = 0;

	mutex_lock(&ppt_match_lock);
	cb->seq = (ppt_match_gen << 1) | 1;
	list_for_each_entry(e, &ppt_match_list, node) {
		if (idx < start) {
			idx++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ppt_nl_family,
				  NLM_F_MULTI, PPT_CMD_MATCH_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_string(skb, e->kind, e->text) ||
		    (e->boot && nla_put_flag(skb, PPT_A_MATCH_BOOT)) ||
		    (e->reset_pref != PPT_RESET_AUTO &&
		     nla_put_u32(skb, PPT_A_DEV_RESET_PREF, e->reset_pref))) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		idx++;
	}
	mutex_unlock(&ppt_match_lock);
	cb->args[0] = idx;
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* The one selector attribute a sanitise request carries. */
static int ppt_nl_sanitise_attr(struct genl_info *info)
{
	static const int kinds[] = {
		PPT_A_MATCH_DEVICE, PPT_A_MATCH_IDS, PPT_A_SANITISE_CLASS,
	};
	int i, kind = 0;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!info->attrs[kinds[i]])
			continue;
		if (kind) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[kinds[i]],
					    "give exactly one selector: match device, match ids or sanitise class");
			return -EINVAL;
		}
		kind = kinds[i];
	}
	if (!kind) {
		NL_SET_ERR_MSG(info->extack,
			       "missing selector: give one of match device, match ids or sanitise class");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, PPT_A_SANITISE_CLASS);
		return -EINVAL;
	}
	return kind;
}

/* SANITISE_SET and SANITISE_DEL change the policy at once. */
static int ppt_nl_sanitise_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *spec = info->attrs[PPT_A_SANITISER];
	u8 cmd = info->genlhdr->cmd;
	const char *why = NULL;
	struct nlattr *attr;
	int kind, ret;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	kind = ppt_nl_sanitise_attr(info);
	if (kind < 0)
		return kind;
	attr = info->attrs[kind];
	if (cmd == PPT_CMD_SANITISE_SET) {
		if (!spec) {
			NL_SET_ERR_MSG(info->extack, "missing sanitiser");
			NL_SET_ERR_ATTR_MISS(info->extack, NULL, PPT_A_SANITISER);
			return -EINVAL;
		}
		ret = ppt_parse_sanitiser(nla_data(spec), &why);
		if (ret)
			attr = spec;
		else
			ret = ppt_sanitise_set(kind, nla_data(attr),
					       nla_data(spec), &why);
	} else {
		ret = ppt_sanitise_del(kind, nla_data(attr), &why);
	}
	pr_info("%s %s%s%s by uid %u pid %d: %s%s\n", ppt_cmd_name(cmd),
		(char *)nla_data(info->attrs[kind]), spec ? " " : "",
		spec ? (char *)nla_data(spec) : "",
		from_kuid(&init_user_ns, current_uid()), task_tgid_nr(current),
		ret ? "failed: " : "done", ret ? why : "");
	if (ret && info->extack) {
		info->extack->_msg = why;
		info->extack->bad_attr = attr;
	}
	return ret;
}

static int ppt_nl_sanitise_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	unsigned long start = cb->args[0], idx = 0;
	struct ppt_sanitise_entry *e;
	void *hdr;
	int ret = 0;

	mutex_lock(&ppt_sanitise_lock);
	cb->seq = (ppt_sanitise_gen << 1) | 1;
	list_for_each_entry(e, &ppt_sanitise_list, node) {
		if (idx < start) {
			idx++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ppt_nl_family,
				  NLM_F_MULTI, PPT_CMD_SANITISE_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_string(skb, e->kind, e->text) ||
		    nla_put_string(skb, PPT_A_SANITISER, e->spec) ||
		    (e->boot && nla_put_flag(skb, PPT_A_MATCH_BOOT)) ||
		    (e->is_default &&
		     nla_put_flag(skb, PPT_A_SANITISE_DEFAULT))) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		idx++;
	}
	mutex_unlock(&ppt_sanitise_lock);
	cb->args[0] = idx;
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* The totals: the plain counters and the histograms' bucket bounds. */
static int ppt_nl_put_stats_totals(struct sk_buff *skb)
{
	u64 quarantines, expiries;
	int b;

	ppt_stats_totals(&quarantines, &expiries);
	if (nla_put_u64_64bit(skb, PPT_A_STATS_QUARANTINES, quarantines,
			      PPT_A_PAD) ||
	    nla_put_u64_64bit(skb, PPT_A_STATS_LEASE_EXPIRIES, expiries,
			      PPT_A_PAD))
		return -EMSGSIZE;
	for (b = 0; b < PPT_STATS_NBOUNDS; b++)
		if (nla_put_u64_64bit(skb, PPT_A_STATS_BOUND,
				      ppt_stats_bounds[b], PPT_A_PAD))
			return -EMSGSIZE;
	return 0;
}

/**
 * ppt_nl_send_sanitise_req() - ask the agent to sanitise a function
 * @portid: the agent's socket
 * @job: the job
 * @timeout: the seconds it has
 *
 * Context: process context; ppt_agent_lock held.  Does not wait: a full
 * socket fails.
 * Return: 0 or a negative errno.
 */
int ppt_nl_send_sanitise_req(u32 portid, const struct ppt_sanitise_job *job,
			     unsigned int timeout)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &ppt_nl_family, 0,
			  PPT_CMD_SANITISE_REQ_NTF);
	if (!hdr || nla_put_string(msg, PPT_A_DEV_ADDR, pci_name(job->pdev)) ||
	    nla_put_u64_64bit(msg, PPT_A_SANITISE_ID, job->id, PPT_A_PAD) ||
	    nla_put_string(msg, PPT_A_SANITISER, job->res.spec) ||
	    nla_put_u32(msg, PPT_A_SANITISE_TIMEOUT, timeout) ||
	    (job->inspect && nla_put_flag(msg, PPT_A_INSPECT))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_unicast(&init_net, msg, portid);
}

/* Register the sending socket as the sanitise agent. */
static int ppt_nl_agent_register_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	const char *why = NULL;
	int ret;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	ret = ppt_agent_register(info->snd_portid,
				 nla_get_flag(info->attrs[PPT_A_INSPECT]), &why);
	if (ret && info->extack)
		info->extack->_msg = why;
	return ret;
}

/* Who the registered agent is, and how much it has to do. */
static int ppt_nl_agent_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u32 portid, pending;
	pid_t pid;
	void *hdr;

	if (ppt_agent_get(&portid, &pid, &pending)) {
		NL_SET_ERR_MSG(info->extack, "no sanitise agent is registered");
		return -ENOENT;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ppt_nl_family, 0,
				PPT_CMD_AGENT_GET);
	if (!hdr || nla_put_u32(msg, PPT_A_AGENT_PORTID, portid) ||
	    nla_put_u32(msg, PPT_A_AGENT_PID, pid) ||
	    nla_put_u32(msg, PPT_A_AGENT_PENDING, pending)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The answer to a sanitise request. */
static int ppt_nl_sanitise_done_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	const char *why = NULL;
	struct pci_dev *pdev;
	int ret, err = 0;

	ret = ppt_nl_capable(skb, info);
	if (ret)
		return ret;
	if (ppt_nl_missing(info, PPT_A_SANITISE_ID,
			   "missing sanitise request id (PPT_A_SANITISE_ID)") ||
	    ppt_nl_missing(info, PPT_A_DEV_ADDR,
			   "missing PCI address (PPT_A_DEV_ADDR)"))
		return -EINVAL;
	if (a[PPT_A_REQ_ERRNO])
		err = -(int)nla_get_u32(a[PPT_A_REQ_ERRNO]);
	pdev = ppt_nl_get_pdev(info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = ppt_agent_done(nla_get_u64(a[PPT_A_SANITISE_ID]), pdev, err,
			     a[PPT_A_REQ_MSG] ? nla_data(a[PPT_A_REQ_MSG]) : NULL,
			     a[PPT_A_SANITISE_METHOD] ?
			     nla_data(a[PPT_A_SANITISE_METHOD]) : NULL,
			     a[PPT_A_SANITISE_VERIFIED] ?
			     nla_data(a[PPT_A_SANITISE_VERIFIED]) : NULL,
			     &why);
	pci_dev_put(pdev);
	/* a constant reason, stored as NL_SET_ERR_MSG_ATTR() would */
	if (ret && info->extack) {
		info->extack->_msg = why;
		NL_SET_BAD_ATTR(info->extack, a[PPT_A_SANITISE_ID]);
	}
	return ret;
}

/* One series: what it counts, its count, sum and buckets. */
static int ppt_nl_put_stats_series(struct sk_buff *skb,
				   const struct ppt_stats_series *s,
				   enum ppt_stats_op op,
				   enum ppt_reset_method method, bool failed)
{
	int b;

	if (nla_put_u32(skb, PPT_A_STATS_OP, op) ||
	    nla_put_u32(skb, PPT_A_RESET_METHOD, method) ||
	    (failed && nla_put_flag(skb, PPT_A_STATS_FAILED)) ||
	    nla_put_u64_64bit(skb, PPT_A_STATS_COUNT, s->count, PPT_A_PAD) ||
	    nla_put_u64_64bit(skb, PPT_A_STATS_USEC_SUM, s->usec_sum,
			      PPT_A_PAD))
		return -EMSGSIZE;
	for (b = 0; b <= PPT_STATS_NBOUNDS; b++)
		if (nla_put_u64_64bit(skb, PPT_A_STATS_BUCKET, s->buckets[b],
				      PPT_A_PAD))
			return -EMSGSIZE;
	return 0;
}

/*
 * The statistics: message 0 holds the totals, message i the series i - 1
 * when it counted anything.  cb->args[0] is the next message.
 */
static int ppt_nl_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long i = cb->args[0];
	const struct ppt_stats_series *s = NULL;
	enum ppt_reset_method method = PPT_RESET_AUTO;
	enum ppt_stats_op op = PPT_STATS_OP_RESET;
	bool failed = false;
	void *hdr;
	int ret = 0;

	mutex_lock(&ppt_table_lock);
	cb->seq = (ppt_stats_gen << 1) | 1;
	for (; i <= PPT_STATS_NSERIES; i++) {
		if (i) {
			s = ppt_stats_series(i - 1, &op, &method, &failed);
			if (!s->count)
				continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ppt_nl_family,
				  NLM_F_MULTI, PPT_CMD_STATS_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		ret = i ? ppt_nl_put_stats_series(skb, s, op, method, failed) :
			  ppt_nl_put_stats_totals(skb);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&ppt_table_lock);
	cb->args[0] = i;
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/*
 * Every policy spans all attributes, so info->attrs (sized by maxattr) can
 * be read for any of them; strict validation rejects an attribute a
 * command's policy does not list ("Unsupported attribute").
 */
static const struct nla_policy ppt_nl_addr_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
};

static const struct nla_policy ppt_nl_reserve_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_FORCE] = { .type = NLA_FLAG },
	[PPT_A_FORCE_HOST] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_release_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_UNCLEAN] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_owner_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_DEV_OWNER] = { .type = NLA_NUL_STRING, .len = PPT_OWNER_MAX - 1 },
};

static const struct nla_policy ppt_nl_assign_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_DEV_OWNER] = { .type = NLA_NUL_STRING, .len = PPT_OWNER_MAX - 1 },
	[PPT_A_RECYCLE] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_claim1_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_DEV_OWNER] = { .type = NLA_NUL_STRING, .len = PPT_OWNER_MAX - 1 },
	[PPT_A_LEASE] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_claim_policy[PPT_A_MAX + 1] = {
	[PPT_A_CLAIM_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_MATCH_IDS] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_CLAIM_COUNT] = NLA_POLICY_RANGE(NLA_U32, 1, PPT_CLAIM_MAX),
	[PPT_A_DEV_OWNER] = { .type = NLA_NUL_STRING, .len = PPT_OWNER_MAX - 1 },
	[PPT_A_LEASE] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_take_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_OWNER] = { .type = NLA_NUL_STRING, .len = PPT_OWNER_MAX - 1 },
	[PPT_A_LEASE] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_reset_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_RESET_METHOD] = NLA_POLICY_MAX(NLA_U32, PPT_RESET_MAX),
};

static const struct nla_policy ppt_nl_clean_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_RESET_METHOD] = NLA_POLICY_MAX(NLA_U32, PPT_RESET_MAX),
	[PPT_A_INSPECT] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_agent_register_policy[PPT_A_MAX + 1] = {
	[PPT_A_INSPECT] = { .type = NLA_FLAG },
};

static const struct nla_policy ppt_nl_match_policy[PPT_A_MAX + 1] = {
	[PPT_A_MATCH_IDS] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_MATCH_DEVICE] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_MATCH_PATH] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_MATCH_VFS] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_DEV_RESET_PREF] = NLA_POLICY_MAX(NLA_U32, PPT_RESET_MAX),
};

static const struct nla_policy ppt_nl_set_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_DEV_RESET_PREF] = NLA_POLICY_MAX(NLA_U32, PPT_RESET_MAX),
};

static const struct nla_policy ppt_nl_sanitise_policy[PPT_A_MAX + 1] = {
	[PPT_A_MATCH_IDS] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_MATCH_DEVICE] = { .type = NLA_NUL_STRING, .len = PPT_PATH_MAX - 1 },
	[PPT_A_SANITISE_CLASS] = { .type = NLA_NUL_STRING, .len = 6 },
	[PPT_A_SANITISER] = { .type = NLA_NUL_STRING,
			      .len = PPT_SANITISER_MAX - 1 },
};

/* NUL_STRING lengths exclude the NUL; MAX_ERRNO bounds an errno. */
static const struct nla_policy ppt_nl_sanitise_done_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
	[PPT_A_SANITISE_ID] = { .type = NLA_U64 },
	[PPT_A_REQ_ERRNO] = NLA_POLICY_MAX(NLA_U32, MAX_ERRNO),
	[PPT_A_REQ_MSG] = { .type = NLA_NUL_STRING,
			    .len = PPT_SANITISE_TEXT_MAX - 1 },
	[PPT_A_SANITISE_METHOD] = { .type = NLA_NUL_STRING,
				    .len = PPT_SANITISE_TEXT_MAX - 1 },
	[PPT_A_SANITISE_VERIFIED] = { .type = NLA_NUL_STRING,
				      .len = PPT_SANITISE_TEXT_MAX - 1 },
};

static const struct nla_policy ppt_nl_none_policy[PPT_A_MAX + 1] = {
};

#define PPT_NL_OP(_cmd, _doit, _policy) {				\
	.cmd = _cmd,							\
	.doit = _doit,							\
	.policy = _policy,						\
	.maxattr = PPT_A_MAX,						\
}

static const struct genl_ops ppt_nl_ops[] = {
	{
		.cmd	= PPT_CMD_DEVICE_GET,
		.doit	= ppt_nl_dev_get_doit,
		.dumpit	= ppt_nl_dev_get_dumpit,
		.policy	= ppt_nl_addr_policy,
		.maxattr = PPT_A_MAX,
	},
	PPT_NL_OP(PPT_CMD_DEVICE_RESERVE, ppt_nl_async_doit, ppt_nl_reserve_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_RELEASE, ppt_nl_async_doit, ppt_nl_release_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_CLAIM, ppt_nl_sync_doit, ppt_nl_claim1_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_UNCLAIM, ppt_nl_sync_doit, ppt_nl_owner_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_ASSIGN, ppt_nl_async_doit, ppt_nl_assign_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_UNASSIGN, ppt_nl_async_doit, ppt_nl_owner_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_RESET, ppt_nl_async_doit, ppt_nl_reset_policy),
	PPT_NL_OP(PPT_CMD_DEVICE_CLEAN, ppt_nl_async_doit, ppt_nl_clean_policy),
	PPT_NL_OP(PPT_CMD_MATCH_ADD, ppt_nl_match_doit, ppt_nl_match_policy),
	PPT_NL_OP(PPT_CMD_MATCH_DEL, ppt_nl_match_doit, ppt_nl_match_policy),
	{
		.cmd	= PPT_CMD_MATCH_GET,
		.dumpit	= ppt_nl_match_dumpit,
		.policy	= ppt_nl_none_policy,
		.maxattr = PPT_A_MAX,
	},
	PPT_NL_OP(PPT_CMD_DEVICE_SET, ppt_nl_sync_doit, ppt_nl_set_policy),
	PPT_NL_OP(PPT_CMD_CLAIM, ppt_nl_claim_doit, ppt_nl_claim_policy),
	PPT_NL_OP(PPT_CMD_TAKE, ppt_nl_claim_doit, ppt_nl_take_policy),
	{
		.cmd	= PPT_CMD_STATS_GET,
		.dumpit	= ppt_nl_stats_dumpit,
		.policy	= ppt_nl_none_policy,
		.maxattr = PPT_A_MAX,
	},
	PPT_NL_OP(PPT_CMD_SANITISE_SET, ppt_nl_sanitise_doit,
		  ppt_nl_sanitise_policy),
	PPT_NL_OP(PPT_CMD_SANITISE_DEL, ppt_nl_sanitise_doit,
		  ppt_nl_sanitise_policy),
	{
		.cmd	= PPT_CMD_SANITISE_GET,
		.dumpit	= ppt_nl_sanitise_dumpit,
		.policy	= ppt_nl_none_policy,
		.maxattr = PPT_A_MAX,
	},
	PPT_NL_OP(PPT_CMD_AGENT_REGISTER, ppt_nl_agent_register_doit,
		  ppt_nl_agent_register_policy),
	PPT_NL_OP(PPT_CMD_AGENT_GET, ppt_nl_agent_get_doit, ppt_nl_none_policy),
	PPT_NL_OP(PPT_CMD_SANITISE_DONE, ppt_nl_sanitise_done_doit,
		  ppt_nl_sanitise_done_policy),
};

static const struct genl_multicast_group ppt_nl_mcgrps[] = {
	{ .name = PPT_GENL_MCGRP_EVENTS },
};

static struct genl_family ppt_nl_family = {
	.name		= PPT_GENL_NAME,
	.version	= PPT_GENL_VERSION,
	.maxattr	= PPT_A_MAX,
	/* handing DMA to a VM is for the initial network namespace only */
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= ppt_nl_ops,
	.n_ops		= ARRAY_SIZE(ppt_nl_ops),
	.mcgrps		= ppt_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ppt_nl_mcgrps),
};

/**
 * ppt_netlink_init() - register the family
 *
 * Context: module init.
 * Return: 0 or a negative errno from genl_register_family().
 */
int ppt_netlink_init(void)
{
	int ret = genl_register_family(&ppt_nl_family);

	if (!ret) {
		mutex_lock(&ppt_table_lock);
		ppt_nl_live = true;
		mutex_unlock(&ppt_table_lock);
	}
	return ret;
}

/**
 * ppt_netlink_exit() - unregister the family
 *
 * Context: module exit or init failure.
 */
void ppt_netlink_exit(void)
{
	mutex_lock(&ppt_table_lock);
	ppt_nl_live = false;
	mutex_unlock(&ppt_table_lock);
	/* waits for handlers still running */
	genl_unregister_family(&ppt_nl_family);
}
