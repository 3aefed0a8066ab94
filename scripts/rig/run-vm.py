#!/usr/bin/env python3
"""run-vm.py - run one ppt VM test in QEMU (TCG) and collect its TAP results.

    scripts/rig/run-vm.py --kernel 6.1 --test tests/vm/00-rig.sh
    scripts/rig/run-vm.py --kernel 6.12 --topology basic --test tests/vm/01-qmp.sh \\
        --kmod build/kmod/6.12.117+deb12-amd64 --bin build/userspace/pptadm
    scripts/rig/run-vm.py --kernel 6.1 --topology gpu --shell     # interactive

Builds an initramfs (build-initramfs.sh), boots the kernel (kernel-resolve.sh) on
a q35 machine with an emulated Intel IOMMU and the PCI topology of
scripts/rig/topologies.py, runs the test in the guest and writes into --out
(default build/vm/KERNEL/TEST/): results.tap, dmesg.txt, console.log (ttyS0),
channel.log (raw ttyS1), qemu.log (QEMU's stderr), qmp.log, qemu.cmdline. The TAP
(the test's cases, then the rig's own: "dmesg clean" always, others only when
something went wrong) is printed on stdout; rig messages go to stderr.

Test-file headers (first lines): "# topology: NAME", "# append: ARGS" (added to the
kernel command line before --append), "# timeout: SECS", "# dmesg-allow: ERE"
(lines matching it are not splats; repeatable), "# iommu: off" (no emulated
IOMMU and no intel_iommu=on), "# hostfs: yes" (as --hostfs: the
host's / read-only over virtio-9p, for host_run in tests/vm/lib.sh), "# modules:
A,B" (more host kernel modules in the initramfs, added to --modules-extra),
"# sanitise: policy" (keep ppt's sanitiser defaults; without it the kernel command
line sets the policy none for NVMe and display controllers, which the other
tests clean by reset only).
Command-line options win.

Exit status: 0 every TAP case ok, 1 some case failed (incl. guest panic, guest
timeout, missing plan, splats in dmesg), 2 rig failure (bad arguments, initramfs
build failed, QEMU did not start or was killed by a signal twice in a row).

Guest<->host channel (ttyS1, raw): the guest sends "@@RIG BEGIN TAP" ... "@@RIG END
TAP status=N", "@@RIG BEGIN DMESG" ... "@@RIG END DMESG", "@@RIG DONE", and QMP
requests "@@QMP ID JSON" (anywhere in the stream, ended by a newline); the host
answers "@@QMP-REPLY ID ok|error JSON" and, after DONE, "@@RIG BYE". Besides real
QMP commands the host understands {"execute":"x-rig-wait-event","arguments":
{"event":NAME,"data":{...subset...},"timeout":SECS}}: returns the first not yet
consumed matching event, waiting for it if needed.
"""

import argparse
import json
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

RIG_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(RIG_DIR))
sys.path.insert(0, RIG_DIR)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import topologies  # noqa: E402

BASE_APPEND = "console=ttyS0 intel_iommu=on panic=-1"
# Tests that are not about sanitisers clean the rig's NVMe and display
# controllers by reset only: the sanitiser policy "none" for them, an
# explicit choice the module logs.  "# sanitise: policy" keeps ppt's
# defaults (nvme, bar), whose cleans wait for a sanitise agent.
SANITISE_NONE_APPEND = "ppt.sanitise=class:0108=none;class:03=none"
DEFAULT_TIMEOUT = 300
EXIT_OK, EXIT_FAIL, EXIT_RIG = 0, 1, 2

SPLAT_RE = re.compile(
    r"WARNING:|BUG:|Oops|\bKASAN\b|\bUBSAN\b|possible circular locking"
    r"|possible recursive locking|inconsistent lock state|suspicious RCU"
    r"|sleeping function called from invalid context|INFO: task .* blocked"
    r"|suspected memory leak|unreferenced object|general protection fault"
    r"|Call Trace:")
PANIC_RE = re.compile(r"Kernel panic - not syncing.*")


class RigError(Exception):
    """A failure of the rig itself (exit status 2)."""


def log(msg):
    print(f"rig: {msg}", file=sys.stderr, flush=True)


# --- QMP ------------------------------------------------------------------------

class QMP:
    """A QMP client: one command in flight at a time, events kept for waiting."""

    def __init__(self, path, deadline, logf):
        self.logf = logf
        self.lock = threading.Lock()
        self.cond = threading.Condition()
        self.events = []
        self.replies = {}
        self.closed = False
        self.seq = 0
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise RigError(f"cannot connect to QMP socket {path}")
                time.sleep(0.05)
        self.rfile = self.sock.makefile("rb")
        greeting = self._read()
        if not greeting or "QMP" not in greeting:
            raise RigError(f"no QMP greeting on {path}: {greeting}")
        threading.Thread(target=self._reader, daemon=True).start()
        r = self.execute({"execute": "qmp_capabilities"}, 30)
        if "return" not in r:
            raise RigError(f"qmp_capabilities failed: {r}")

    def _read(self):
        line = self.rfile.readline()
        if not line:
            return None
        self._log("<-", line.decode(errors="replace").strip())
        return json.loads(line)

    def _log(self, direction, text):
        with self.lock:
            self.logf.write(f"{time.strftime('%H:%M:%S')} {direction} {text}\n")
            self.logf.flush()

    def _reader(self):
        try:
            while True:
                msg = self._read()
                if msg is None:
                    break
                with self.cond:
                    if "event" in msg:
                        self.events.append(msg)
                    elif "id" in msg:
                        self.replies[msg["id"]] = msg
                    self.cond.notify_all()
        except (OSError, ValueError) as e:
            self._log("!!", f"reader stopped: {e}")
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def execute(self, cmd, timeout=60):
        with self.cond:
            self.seq += 1
            rid = f"rig-{self.seq}"
        guest_id = cmd.get("id")
        cmd = dict(cmd, id=rid)
        text = json.dumps(cmd, separators=(",", ":"))
        self._log("->", text)
        try:
            with self.lock:
                self.sock.sendall(text.encode() + b"\n")
        except OSError as e:
            return {"error": {"class": "RigError", "desc": f"QMP send failed: {e}"}}
        end = time.monotonic() + timeout
        with self.cond:
            while rid not in self.replies:
                left = end - time.monotonic()
                if self.closed or left <= 0:
                    why = "QMP connection closed" if self.closed else f"no QMP reply in {timeout} s"
                    return {"error": {"class": "RigError", "desc": why}}
                self.cond.wait(left)
            r = self.replies.pop(rid)
        r.pop("id", None)
        if guest_id is not None:
            r["id"] = guest_id
        return r

    def wait_event(self, name, data, timeout):
        def matches(ev):
            if ev.get("event") != name:
                return False
            evd = ev.get("data", {})
            return all(evd.get(k) == v for k, v in (data or {}).items())

        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for i, ev in enumerate(self.events):
                    if matches(ev):
                        del self.events[i]
                        return {"return": ev}
                left = end - time.monotonic()
                if self.closed or left <= 0:
                    return {"error": {"class": "Timeout",
                                      "desc": f"no {name} event {data or ''} within {timeout} s"}}
                self.cond.wait(left)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# --- the ttyS1 channel ----------------------------------------------------------

class Channel:
    """Host end of the guest's ttyS1: splits the stream into sections, serves QMP."""

    def __init__(self, conn, qmp_path, deadline, out):
        self.conn = conn
        self.qmp_path = qmp_path
        self.qmp_deadline = deadline
        self.qmp = None
        self.qmp_log = open(os.path.join(out, "qmp.log"), "a")
        self.raw = open(os.path.join(out, "channel.log"), "wb")
        self.buf = b""
        self.section = None
        self.sections = {}
        self.section_ends = {}
        self.done = False
        self.wlock = threading.Lock()
        self.requests = queue.Queue()
        self.qmp_error = None
        self.qmp_lock = threading.Lock()
        threading.Thread(target=self._qmp_worker, daemon=True).start()

    def send(self, line):
        with self.wlock:
            try:
                self.conn.sendall(line.encode() + b"\n")
            except OSError:
                pass

    def feed(self, data):
        self.raw.write(data)
        self.raw.flush()
        self.buf += data
        while True:
            i = self.buf.find(b"@@QMP ")
            j = self.buf.find(b"\n", i) if i >= 0 else -1
            if j < 0:
                break
            req, self.buf = self.buf[i + 6:j], self.buf[:i] + self.buf[j + 1:]
            self.requests.put(req.decode(errors="replace"))
        limit = i if i >= 0 else len(self.buf)
        k = self.buf.rfind(b"\n", 0, limit)
        if k >= 0:
            lines, self.buf = self.buf[:k + 1], self.buf[k + 1:]
            for line in lines.decode(errors="replace").split("\n")[:-1]:
                self._line(line.rstrip("\r"))

    def _line(self, line):
        m = re.match(r"@@RIG (BEGIN|END) (\w+)(.*)$", line)
        if m:
            kind, name, rest = m.groups()
            if kind == "BEGIN":
                self.section = name
                self.sections.setdefault(name, [])
            else:
                self.section = None
                self.section_ends[name] = rest.strip()
            return
        if line.startswith("@@RIG DONE"):
            self.done = True
            self.send("@@RIG BYE")
            return
        if self.section:
            self.sections[self.section].append(line)
        else:
            self.sections.setdefault("OTHER", []).append(line)

    def _qmp_worker(self):
        while True:
            req = self.requests.get()
            if req is None:
                return
            rid, _, text = req.partition(" ")
            reply = self._handle(text)
            status = "ok" if "return" in reply else "error"
            self.send(f"@@QMP-REPLY {rid} {status} " + json.dumps(reply, separators=(",", ":")))

    def _handle(self, text):
        try:
            cmd = json.loads(text)
            if not isinstance(cmd, dict) or "execute" not in cmd:
                raise ValueError('not a QMP command object with "execute"')
        except ValueError as e:
            return {"error": {"class": "GenericError", "desc": f"rig: bad QMP request: {e}"}}
        if not self.ensure_qmp():
            return {"error": {"class": "RigError", "desc": f"rig: {self.qmp_error}"}}
        if cmd["execute"] == "x-rig-wait-event":
            a = cmd.get("arguments", {})
            return self.qmp.wait_event(a.get("event"), a.get("data"), float(a.get("timeout", 30)))
        return self.qmp.execute(cmd)

    def ensure_qmp(self):
        """Connect to QEMU's QMP socket on first use; False (see qmp_error) if not."""
        with self.qmp_lock:
            if self.qmp is None:
                try:
                    self.qmp = QMP(self.qmp_path, self.qmp_deadline, self.qmp_log)
                except (RigError, OSError, ValueError) as e:
                    self.qmp_error = str(e)
            return self.qmp is not None

    def sysrq(self, key):
        """Press Alt-SysRq-KEY on the guest's PS/2 keyboard (output on the console)."""
        if not self.ensure_qmp():
            return False
        keys = [{"type": "qcode", "data": k} for k in ("alt", "sysrq", key)]
        return "return" in self.qmp.execute({"execute": "send-key", "arguments": {"keys": keys}}, 10)

    def close(self):
        self.requests.put(None)
        if self.qmp:
            self.qmp.close()
        self.raw.close()
        self.qmp_log.close()


# --- running QEMU ---------------------------------------------------------------

class Run:
    """Everything about one boot."""

    def __init__(self):
        self.timed_out = False
        self.signal = None
        self.returncode = None
        self.channel = None
        self.elapsed = 0.0
        self.poweroff_hang = False
        self.console_mark = None  # console.log size before the rig's SysRq dumps


def crashed_before_test(run, console_path):
    """Did the guest kernel panic while booting, before the test started?

    Such a crash cannot be the test's doing: ppt and the test's modules are
    loaded by the test itself.  Seen under QEMU 7.2 TCG: an int3 oops in
    kernel text patching a few seconds into boot, about once in a hundred
    boots.
    """
    if run.timed_out or run.signal:
        return False
    if run.channel is not None and "TAP" in run.channel.sections:
        return False
    return PANIC_RE.search(read_file(console_path)) is not None


# A virtual CPU that sleeps in HLT and whose timer interrupt never comes:
# RCU reports its grace-period kthread's timer as not fired on that CPU, and
# the NMI backtrace finds the CPU idle.  Seen about twice in a hundred guests
# when two QEMU 7.2 TCG guests share 2 host cores (once while booting, which
# hangs the boot), and once in a full make check with one guest at a time on
# a host busy with other work (a 6.12 guest, after its test had ended: its
# poweroff never came).  An idle CPU in HLT runs nothing of the test's or
# ppt's: the interrupt was lost in the emulator.
LOST_TIMER_RE = re.compile(r"timer wakeup didn't happen for \d+ jiffies.*?"
                           r"Possible timer handling issue on cpu=(\d+)", re.S)
# How the NMI backtrace shows that CPU idle.  6.1 skips the dump ("skipped:
# idling at native_safe_halt"); 6.12 dumps it, with the CPU in the HLT of
# the idle loop.
IDLE_RIP_RE = re.compile(r"RIP: 0010:(pv_native_safe_halt|native_safe_halt|safe_halt|"
                         r"default_idle|acpi_safe_halt)\+")


def idle_in_nmi_backtrace(text, cpu):
    """Does the NMI backtrace of CPU show it idle in HLT?"""
    if re.search(rf"NMI backtrace for cpu {cpu} skipped: idling at", text):
        return True
    for m in re.finditer(rf"NMI backtrace for cpu {cpu}[ \t]*\n", text):
        end = text.find("</TASK>", m.end())
        dump = text[m.end():end if end >= 0 else len(text)]
        if IDLE_RIP_RE.search(dump) and re.search(r"\bdo_idle\+", dump):
            return True
    return False


def lost_timer(console_path):
    """The CPU that lost its timer interrupt while idle (see LOST_TIMER_RE),
    or None."""
    text = read_file(console_path)
    for m in LOST_TIMER_RE.finditer(text):
        cpu = m.group(1)
        if idle_in_nmi_backtrace(text, cpu):
            return cpu
    return None


def sock_dir(out):
    """Unix socket paths are limited to 107 bytes: use a short dir if needed."""
    if len(os.path.join(out, "serial1.sock")) < 100:
        return out
    d = tempfile.mkdtemp(prefix="ppt-rig-")
    log(f"out dir path too long for unix sockets; sockets are in {d}")
    return d


def qemu_command(a, kimage, initrd, topo_args, append, sdir, console, iommu=True):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-M", "q35", "-cpu", "max",
           "-smp", "2", "-m", "1G", "-nodefaults", "-nographic", "-no-reboot",
           # native PCIe hotplug (pciehp), as on real hosts; QEMU's q35 default
           # is ACPI hotplug (acpiphp), which bypasses pciehp's slot reset paths
           "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"]
    if iommu:
        cmd += ["-device", "intel-iommu,intremap=on,caching-mode=on"]
    if a.shell:
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-monitor", "none",
                "-chardev", f"file,id=console0,path={console}", "-serial", "chardev:console0"]
    cmd += ["-chardev", f"socket,id=chan0,path={os.path.join(sdir, 'serial1.sock')}",
            "-serial", "chardev:chan0",
            "-qmp", f"unix:{os.path.join(sdir, 'qmp.sock')},server=on,wait=off"]
    cmd += topo_args
    cmd += ["-kernel", kimage, "-initrd", initrd, "-append", append]
    return cmd


def dump_blocked_tasks(run, console):
    """Before killing a guest that timed out, have its kernel log the stacks of
    blocked (D state) tasks (SysRq-w) and of all CPUs (SysRq-l) on the console."""
    run.console_mark = os.path.getsize(console) if os.path.exists(console) else 0
    if run.channel.sysrq("w") and run.channel.sysrq("l"):
        time.sleep(3)
        log("guest timed out: asked its kernel for SysRq-w/-l stack dumps (see console.log)")
    else:
        log(f"guest timed out; SysRq via QMP failed: {run.channel.qmp_error or 'send-key refused'}")


def boot(a, cmd, out, sdir, timeout):
    """Boot once; returns a Run. Raises RigError if QEMU cannot be started."""
    run = Run()
    chan_path = os.path.join(sdir, "serial1.sock")
    for p in (chan_path, os.path.join(sdir, "qmp.sock")):
        if os.path.exists(p):
            os.unlink(p)
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lsock.bind(chan_path)
    lsock.listen(1)
    lsock.settimeout(0.2)
    with open(os.path.join(out, "qemu.cmdline"), "w") as f:
        f.write(shlex.join(cmd) + "\n")
    qlog = open(os.path.join(out, "qemu.log"), "wb")
    start = time.monotonic()
    deadline = start + timeout
    try:
        proc = subprocess.Popen(cmd, stdin=None if a.shell else subprocess.DEVNULL,
                                stdout=None if a.shell else qlog, stderr=qlog)
    except OSError as e:
        raise RigError(f"cannot run {cmd[0]}: {e}")
    conn = None
    try:
        while conn is None:
            try:
                conn, _ = lsock.accept()
            except socket.timeout:
                if proc.poll() is not None:
                    break
                if time.monotonic() > start + 30:
                    proc.kill()
                    proc.wait()
                    raise RigError("QEMU did not connect to the ttyS1 channel within 30 s")
        if conn is not None:
            run.channel = Channel(conn, os.path.join(sdir, "qmp.sock"), start + 30, out)
            conn.settimeout(0.2)
            done_at = None
            while True:
                if not a.shell and time.monotonic() > deadline:
                    run.timed_out = True
                    dump_blocked_tasks(run, os.path.join(out, "console.log"))
                    break
                try:
                    data = conn.recv(65536)
                    if not data:
                        break  # QEMU closed the socket: it is exiting
                    run.channel.feed(data)
                except socket.timeout:
                    pass
                if run.channel.done and done_at is None:
                    done_at = time.monotonic()
                if done_at is not None and proc.poll() is None and time.monotonic() > done_at + 30:
                    run.poweroff_hang = True
                    break
                if proc.poll() is not None:
                    # drain what is left
                    try:
                        conn.settimeout(0.5)
                        while True:
                            data = conn.recv(65536)
                            if not data:
                                break
                            run.channel.feed(data)
                    except OSError:
                        pass
                    break
    except KeyboardInterrupt:
        log("interrupted; stopping QEMU")
        proc.terminate()
        raise
    finally:
        if proc.poll() is None and not (run.timed_out or run.poweroff_hang):
            # the channel closed: QEMU is on its way out (or, with --shell, the
            # human is still at it); give it time before stopping it
            try:
                proc.wait(None if a.shell else 30)
            except subprocess.TimeoutExpired:
                run.poweroff_hang = True
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        rc = proc.wait()
        run.elapsed = time.monotonic() - start
        run.returncode = rc
        if rc < 0 and not (run.timed_out or run.poweroff_hang):
            run.signal = signal.Signals(-rc).name
        if run.channel:
            run.channel.close()
        if conn:
            conn.close()
        lsock.close()
        qlog.close()
        for p in (chan_path, os.path.join(sdir, "qmp.sock")):
            if os.path.exists(p):
                os.unlink(p)
    return run


# --- results --------------------------------------------------------------------

def read_file(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def tail(text, n=30):
    return "\n".join(text.rstrip("\n").split("\n")[-n:])


def splats(lines, allow):
    bad = []
    for line in lines:
        if SPLAT_RE.search(line) and not any(r.search(line) for r in allow):
            bad.append(line)
    return bad


def assemble(run, out, allow, timeout, notes=()):
    """Build the TAP text and the exit status from a finished Run; NOTES become
    "# rig: ..." comments at the top."""
    ch = run.channel
    tap_lines = ch.sections.get("TAP", []) if ch else []
    dmesg_complete = ch is not None and "DMESG" in ch.section_ends
    dmesg = ch.sections.get("DMESG", []) if ch else []
    kmemleak = ch.sections.get("KMEMLEAK", []) if ch else []
    console = read_file(os.path.join(out, "console.log"))
    if run.console_mark is not None:  # leave out the rig's own SysRq stack dumps
        console_checked = console.encode()[:run.console_mark].decode(errors="replace")
    else:
        console_checked = console
    if dmesg:
        with open(os.path.join(out, "dmesg.txt"), "w") as f:
            f.write("\n".join(dmesg) + "\n")
    if kmemleak:
        with open(os.path.join(out, "kmemleak.txt"), "w") as f:
            f.write("\n".join(kmemleak) + "\n")

    body, plan, skip_all, ran, failed = [f"# rig: {n}" for n in notes], None, None, 0, 0
    for line in tap_lines:
        m = re.match(r"^1\.\.(\d+)\s*(#\s*(.*))?$", line)
        if m and plan is None:
            plan = int(m.group(1))
            if plan == 0:
                skip_all = m.group(3) or "no test cases"
            continue
        if re.match(r"^(not )?ok\b", line):
            ran += 1
            if line.startswith("not ok") and not re.search(r"#\s*TODO", line, re.I):
                failed += 1
        body.append(line)
    if skip_all:
        body.append(f"# test skipped: {skip_all}")

    rig = []  # (ok, description, [diag lines])
    status_txt = ch.section_ends.get("TAP", "") if ch else ""
    m = re.match(r"status=(\d+)", status_txt)
    test_status = int(m.group(1)) if m else None
    panic = PANIC_RE.search(console)

    if run.timed_out:
        rig.append((False, f"guest finished within {timeout} s",
                    [f"rig: guest timed out after {timeout} s; console tail:"]
                    + tail(console_checked, 15).split("\n")
                    + ["(SysRq-w/-l stack dumps, if any, are at the end of console.log)"]))
    elif panic:
        rig.append((False, "guest kernel did not panic",
                    [panic.group(0), "console tail:"] + tail(console, 40).split("\n")))
    elif test_status is None:
        rig.append((False, "test script ran to its end",
                    ["the guest stopped before the test finished; console tail:"]
                    + tail(console, 20).split("\n")))
    if test_status is not None:
        if plan is None:
            rig.append((False, "test printed a plan", ["no '1..N' line: test ended early?"]))
        elif not skip_all and plan != ran:
            rig.append((False, "test ran its plan", [f"planned {plan} cases, ran {ran}"]))
        if test_status != 0 and failed == 0:
            rig.append((False, "test script exit status 0",
                        [f"exit status {test_status}"]))
    if run.poweroff_hang:
        rig.append((False, "guest powered off", ["no poweroff within 30 s of the test's end"]))

    source = dmesg if dmesg_complete else console_checked.split("\n")
    bad = splats(source + kmemleak, allow)
    what = "dmesg" if dmesg_complete else "console log (no complete dmesg)"
    rig.append((not bad, "dmesg clean",
                [f"{len(bad)} suspicious line(s) in {what}:"] + bad[:60] if bad else []))

    n = ran
    for good, desc, diags in rig:
        n += 1
        body.append(f"{'ok' if good else 'not ok'} {n} - {desc}")
        body += ["# " + d for d in diags]
        if not good:
            failed += 1
    body.append(f"1..{n}")
    return "\n".join(body) + "\n", (EXIT_FAIL if failed else EXIT_OK)


# --- main -----------------------------------------------------------------------

def read_headers(path):
    h = {"dmesg-allow": []}
    with open(path, errors="replace") as f:
        for i, line in enumerate(f):
            m = re.match(r"#\s*(topology|append|kernels|timeout|dmesg-allow|hostfs|iommu|modules|sanitise):\s*(.*?)\s*$",
                         line)
            # a header pushed down by a growing comment would be ignored unseen
            if m and i > 60:
                raise RigError(f"{path}:{i + 1}: the header '{m.group(1)}:' is past the "
                               "first 61 lines, where headers are read: move it up")
            if m:
                if m.group(1) == "dmesg-allow":
                    h["dmesg-allow"].append(m.group(2))
                else:
                    h[m.group(1)] = m.group(2)
    return h


def resolve_kernel(name):
    p = subprocess.run([os.path.join(RIG_DIR, "kernel-resolve.sh"), name],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RigError(f"kernel-resolve.sh {name} failed:\n{p.stderr.strip()}")
    env = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition("=")
        env[k] = shlex.split(v)[0] if v else ""
    return env


def parse_args():
    ap = argparse.ArgumentParser(
        description="Run one ppt VM test in QEMU (see scripts/rig/README.md).")
    ap.add_argument("--kernel", required=True, help="6.1, 6.12, debug, debug-VARIANT (e.g. debug-kasan) or debug-N.N (e.g. debug-6.12)")
    ap.add_argument("--topology", help="basic, gpu, sriov, scale (default: test header or basic)")
    ap.add_argument("--test", help="guest test script (tests/vm/*.sh)")
    ap.add_argument("--append", default="", help="extra kernel command line")
    ap.add_argument("--kmod", help="dir with project .ko files built for this kernel")
    ap.add_argument("--bin", nargs="+", default=[], help="host executables for the guest's /ppt/bin")
    ap.add_argument("--file", action="append", default=[], metavar="SRC:DEST",
                    help="a host file for the guest, at DEST (repeatable)")
    ap.add_argument("--modules-extra", default="", help="more host kernel modules to include")
    ap.add_argument("--timeout", type=int, help=f"seconds (default: test header or {DEFAULT_TIMEOUT})")
    ap.add_argument("--out", help="output dir (default build/vm/KERNEL/TEST)")
    ap.add_argument("--shell", action="store_true", help="interactive shell on the console instead")
    ap.add_argument("--hostfs", action="store_true",
                    help="share the host's / read-only at the guest's /host (host_run)")
    a = ap.parse_args()
    if not a.test and not a.shell:
        ap.error("--test is required (unless --shell)")
    return a


def main():
    a = parse_args()
    hdr = read_headers(a.test) if a.test else {"dmesg-allow": []}
    topo = a.topology or hdr.get("topology") or "basic"
    try:
        timeout = a.timeout or int(hdr.get("timeout") or DEFAULT_TIMEOUT)
    except ValueError:
        raise RigError(f"bad '# timeout:' header in {a.test}: {hdr.get('timeout')}")
    allow = [re.compile(r) for r in hdr["dmesg-allow"]]
    hostfs = a.hostfs or hdr.get("hostfs", "no").lower() in ("yes", "on", "true", "1")
    test_name = os.path.splitext(os.path.basename(a.test))[0] if a.test else "shell"
    out = os.path.abspath(a.out or os.path.join(ROOT, "build", "vm", a.kernel, test_name))
    os.makedirs(out, exist_ok=True)
    for f in ("results.tap", "dmesg.txt", "kmemleak.txt", "console.log", "channel.log",
              "qemu.log", "qmp.log", "qemu.cmdline", "topology.txt"):
        if os.path.exists(os.path.join(out, f)):
            os.unlink(os.path.join(out, f))

    k = resolve_kernel(a.kernel)
    try:
        topo_args, table, topo_append, notes = topologies.build(topo, a.kernel, out)
    except KeyError as e:
        raise RigError(str(e.args[0]))
    if hostfs:
        args, row = topologies.hostfs()
        topo_args += args
        table.append(row)
        topo_append = " ".join(x for x in (topo_append, f"rig.hostfs={topologies.HOSTFS_TAG}") if x)
    for n in notes:
        log(n)
    topo_file = os.path.join(out, "topology.txt")
    with open(topo_file, "w") as f:
        for row in table:
            f.write(" ".join(row) + "\n")

    initrd = os.path.join(out, "initramfs.cpio.gz")
    bcmd = [os.path.join(RIG_DIR, "build-initramfs.sh"), "--kernel", a.kernel, "--out", initrd,
            "--file", f"{topo_file}:/ppt/topology"]
    if a.test:
        bcmd += ["--test", a.test]
    if a.kmod:
        bcmd += ["--kmod", a.kmod]
    modules_extra = ",".join(x for x in (a.modules_extra, hdr.get("modules", "")) if x)
    if hostfs:
        # the guest mounts the share (guest-init.sh); host programs run there get
        # the protocol header and the test clients at /ppt (tests/vm/clients/)
        modules_extra = ",".join(x for x in (modules_extra, "9p,9pnet_virtio") if x)
        bcmd += ["--file", f"{ROOT}/include/uapi/linux/ppt.h:/ppt/include/linux/ppt.h"]
        clients = os.path.join(ROOT, "tests", "vm", "clients")
        for f in sorted(os.listdir(clients)) if os.path.isdir(clients) else []:
            if os.path.isfile(os.path.join(clients, f)):
                bcmd += ["--file", f"{os.path.join(clients, f)}:/ppt/clients/{f}"]
    if modules_extra:
        bcmd += ["--modules-extra", modules_extra]
    for f in a.file:
        bcmd += ["--file", f]
    if a.bin:
        bcmd += ["--bin"] + a.bin
    t0 = time.monotonic()
    p = subprocess.run(bcmd, stderr=subprocess.PIPE, text=True)
    if p.stderr.strip():
        sys.stderr.write(p.stderr)
    if p.returncode != 0:
        raise RigError("building the initramfs failed")
    t_build = time.monotonic() - t0

    iommu = hdr.get("iommu", "on").lower() not in ("off", "no", "0")
    base = BASE_APPEND if iommu else BASE_APPEND.replace(" intel_iommu=on", "")
    sanitise = hdr.get("sanitise", "none").lower()
    if sanitise not in ("none", "policy"):
        raise RigError(f"header '# sanitise: {sanitise}': want none or policy")
    if sanitise == "none":
        base += " " + SANITISE_NONE_APPEND
    append = " ".join(x for x in (base, topo_append, hdr.get("append", ""), a.append,
                                  "rig.mode=shell" if a.shell else "") if x)
    sdir = sock_dir(out)
    console = os.path.join(out, "console.log")
    cmd = qemu_command(a, k["KIMAGE"], initrd, topo_args, append, sdir, console, iommu)

    if a.shell:
        log(f"kernel {k['KREL']}, topology {topo}; QMP: {os.path.join(sdir, 'qmp.sock')} "
            "(used by the guest's qmp helper); quit with Ctrl-A x")
        run = boot(a, cmd, out, sdir, timeout)
        return EXIT_OK if run.returncode == 0 else EXIT_RIG

    rig_notes = []
    for attempt in (1, 2):
        run = boot(a, cmd, out, sdir, timeout)
        if run.signal:
            rig_notes.append(f"QEMU was killed by {run.signal} on attempt {attempt}"
                             + ("; retried" if attempt == 1 else ""))
            log(f"QEMU was killed by {run.signal} after {run.elapsed:.1f} s "
                f"(attempt {attempt}); console tail:\n{tail(read_file(console), 15)}")
            if attempt == 1:
                log("QEMU 7.2 TCG crashes rarely (scripts/rig/README.md): retrying once")
                if os.path.exists(console):
                    os.replace(console, console + ".crash1")
                continue
            raise RigError(f"QEMU was killed by a signal twice (last: {run.signal})")
        if attempt == 1 and crashed_before_test(run, console):
            rig_notes.append("the guest kernel panicked while booting, before the test "
                             "started, on attempt 1; retried")
            log(f"the guest kernel panicked while booting, before the test started; "
                f"console tail:\n{tail(read_file(console), 15)}")
            log("a boot-time crash under QEMU TCG is the rig's, not the test's: retrying once")
            os.replace(console, console + ".crash1")
            continue
        cpu = lost_timer(console) if attempt == 1 else None
        if cpu is not None:
            rig_notes.append(f"the guest's CPU {cpu} lost its timer interrupt while idle "
                             "(QEMU TCG) on attempt 1; retried")
            log(f"the guest's CPU {cpu} lost its timer interrupt while idle (an RCU stall "
                "report with the CPU in HLT): the emulator's, not the test's: retrying once "
                "(attempt 1's console: console.log.lost-timer1)")
            os.replace(console, console + ".lost-timer1")
            continue
        break
    if run.channel is None and not run.timed_out:
        raise RigError(f"QEMU exited with status {run.returncode} before the guest started; "
                       f"qemu.log:\n{tail(read_file(os.path.join(out, 'qemu.log')), 20)}")
    if run.returncode not in (0, None) and not (run.timed_out or run.poweroff_hang):
        raise RigError(f"QEMU exited with status {run.returncode}; qemu.log:\n"
                       f"{tail(read_file(os.path.join(out, 'qemu.log')), 20)}")
    if run.channel and run.channel.qmp_error:
        log(f"QMP trouble: {run.channel.qmp_error}")
    if run.timed_out:
        log(f"guest timed out after {timeout} s; console tail:\n{tail(read_file(console), 25)}")

    tap, status = assemble(run, out, allow, timeout, rig_notes)
    with open(os.path.join(out, "results.tap"), "w") as f:
        f.write(tap)
    sys.stdout.write(tap)
    sys.stdout.flush()
    log(f"{a.kernel}/{test_name} on {topo}: {'PASS' if status == 0 else 'FAIL'} "
        f"(initramfs {t_build:.1f} s, VM {run.elapsed:.1f} s) -> {out}")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RigError as e:
        log(f"error: {e}")
        sys.exit(EXIT_RIG)
    except KeyboardInterrupt:
        sys.exit(EXIT_RIG)
