// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the netlink side.  Speaks the "ppt" generic netlink family with
 * libnl-genl-3.
 *
 * libnl 3.7 has no extended-ack API, so the error callback reads the
 * NLMSGERR_ATTR_MSG attribute from the error message itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "libppt.h"

/* How often a dump interrupted by concurrent changes is tried again. */
#define DUMP_RETRIES	8

struct ppt_handle {
	struct nl_sock *sk;
	int family;
	char errmsg[256];
	bool has_errmsg;
};

/* Per-request state shared by the callbacks. */
struct request {
	struct ppt_handle *h;
	int error;			/* kernel errno, negative; 0 if none */
	struct ppt_device_info *devs;	/* parsed replies */
	size_t ndevs, cap;
};

static struct nla_policy dev_policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_STRING },
	[PPT_A_DEV_VENDOR] = { .type = NLA_U16 },
	[PPT_A_DEV_DEVICE] = { .type = NLA_U16 },
	[PPT_A_DEV_SUBVENDOR] = { .type = NLA_U16 },
	[PPT_A_DEV_SUBDEVICE] = { .type = NLA_U16 },
	[PPT_A_DEV_CLASS] = { .type = NLA_U32 },
	[PPT_A_DEV_REVISION] = { .type = NLA_U8 },
	[PPT_A_DEV_STATE] = { .type = NLA_U32 },
	[PPT_A_DEV_DRIVER] = { .type = NLA_STRING },
	[PPT_A_DEV_OWNER] = { .type = NLA_STRING },
	[PPT_A_DEV_IOMMU_GROUP] = { .type = NLA_U32 },
	[PPT_A_DEV_PATH] = { .type = NLA_STRING },
	[PPT_A_DEV_BOOT_LISTED] = { .type = NLA_FLAG },
};

/* Map libnl's error codes to errno for callers. */
static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NODEV: return -ENODEV;
	case NLE_INVAL: return -EINVAL;
	case NLE_DUMP_INTR: return -EAGAIN;
	case NLE_BUSY: return -EBUSY;
	case NLE_AGAIN: return -EAGAIN;
	default: return -EIO;
	}
}

static void copy_str(char *dst, size_t len, struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nla_get_string(a));
	else
		dst[0] = '\0';
}

static int parse_device(struct nlattr **tb, struct ppt_device_info *d)
{
	if (!tb[PPT_A_DEV_ADDR] || !tb[PPT_A_DEV_STATE])
		return -EPROTO;
	memset(d, 0, sizeof(*d));
	copy_str(d->addr, sizeof(d->addr), tb[PPT_A_DEV_ADDR]);
	if (tb[PPT_A_DEV_VENDOR])
		d->vendor = nla_get_u16(tb[PPT_A_DEV_VENDOR]);
	if (tb[PPT_A_DEV_DEVICE])
		d->device = nla_get_u16(tb[PPT_A_DEV_DEVICE]);
	if (tb[PPT_A_DEV_SUBVENDOR])
		d->subvendor = nla_get_u16(tb[PPT_A_DEV_SUBVENDOR]);
	if (tb[PPT_A_DEV_SUBDEVICE])
		d->subdevice = nla_get_u16(tb[PPT_A_DEV_SUBDEVICE]);
	if (tb[PPT_A_DEV_CLASS])
		d->pci_class = nla_get_u32(tb[PPT_A_DEV_CLASS]);
	if (tb[PPT_A_DEV_REVISION])
		d->revision = nla_get_u8(tb[PPT_A_DEV_REVISION]);
	d->state = nla_get_u32(tb[PPT_A_DEV_STATE]);
	copy_str(d->driver, sizeof(d->driver), tb[PPT_A_DEV_DRIVER]);
	copy_str(d->owner, sizeof(d->owner), tb[PPT_A_DEV_OWNER]);
	d->iommu_group = tb[PPT_A_DEV_IOMMU_GROUP] ?
		(int64_t)nla_get_u32(tb[PPT_A_DEV_IOMMU_GROUP]) : -1;
	copy_str(d->path, sizeof(d->path), tb[PPT_A_DEV_PATH]);
	d->boot_listed = tb[PPT_A_DEV_BOOT_LISTED] != NULL;
	return 0;
}

static int on_device(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_device_info *d;
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, dev_policy);
	if (ret < 0) {
		req->error = -EPROTO;
		return NL_STOP;
	}
	if (req->ndevs == req->cap) {
		size_t cap = req->cap ? req->cap * 2 : 16;

		d = realloc(req->devs, cap * sizeof(*d));
		if (!d) {
			req->error = -ENOMEM;
			return NL_STOP;
		}
		req->devs = d;
		req->cap = cap;
	}
	ret = parse_device(tb, &req->devs[req->ndevs]);
	if (ret) {
		req->error = ret;
		return NL_STOP;
	}
	req->ndevs++;
	return NL_OK;
}

/* Record the kernel's errno and its extended ack message, if any. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	(void)nla;
	req->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(req->h->errmsg, sizeof(req->h->errmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
		req->h->has_errmsg = true;
	}
	return NL_STOP;
}

int ppt_open(struct ppt_handle **out)
{
	struct ppt_handle *h;
	int one = 1, ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		free(h);
		return -ENOMEM;
	}
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ret = nl_to_errno(ret);
		goto fail;
	}
	/* extended acks carry the kernel's reason; keep the echoed request short */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	h->family = genl_ctrl_resolve(h->sk, PPT_GENL_NAME);
	if (h->family < 0) {
		ret = -ENOENT;
		goto fail;
	}
	*out = h;
	return 0;
fail:
	nl_socket_free(h->sk);
	free(h);
	return ret;
}

void ppt_close(struct ppt_handle *h)
{
	if (!h)
		return;
	nl_socket_free(h->sk);
	free(h);
}

const char *ppt_errmsg(const struct ppt_handle *h)
{
	return h && h->has_errmsg ? h->errmsg : NULL;
}

/*
 * Send msg (consumed) and receive until the request completes.  Replies go
 * to on_device().  Returns 0 or a negative errno.
 */
static int transact(struct ppt_handle *h, struct nl_msg *msg,
		    struct request *req)
{
	struct nl_cb *cb;
	int ret;

	h->has_errmsg = false;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_device, req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	ret = nl_send_auto(h->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = nl_to_errno(ret);
		goto out;
	}
	ret = nl_recvmsgs(h->sk, cb);
	if (req->error)
		ret = req->error;
	else if (ret < 0)
		ret = nl_to_errno(ret);
	else
		ret = 0;
out:
	nl_cb_put(cb);
	return ret;
}

static struct nl_msg *new_request(struct ppt_handle *h, uint8_t cmd,
				  int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				flags | NLM_F_REQUEST | NLM_F_ACK, cmd,
				PPT_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_device_info *out)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h };
	struct nl_msg *msg;
	int ret;

	if (ppt_addr_normalize(addr, canon))
		return -EINVAL;
	msg = new_request(h, PPT_CMD_DEVICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = transact(h, msg, &req);
	if (!ret && req.ndevs != 1)
		ret = -EPROTO;
	if (!ret)
		*out = req.devs[0];
	free(req.devs);
	return ret;
}

int ppt_device_list(struct ppt_handle *h, struct ppt_device_info **out,
		    size_t *n)
{
	int attempt, ret = -EAGAIN;

	for (attempt = 0; attempt < DUMP_RETRIES && ret == -EAGAIN; attempt++) {
		struct request req = { .h = h };
		struct nl_msg *msg = new_request(h, PPT_CMD_DEVICE_GET,
						 NLM_F_DUMP);

		if (!msg)
			return -ENOMEM;
		ret = transact(h, msg, &req);
		if (ret) {
			free(req.devs);
			continue;
		}
		*out = req.devs;
		*n = req.ndevs;
	}
	return ret;
}
