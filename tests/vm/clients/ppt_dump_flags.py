#!/usr/bin/python3
"""ppt_dump_flags.py - dump the ppt family's devices over a raw netlink socket
and count what arrives: devices, socket reads, messages flagged
NLM_F_DUMP_INTR.

Usage: ppt_dump_flags.py [--churn ADDR OWNER]

With --churn, after the first read of the dump the client claims and
unclaims ADDR on a second socket (needs CAP_SYS_ADMIN), so the rest of the
dump is produced after the table changed: the kernel must flag it.

Prints one line: "devices N reads R interrupted I" (I counts messages,
NLMSG_DONE included). Written from
include/uapi/linux/ppt.h alone; Python's standard library only.
"""

import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP_INTR = 1, 2, 4, 0x10
NLM_F_DUMP = 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3

# include/uapi/linux/ppt.h
PPT_CMD_DEVICE_GET, PPT_CMD_DEVICE_CLAIM, PPT_CMD_DEVICE_UNCLAIM = 1, 4, 5
PPT_A_DEV_ADDR, PPT_A_DEV_OWNER = 1, 10

# a small read buffer keeps every part of the dump small: the kernel sizes
# dump parts by the reader's buffer.  (The kernel produces the next part at
# the end of each read, so the first part made after the churn is the
# third; NLMSG_DONE carries the flag too.)
READ_SIZE = 4096


def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("HH", 4 + len(payload), kind) + payload + b"\0" * pad


def attr_str(kind, s):
    return attr(kind, s.encode() + b"\0")


def message(family, flags, seq, cmd, attrs=b""):
    body = struct.pack("BBH", cmd, 1, 0) + attrs
    return struct.pack("IHHII", 16 + len(body), family, flags, seq, 0) + body


def messages(data):
    off = 0
    while off + 16 <= len(data):
        length, kind, flags, seq, _ = struct.unpack_from("IHHII", data, off)
        yield kind, flags, data[off + 16:off + length]
        off += (length + 3) & ~3


def attrs_of(payload):
    off = 0
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from("HH", payload, off)
        yield kind & 0x3fff, payload[off + 4:off + length]
        off += (length + 3) & ~3


def open_sock():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    return s


def family_id(s):
    s.send(message(GENL_ID_CTRL, NLM_F_REQUEST, 1, CTRL_CMD_GETFAMILY,
                   attr_str(CTRL_ATTR_FAMILY_NAME, "ppt")))
    for kind, _, payload in messages(s.recv(65536)):
        if kind == NLMSG_ERROR:
            sys.exit("ppt_dump_flags: family ppt not found (errno %d)"
                     % -struct.unpack_from("i", payload)[0])
        for a, val in attrs_of(payload[4:]):
            if a == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("H", val)[0]
    sys.exit("ppt_dump_flags: no family id in the reply")


def request(s, fam, cmd, attrs):
    s.send(message(fam, NLM_F_REQUEST | NLM_F_ACK, 7, cmd, attrs))
    while True:
        for kind, _, payload in messages(s.recv(65536)):
            if kind == NLMSG_ERROR:
                err = -struct.unpack_from("i", payload)[0]
                if err:
                    sys.exit("ppt_dump_flags: churn request failed: %s"
                             % os.strerror(err))
                return


def main(argv):
    churn = None
    if len(argv) == 3 and argv[0] == "--churn":
        churn = argv[1:]
    elif argv:
        sys.exit(__doc__)
    fam = family_id(open_sock())
    # a fresh socket: the kernel sizes dump parts by the largest read the
    # socket has seen, and the family lookup read with a large buffer
    s = open_sock()
    s.send(message(fam, NLM_F_REQUEST | NLM_F_DUMP, 2, PPT_CMD_DEVICE_GET))
    devices = reads = interrupted = 0
    done = False
    while not done:
        data, _, flags, _ = s.recvmsg(READ_SIZE)
        if flags & socket.MSG_TRUNC:
            sys.exit("ppt_dump_flags: a dump part did not fit %d bytes" % READ_SIZE)
        reads += 1
        for kind, flags, payload in messages(data):
            interrupted += bool(flags & NLM_F_DUMP_INTR)
            if kind == NLMSG_DONE:
                done = True
            elif kind == NLMSG_ERROR:
                sys.exit("ppt_dump_flags: dump failed: %s"
                         % os.strerror(-struct.unpack_from("i", payload)[0]))
            elif kind == fam:
                devices += 1
        if churn and reads == 1:
            c = open_sock()
            addr = attr_str(PPT_A_DEV_ADDR, churn[0])
            owner = attr_str(PPT_A_DEV_OWNER, churn[1])
            request(c, fam, PPT_CMD_DEVICE_CLAIM, addr + owner)
            request(c, fam, PPT_CMD_DEVICE_UNCLAIM, addr + owner)
            c.close()
    print("devices %d reads %d interrupted %d" % (devices, reads, interrupted))


if __name__ == "__main__":
    main(sys.argv[1:])
