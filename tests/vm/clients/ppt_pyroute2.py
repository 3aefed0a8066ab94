#!/usr/bin/python3
"""ppt_pyroute2.py - an independent client of the "ppt" generic netlink family.

Written from the protocol header (include/uapi/linux/ppt.h) alone: its numbers
are copied here by hand and no project code is used, so it shows that the
family can be driven by anyone holding the header. It runs on pyroute2 (0.7,
Debian 12's python3-pyroute2): GenericNetlinkSocket resolves the family and its
"events" group, and PptMsg, an nla class built from the header's enums, encodes
and decodes the messages. Acknowledgements are parsed here: pyroute2 0.7 reads
an extended ack's attributes from the wrong offset (over the echoed request
header), so it loses the kernel's message.

Usage (run on the host's Python: /usr/bin/python3):
  ppt_pyroute2.py dump                     every device ppt knows
  ppt_pyroute2.py get ADDR                 one device (doit)
  ppt_pyroute2.py reserve [--force] ADDR   reserve, wait for the outcome on the
                                           events group, confirm with a get
  ppt_pyroute2.py probe-get ARG...         send DEVICE_GET doit requests and print
                                           the error that comes back; ARG is the
                                           address to send, or "-" for none
  ppt_pyroute2.py monitor [--until-dev ADDR] [--until-state STATE]
                                           subscribe to "events" and print what
                                           comes, until a DEVICE_NTF matches
  Options: --timeout SECS (default 60) for every wait.

Output: one record a line, "KIND key=value ..." (values with spaces quoted).
Exit status: 0 success, 1 a request or a check failed, 2 usage.
"""

import argparse
import errno
import os
import select
import struct
import sys
import time

from pyroute2.netlink import NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, genlmsg
from pyroute2.netlink.exceptions import NetlinkError
from pyroute2.netlink.generic import GenericNetlinkSocket

# --- include/uapi/linux/ppt.h ---------------------------------------------------
PPT_GENL_NAME = "ppt"
PPT_GENL_VERSION = 1
PPT_GENL_MCGRP_EVENTS = "events"

# enum ppt_cmd
PPT_CMD = {
    0: "UNSPEC",
    1: "DEVICE_GET",
    2: "DEVICE_RESERVE",
    3: "DEVICE_RELEASE",
    4: "DEVICE_CLAIM",
    5: "DEVICE_UNCLAIM",
    6: "DEVICE_ASSIGN",
    7: "DEVICE_UNASSIGN",
    8: "DEVICE_NTF",
    9: "REQUEST_NTF",
    10: "DEVICE_RESET",
    11: "DEVICE_CLEAN",
    12: "MATCH_ADD",
    13: "MATCH_DEL",
    14: "MATCH_GET",
}
CMD = {name: num for num, name in PPT_CMD.items()}

# enum ppt_state (PPT_STATE_NAMES)
PPT_STATE = ["unspec", "reserved", "claimed", "assigning", "assigned", "unassigning",
             "dirty", "cleaning", "quarantined", "releasing", "detached", "reserving",
             "resetting"]

# enum ppt_attr, with the type each attribute's comment gives
PPT_ATTR = {
    0: ("PPT_A_UNSPEC", "none"),
    1: ("PPT_A_DEV_ADDR", "asciiz"),
    2: ("PPT_A_DEV_VENDOR", "uint16"),
    3: ("PPT_A_DEV_DEVICE", "uint16"),
    4: ("PPT_A_DEV_SUBVENDOR", "uint16"),
    5: ("PPT_A_DEV_SUBDEVICE", "uint16"),
    6: ("PPT_A_DEV_CLASS", "uint32"),
    7: ("PPT_A_DEV_REVISION", "uint8"),
    8: ("PPT_A_DEV_STATE", "uint32"),
    9: ("PPT_A_DEV_DRIVER", "asciiz"),
    10: ("PPT_A_DEV_OWNER", "asciiz"),
    11: ("PPT_A_DEV_IOMMU_GROUP", "uint32"),
    12: ("PPT_A_DEV_PATH", "asciiz"),
    13: ("PPT_A_DEV_BOOT_LISTED", "flag"),
    14: ("PPT_A_PAD", "none"),
    15: ("PPT_A_FORCE", "flag"),
    16: ("PPT_A_REQ_ID", "uint64"),
    17: ("PPT_A_REQ_CMD", "uint8"),
    18: ("PPT_A_REQ_ERRNO", "uint32"),
    19: ("PPT_A_REQ_MSG", "asciiz"),
    20: ("PPT_A_BLOCKER_ADDR", "asciiz"),
    21: ("PPT_A_BLOCKER_DRIVER", "asciiz"),
    22: ("PPT_A_EVENT_SEQ", "uint64"),
    23: ("PPT_A_DEV_ADOPTED", "flag"),
    24: ("PPT_A_DEV_REMOVED", "flag"),
    25: ("PPT_A_RESET_METHOD", "uint32"),
    26: ("PPT_A_DEV_RESET_METHODS", "uint32"),
    27: ("PPT_A_DEV_LAST_RESET", "uint32"),
    28: ("PPT_A_DEV_LAST_RESET_USEC", "uint64"),
    29: ("PPT_A_DEV_SLOT", "asciiz"),
    30: ("PPT_A_MATCH_IDS", "asciiz"),
    31: ("PPT_A_MATCH_DEVICE", "asciiz"),
    32: ("PPT_A_MATCH_PATH", "asciiz"),
    33: ("PPT_A_MATCH_BOOT", "flag"),
}
ATTR_NUM = {name: num for num, (name, _) in PPT_ATTR.items()}
assert sorted(PPT_ATTR) == list(range(len(PPT_ATTR)))

# --- netlink (linux/netlink.h) --------------------------------------------------
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_DUMP_INTR = 0x2, 0x10
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST = 5, 6
NLMSGHDR = struct.Struct("=IHHII")


class PptMsg(genlmsg):
    """A ppt message: the generic netlink header and the attributes of enum ppt_attr."""

    prefix = "PPT_A_"
    nla_map = tuple(PPT_ATTR[n] for n in sorted(PPT_ATTR))


class Failure(Exception):
    pass


def out(kind, **kv):
    def fmt(v):
        v = "-" if v is None else str(v)
        return '"' + v.replace('"', '\\"') + '"' if (" " in v or not v) else v
    print(kind, " ".join(f"{k}={fmt(v)}" for k, v in kv.items()), flush=True)


def errname(e):
    return errno.errorcode.get(e, str(e))


class Ack:
    """A parsed NLMSG_ERROR: errno, the extended ack's attributes, and whether the
    message is well formed (lengths add up, it echoes our request's header)."""

    def __init__(self, data, off, length, flags, request):
        (err,) = struct.unpack_from("=i", data, off + 16)
        self.errno = -err
        self.msg = self.offs = self.miss_type = self.miss_nest = None
        self.problems = []
        elen, etype, _, eseq, _ = NLMSGHDR.unpack_from(data, off + 20)
        if request is not None:
            rlen, rtype, _, rseq, _ = NLMSGHDR.unpack_from(request, 0)
            if (etype, eseq, elen) != (rtype, rseq, rlen):
                self.problems.append(f"echoed header {etype}/{eseq}/{elen}, "
                                     f"sent {rtype}/{rseq}/{rlen}")
        pos = off + 20 + (16 if flags & NLM_F_CAPPED else (elen + 3) & ~3)
        end = off + length
        if not flags & NLM_F_ACK_TLVS:
            if pos != end:
                self.problems.append(f"{end - pos} bytes after the echoed request")
            return
        while pos + 4 <= end:
            alen, atype = struct.unpack_from("=HH", data, pos)
            if alen < 4 or pos + alen > end:
                self.problems.append(f"attribute {atype} of length {alen} overruns")
                return
            payload = data[pos + 4:pos + alen]
            atype &= 0x3fff
            if atype == NLMSGERR_ATTR_MSG:
                if not payload.endswith(b"\0"):
                    self.problems.append("message not NUL-terminated")
                self.msg = payload.rstrip(b"\0").decode(errors="replace")
            elif atype == NLMSGERR_ATTR_OFFS:
                (self.offs,) = struct.unpack("=I", payload)
            elif atype == NLMSGERR_ATTR_MISS_TYPE:
                (self.miss_type,) = struct.unpack("=I", payload)
            elif atype == NLMSGERR_ATTR_MISS_NEST:
                (self.miss_nest,) = struct.unpack("=I", payload)
            pos += (alen + 3) & ~3
        if pos != end:
            self.problems.append(f"{end - pos} stray bytes after the attributes")

    def attr_at_offs(self, request):
        """The attribute of REQUEST that NLMSGERR_ATTR_OFFS points at."""
        if self.offs is None or self.offs + 4 > len(request):
            return None
        (atype,) = struct.unpack_from("=H", request, self.offs + 2)
        return PPT_ATTR.get(atype & 0x3fff, (str(atype),))[0]


class Ppt:
    """One socket talking to the family."""

    seq = int(time.time()) & 0xffff

    def __init__(self, timeout):
        self.timeout = timeout
        self.sock = GenericNetlinkSocket(ext_ack=True)
        self.sock.bind(PPT_GENL_NAME, PptMsg)
        # from now on acks echo only the request's header (pyroute2's own
        # family lookup above decodes the whole echoed request)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.family = self.sock.prid

    def close(self):
        self.sock.close()

    def subscribe(self):
        self.sock.add_membership(PPT_GENL_MCGRP_EVENTS)
        return self.sock.mcast_groups[PPT_GENL_MCGRP_EVENTS]

    def encode(self, cmd, attrs, flags):
        Ppt.seq += 1
        msg = PptMsg()
        msg["cmd"] = CMD[cmd]
        msg["version"] = PPT_GENL_VERSION
        msg["attrs"] = attrs
        msg["header"]["type"] = self.family
        msg["header"]["flags"] = flags
        msg["header"]["sequence_number"] = Ppt.seq
        msg["header"]["pid"] = 0
        msg.encode()
        return bytes(msg.data), Ppt.seq

    def messages(self, deadline):
        """Yield (data, off, length, type, flags, seq) of each message received."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock.fileno()], [], [], left)[0]:
                raise Failure(f"nothing from the kernel within {self.timeout} s")
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                length, mtype, flags, seq, _ = NLMSGHDR.unpack_from(data, off)
                if length < 16 or off + length > len(data):
                    raise Failure(f"malformed netlink message (length {length})")
                yield data, off, length, mtype, flags, seq
                off += (length + 3) & ~3

    def request(self, cmd, attrs=(), dump=False):
        """Send a request; return (replies, ack). ack is the Ack of an error, or None."""
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        req, seq = self.encode(cmd, list(attrs), flags)
        self.sock.sendto(req, (0, 0))
        replies = []
        for data, off, length, mtype, flags, mseq in self.messages(time.monotonic() + self.timeout):
            if mseq != seq:
                continue
            if mtype == NLMSG_ERROR:
                ack = Ack(data, off, length, flags, req)
                ack.request = req
                return replies, (ack if ack.errno else None)
            if mtype == NLMSG_DONE:
                (err,) = struct.unpack_from("=i", data, off + 16)
                if err:
                    raise Failure(f"dump ended with {errname(-err)}")
                return replies, None
            if mtype != self.family:
                raise Failure(f"unexpected message type {mtype}")
            if flags & NLM_F_DUMP_INTR:
                raise Failure("dump interrupted (NLM_F_DUMP_INTR)")
            msg = PptMsg(data[off:off + length])
            msg.decode()
            replies.append(msg)  # a doit's reply; its ack follows
        raise Failure("unreachable")

    def events(self, deadline):
        """Yield decoded messages from the events group until the deadline."""
        for data, off, length, mtype, _, _ in self.messages(deadline):
            if mtype == self.family:
                msg = PptMsg(data[off:off + length])
                msg.decode()
                yield msg


def device_fields(m):
    state = m.get_attr("PPT_A_DEV_STATE")
    return dict(
        addr=m.get_attr("PPT_A_DEV_ADDR"),
        state=PPT_STATE[state] if state is not None and state < len(PPT_STATE) else state,
        driver=m.get_attr("PPT_A_DEV_DRIVER"),
        owner=m.get_attr("PPT_A_DEV_OWNER"),
        vendor="%04x" % m.get_attr("PPT_A_DEV_VENDOR", 0),
        device="%04x" % m.get_attr("PPT_A_DEV_DEVICE", 0),
        group=m.get_attr("PPT_A_DEV_IOMMU_GROUP"),
        path=m.get_attr("PPT_A_DEV_PATH"),
    )


def print_event(m):
    cmd = PPT_CMD.get(m["cmd"], m["cmd"])
    seq = m.get_attr("PPT_A_EVENT_SEQ")
    if m["cmd"] == CMD["DEVICE_NTF"]:
        f = device_fields(m)
        out("event", cmd=cmd, seq=seq, addr=f["addr"], state=f["state"], driver=f["driver"],
            owner=f["owner"], removed="yes" if m.get_attr("PPT_A_DEV_REMOVED") else "no")
    elif m["cmd"] == CMD["REQUEST_NTF"]:
        out("event", cmd=cmd, seq=seq, req_id=m.get_attr("PPT_A_REQ_ID"),
            req_cmd=PPT_CMD.get(m.get_attr("PPT_A_REQ_CMD"), m.get_attr("PPT_A_REQ_CMD")),
            addr=m.get_attr("PPT_A_DEV_ADDR"), errno=m.get_attr("PPT_A_REQ_ERRNO"),
            msg=m.get_attr("PPT_A_REQ_MSG"))
    else:
        out("event", cmd=cmd, seq=seq)


def fail_ack(what, ack):
    raise Failure(f"{what}: {errname(ack.errno)}" + (f": {ack.msg}" if ack.msg else ""))


def cmd_dump(a):
    p = Ppt(a.timeout)
    replies, ack = p.request("DEVICE_GET", dump=True)
    if ack:
        fail_ack("dump", ack)
    for m in replies:
        out("device", **device_fields(m))
    out("dumped", count=len(replies))


def get(p, addr):
    replies, ack = p.request("DEVICE_GET", [("PPT_A_DEV_ADDR", addr)])
    if ack:
        fail_ack(f"get {addr}", ack)
    if len(replies) != 1 or replies[0]["cmd"] != CMD["DEVICE_GET"]:
        raise Failure(f"get {addr}: {len(replies)} replies")
    return device_fields(replies[0])


def cmd_get(a):
    out("device", **get(Ppt(a.timeout), a.addr))


def cmd_reserve(a):
    ev = Ppt(a.timeout)
    group = ev.subscribe()  # before sending, so the outcome cannot be missed
    out("subscribed", group=PPT_GENL_MCGRP_EVENTS, id=group)
    p = Ppt(a.timeout)
    attrs = [("PPT_A_DEV_ADDR", a.addr)] + ([("PPT_A_FORCE", True)] if a.force else [])
    replies, ack = p.request("DEVICE_RESERVE", attrs)
    if ack:
        fail_ack(f"reserve {a.addr}", ack)
    ids = [m.get_attr("PPT_A_REQ_ID") for m in replies if m["cmd"] == CMD["DEVICE_RESERVE"]]
    if len(ids) != 1 or ids[0] is None:
        raise Failure(f"reserve {a.addr}: the reply carries no single request id: {replies}")
    req_id = ids[0]
    out("reply", cmd="DEVICE_RESERVE", req_id=req_id)
    last = None
    for m in ev.events(time.monotonic() + a.timeout):
        print_event(m)
        seq = m.get_attr("PPT_A_EVENT_SEQ")
        if last is not None and seq != last + 1:
            raise Failure(f"event sequence jumped from {last} to {seq}")
        last = seq
        if m["cmd"] == CMD["REQUEST_NTF"] and m.get_attr("PPT_A_REQ_ID") == req_id:
            err = m.get_attr("PPT_A_REQ_ERRNO")
            out("outcome", req_id=req_id, errno=err, addr=m.get_attr("PPT_A_DEV_ADDR"))
            if err:
                raise Failure(f"reserve {a.addr} failed: {errname(err)}: "
                              f"{m.get_attr('PPT_A_REQ_MSG')}")
            break
    f = get(p, a.addr)
    out("confirmed", **f)
    if f["state"] != "reserved":
        raise Failure(f"{a.addr} is {f['state']} after its reserve, not reserved")


def cmd_probe_get(a):
    p = Ppt(a.timeout)
    status = 0
    for arg in a.args:
        attrs = [] if arg == "-" else [("PPT_A_DEV_ADDR", arg)]
        replies, ack = p.request("DEVICE_GET", attrs)
        if not ack:
            out("probe", sent=arg, result="success", replies=len(replies))
            status = 1
            continue
        miss = ack.miss_type
        out("probe", sent=arg, errno=errname(ack.errno), msg=ack.msg,
            offs_attr=ack.attr_at_offs(ack.request),
            miss_type=PPT_ATTR[miss][0] if miss in PPT_ATTR else miss,
            wellformed="yes" if not ack.problems else "no: " + "; ".join(ack.problems))
    return status


def cmd_monitor(a):
    ev = Ppt(a.timeout)
    group = ev.subscribe()
    out("subscribed", group=PPT_GENL_MCGRP_EVENTS, id=group, uid=os.getuid(), euid=os.geteuid())
    for m in ev.events(time.monotonic() + a.timeout):
        print_event(m)
        if m["cmd"] != CMD["DEVICE_NTF"] or not a.until_dev:
            continue
        f = device_fields(m)
        if f["addr"] == a.until_dev and (not a.until_state or f["state"] == a.until_state):
            return 0
    return 1


def main():
    ap = argparse.ArgumentParser(description="An independent client of the ppt family.")
    ap.add_argument("--timeout", type=float, default=60)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump").set_defaults(fn=cmd_dump)
    s = sub.add_parser("get")
    s.add_argument("addr")
    s.set_defaults(fn=cmd_get)
    s = sub.add_parser("reserve")
    s.add_argument("--force", action="store_true")
    s.add_argument("addr")
    s.set_defaults(fn=cmd_reserve)
    s = sub.add_parser("probe-get")
    s.add_argument("args", nargs="+")
    s.set_defaults(fn=cmd_probe_get)
    s = sub.add_parser("monitor")
    s.add_argument("--until-dev")
    s.add_argument("--until-state")
    s.set_defaults(fn=cmd_monitor)
    a = ap.parse_args()
    try:
        return a.fn(a) or 0
    except Failure as e:
        print(f"ppt_pyroute2: {e}", file=sys.stderr, flush=True)
        return 1
    except OSError as e:
        print(f"ppt_pyroute2: {e}", file=sys.stderr, flush=True)
        return 1
    except NetlinkError as e:  # from pyroute2's family lookup
        print(f"ppt_pyroute2: cannot resolve the family {PPT_GENL_NAME}: "
              f"{errname(e.code)} ({os.strerror(e.code)})", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
