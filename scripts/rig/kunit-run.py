#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kunit-run.py - build ppt's KUnit suites and run them in a test VM.

Steps:
  1. Resolve the kernel (default "debug": scripts/rig/kernel-resolve.sh, which
     builds or finds the debug kernel with scripts/rig/build-debug-kernel.sh).
  2. Build tests/kunit/ppt_kunit.ko against that kernel's build tree, in a
     copy of the sources under ${PPT_CACHE:-~/.cache/ppt}/kunit/<krel>-<tag>/
     so the work tree stays clean.
  3. Boot it with scripts/rig/run-vm.py --test tests/kunit/run-in-guest.sh
     --kmod <dir holding ppt_kunit.ko>; the guest script loads the module and
     prints the KUnit results as KTAP.
  4. Parse the KTAP: per suite, count passed/failed/skipped cases; print the
     log of every failed case and "kunit: N passed, N failed, N skipped".

Exit status: 0 every case passed; 1 a case, suite or guest check failed, or
results are missing or incomplete (e.g. the kernel crashed); 2 the kernel or
module did not build, or the VM rig failed.

Examples:
  scripts/rig/kunit-run.py                    # debug kernel, 6.1
  scripts/rig/kunit-run.py --build-only       # just build ppt_kunit.ko
  scripts/rig/kunit-run.py --parse saved.ktap # summarise a saved KTAP log
  scripts/rig/kunit-run.py -- --keep          # pass options to run-vm.py
"""

import argparse
import dataclasses
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

RIG_DIR = Path(__file__).resolve().parent
ROOT = RIG_DIR.parent.parent
KUNIT_DIR = ROOT / "tests" / "kunit"
GUEST_SCRIPT = KUNIT_DIR / "run-in-guest.sh"
MODULE = "ppt_kunit"
# What the KUnit module's build needs from the work tree (copied, see build()).
SOURCES = ["kernel", "include", "tests/kunit"]

PROG = "kunit-run.py"
EXIT_OK, EXIT_FAIL, EXIT_RIG = 0, 1, 2


class RigError(Exception):
    """The kernel, the module or the VM could not be built or run."""


def log(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


# --- KTAP -----------------------------------------------------------------------

RESULT_RE = re.compile(
    r"^(?P<status>ok|not ok)\s+(?P<num>\d+)(?:\s+-)?\s*(?P<desc>.*?)"
    r"(?:\s+#\s*(?P<directive>SKIP|TODO)\b\s*(?P<reason>.*))?\s*$",
    re.IGNORECASE)
SUBTEST_RE = re.compile(r"^# Subtest: (?P<name>.+?)\s*$")
PLAN_RE = re.compile(r"^1\.\.(?P<n>\d+)\b")
INDENT = 4


@dataclasses.dataclass
class Case:
    name: str
    status: str          # "pass", "fail", "skip"
    log: list            # the lines KUnit printed for this case
    reason: str = ""     # the SKIP directive's reason
    params: dict = dataclasses.field(default_factory=lambda: {"pass": 0, "fail": 0, "skip": 0})


@dataclasses.dataclass
class Suite:
    name: str
    plan: int = None
    status: str = None   # None until the suite's own result line is seen
    cases: list = dataclasses.field(default_factory=list)

    def count(self, status):
        return sum(1 for c in self.cases if c.status == status)

    def problems(self):
        """Reasons this suite counts as failed besides failed cases."""
        out = []
        if self.status is None:
            out.append("no result line for the suite (output cut off?)")
        if self.plan is None:
            out.append("no test plan for the suite")
        elif self.plan != len(self.cases):
            out.append(f"plan says {self.plan} cases, {len(self.cases)} reported")
        if self.status == "fail" and not self.count("fail"):
            out.append("suite failed outside its cases (suite_init/exit?)")
        return out


@dataclasses.dataclass
class Report:
    suites: list
    checks: list         # top-level results that are not suites: (desc, status, log)
    plan: int = None
    toplevel: int = 0    # number of top-level result lines

    def problems(self):
        out = []
        if not self.suites:
            out.append("no KUnit suite results found")
        if self.plan is None:
            out.append("no top-level test plan (guest output cut off?)")
        elif self.plan != self.toplevel:
            out.append(f"top-level plan says {self.plan} results, {self.toplevel} reported")
        return out


def _status(m):
    if (m.group("directive") or "").upper() == "SKIP":
        return "skip"
    return "pass" if m.group("status").lower() == "ok" else "fail"


def parse_ktap(text):
    """Parse the guest's KTAP: suites as KUnit prints them, plus plain checks.

    A suite is a "# Subtest: NAME" at indent 4, its cases are the results at
    indent 4, their parameters the results at indent 8, and the suite's own
    result is the next result at indent 0.  Lines that are not KTAP (kernel
    messages, KUnit's failure details) are kept as the log of the case whose
    result follows them.  Other results at indent 0 are the guest script's
    own checks, with their "# ..." diagnostics after them.
    """
    suites, checks = [], []
    suite = None
    pending = []         # lines since the last result at the current level
    params = []          # statuses of the current case's parameters
    last_check = None    # the last top-level result that is not a suite
    plan = None
    toplevel = 0
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            continue
        m = RESULT_RE.match(stripped)
        if indent == 0:
            if m:
                toplevel += 1
                if suite is not None:
                    suite.status = _status(m)
                    suites.append(suite)
                    suite = None
                    last_check = None
                else:
                    # lib.sh-style checks print their diagnostics after the
                    # result line: collect those for this check.
                    last_check = (m.group("desc"), _status(m), [])
                    checks.append(last_check)
                pending = []
                continue
            pm = PLAN_RE.match(stripped)
            if pm:
                plan = int(pm.group("n"))
                continue
            if last_check is not None and suite is None and stripped.startswith("#"):
                last_check[2].append(line)
            else:
                pending.append(line)
            continue
        last_check = None
        if indent == INDENT:
            sm = SUBTEST_RE.match(stripped)
            if sm and suite is None:
                suite = Suite(sm.group("name"))
                pending = []
                continue
            if suite is not None:
                pm = PLAN_RE.match(stripped)
                if pm and suite.plan is None and not suite.cases:
                    suite.plan = int(pm.group("n"))
                    continue
                if m:
                    case = Case(m.group("desc"), _status(m), pending,
                                m.group("reason") or "")
                    for p in params:
                        case.params[p] += 1
                    suite.cases.append(case)
                    pending, params = [], []
                    continue
        if suite is not None and indent == 2 * INDENT and m:
            params.append(_status(m))
        pending.append(line)
    if suite is not None:            # cut off inside a suite
        suites.append(suite)
    return Report(suites, checks, plan, toplevel)


def summarise(report, out=sys.stdout):
    """Print failures and counts; return True when everything passed."""
    ok = True
    totals = {"pass": 0, "fail": 0, "skip": 0}
    for s in report.suites:
        for c in s.cases:
            totals[c.status] += 1
            if c.status == "fail":
                print(f"--- {s.name}.{c.name}: failed; its log:", file=out)
                for line in c.log:
                    print(line, file=out)
            elif c.status == "skip":
                print(f"kunit: skipped {s.name}.{c.name}: {c.reason or '(no reason)'}", file=out)
        problems = s.problems()
        failed = s.count("fail")
        params = ""
        np = sum(sum(c.params.values()) for c in s.cases)
        if np:
            pf = sum(c.params["fail"] for c in s.cases)
            params = f" ({np} parameters, {pf} failed)"
        print(f"kunit: suite {s.name}: {s.count('pass')} passed, {failed} failed, "
              f"{s.count('skip')} skipped{params}", file=out)
        for p in problems:
            print(f"kunit: suite {s.name}: ERROR: {p}", file=out)
        if failed or problems or s.status not in ("pass", "skip"):
            ok = False
    for desc, status, lines in report.checks:
        if status == "fail":
            ok = False
            print(f"kunit: guest check failed: {desc}", file=out)
            for line in lines:
                print(line, file=out)
    for p in report.problems():
        ok = False
        print(f"kunit: ERROR: {p}", file=out)
    print(f"kunit: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['skip']} skipped", file=out)
    return ok


# --- build and run ----------------------------------------------------------------

def run(cmd, **kw):
    log("$ " + " ".join(shlex.quote(str(c)) for c in cmd))
    return subprocess.run([str(c) for c in cmd], **kw)


def resolve_kernel(name):
    """kernel-resolve.sh NAME -> dict with KREL, KIMAGE, KMODDIR, KDIR."""
    p = run([RIG_DIR / "kernel-resolve.sh", name], stdout=subprocess.PIPE, text=True)
    if p.returncode:
        raise RigError(f"kernel-resolve.sh {name} failed (exit {p.returncode})")
    env = {}
    for line in p.stdout.splitlines():
        k, sep, v = line.partition("=")
        if sep and re.fullmatch(r"[A-Z_]+", k):
            env[k] = shlex.split(v)[0] if v else ""
    for k in ("KREL", "KDIR"):
        if not env.get(k):
            raise RigError(f"kernel-resolve.sh {name} did not give {k}")
    return env


def kernel_has_kunit(kdir):
    cfg = Path(kdir) / ".config"
    try:
        return re.search(r"^CONFIG_KUNIT=[ym]$", cfg.read_text(), re.M) is not None
    except OSError:
        return False


def build(kenv, kname):
    """Build ppt_kunit.ko for the kernel; return the directory holding it."""
    kdir = kenv["KDIR"]
    if not kernel_has_kunit(kdir):
        raise RigError(f"kernel '{kname}' ({kdir}) has no CONFIG_KUNIT; use --kernel debug")
    cache = Path(os.environ.get("PPT_CACHE", Path.home() / ".cache" / "ppt"))
    # One work dir per kernel build tree: a rebuilt kernel (new config, same
    # release string) gets a fresh module build.
    tag = hashlib.sha256(str(Path(kdir).resolve()).encode()).hexdigest()[:8]
    work = cache / "kunit" / f"{kenv['KREL']}-{tag}"
    src = work / "src"
    src.mkdir(parents=True, exist_ok=True)
    # Copy the sources (rsync keeps mtimes, so make stays incremental) without
    # any build products of an in-place build in the work tree.
    for rel in SOURCES:
        dst = src / rel
        dst.mkdir(parents=True, exist_ok=True)
        p = run(["rsync", "-a", "--delete",
                 "--exclude=*.o", "--exclude=*.ko", "--exclude=*.mod", "--exclude=*.mod.c",
                 "--exclude=.*.cmd", "--exclude=Module.symvers", "--exclude=modules.order",
                 "--exclude=*.a",
                 f"{ROOT / rel}/", f"{dst}/"], stdout=sys.stderr)
        if p.returncode:
            raise RigError(f"copying {rel} failed")
    mdir = src / "tests" / "kunit"
    p = run(["make", "-C", kdir, f"M={mdir}", f"-j{os.cpu_count() or 1}", "modules"],
            stdout=sys.stderr)
    if p.returncode:
        raise RigError("building ppt_kunit.ko failed")
    ko = mdir / f"{MODULE}.ko"
    if not ko.is_file():
        raise RigError(f"{ko} was not built")
    kmod = work / "kmod"
    shutil.rmtree(kmod, ignore_errors=True)
    kmod.mkdir()
    shutil.copy2(ko, kmod / ko.name)
    log(f"built {kmod / ko.name}")
    return kmod


def run_vm(kname, kmod, extra):
    run_vm_py = RIG_DIR / "run-vm.py"
    if not run_vm_py.exists():
        raise RigError(f"{run_vm_py} not found (the VM rig)")
    cmd = [sys.executable, run_vm_py, "--kernel", kname, "--test", GUEST_SCRIPT,
           "--kmod", kmod] + extra
    p = run(cmd, stdout=subprocess.PIPE, text=True, errors="replace")
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--kernel", default="debug",
                    help="kernel name for kernel-resolve.sh/run-vm.py (default: debug)")
    ap.add_argument("--build-only", action="store_true",
                    help="build the kernel and ppt_kunit.ko, print the module's directory")
    ap.add_argument("--parse", metavar="FILE",
                    help="only summarise a saved KTAP log ('-' for stdin)")
    ap.add_argument("--ktap-out", metavar="FILE",
                    help="also save the guest's KTAP output here")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print the whole KTAP output before the summary")
    ap.add_argument("vm_args", nargs="*", metavar="-- RUN-VM-ARG",
                    help="extra arguments for run-vm.py (after --)")
    args = ap.parse_args()

    if args.parse:
        text = sys.stdin.read() if args.parse == "-" else Path(args.parse).read_text(errors="replace")
        if args.verbose:
            print(text, end="")
        return EXIT_OK if summarise(parse_ktap(text)) else EXIT_FAIL

    try:
        kenv = resolve_kernel(args.kernel)
        kmod = build(kenv, args.kernel)
        if args.build_only:
            print(kmod)
            return EXIT_OK
        rc, text = run_vm(args.kernel, kmod, args.vm_args)
    except RigError as e:
        log(f"error: {e}")
        return EXIT_RIG

    if args.ktap_out:
        Path(args.ktap_out).write_text(text)
    if args.verbose:
        print(text, end="")
    passed = summarise(parse_ktap(text))
    if rc not in (0, 1):
        log(f"error: run-vm.py exited with {rc} (rig failure)")
        return EXIT_RIG
    if rc == 1 and passed:
        log("error: run-vm.py reported a failure although every KUnit case passed")
        return EXIT_FAIL
    if not passed:
        return EXIT_FAIL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
