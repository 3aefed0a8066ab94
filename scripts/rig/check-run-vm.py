#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-run-vm.py - TAP checks of run-vm.py's judgement of a guest's console.

run-vm.py runs a test again when the guest lost a timer interrupt in the
emulator (lost_timer()).  That must be told apart from a CPU that a kernel
bug keeps busy, which must fail the test: these cases are consoles cut
down from real RCU stall reports.
"""
import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("run_vm", os.path.join(HERE, "run-vm.py"))
run_vm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_vm)

STALL = """[   31.264043] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
[   31.264043] rcu: \t1-...!: (0 ticks this GP) idle=0430/0/0x0 softirq=23/23 fqs=0 (false positive?)
[   31.264043] Sending NMI from CPU 0 to CPUs 1:
[    6.808929] NMI backtrace for cpu 1 {nmi}
[   31.264043] rcu: rcu_sched kthread timer wakeup didn't happen for 6501 jiffies! g-1151 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x402
[   31.264043] rcu: \tPossible timer handling issue on cpu={cpu} timer-softirq=11
"""
IDLE = "skipped: idling at native_safe_halt+0x13/0x14"
BUSY = "\n[    6.808929] CPU: 1 PID: 77 Comm: kworker/1:1\n[    6.808929] RIP: 0010:ppt_op_work+0x10/0x40"
# 6.12 dumps the idle CPU instead of skipping it
DUMP = """
[   24.553172] CPU: 1 UID: 0 PID: 0 Comm: swapper/1 Tainted: G           OE      6.12.117+deb12-amd64 #1
[   24.554529] RIP: 0010:{rip}
[   24.558393] Call Trace:
[   24.559547]  <TASK>
[   24.559786]  {caller}+0x9/0x20
[   24.559958]  default_idle_call+0x30/0x100
[   24.559981]  {loop}+0x26b/0x2a0
[   24.560631]  cpu_startup_entry+0x29/0x30
[   24.560809]  </TASK>"""
IDLE_DUMP = DUMP.format(rip="pv_native_safe_halt+0xf/0x20", caller="default_idle", loop="do_idle")
BUSY_DUMP = DUMP.format(rip="ppt_op_work+0x10/0x40", caller="process_one_work", loop="worker_thread")

CASES = [
    ("a CPU idle in HLT whose timer never fired: the emulator's (CPU 1)",
     STALL.format(nmi=IDLE, cpu=1), "1"),
    ("a CPU kept busy by kernel code: the test's, not retried",
     STALL.format(nmi=BUSY, cpu=1), None),
    ("the idle CPU is another than the one that lost its timer: not retried",
     STALL.format(nmi=IDLE, cpu=0), None),
    ("6.12: the idle CPU's whole NMI backtrace, HLT in the idle loop (CPU 1)",
     STALL.format(nmi=IDLE_DUMP, cpu=1), "1"),
    ("6.12: a whole NMI backtrace of a busy CPU: not retried",
     STALL.format(nmi=BUSY_DUMP, cpu=1), None),
    ("a clean console: not retried", "[    1.0] Run /init as init process\n", None),
]

print(f"1..{len(CASES)}")
failed = 0
for n, (desc, text, want) in enumerate(CASES, 1):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
    try:
        got = run_vm.lost_timer(f.name)
    finally:
        os.unlink(f.name)
    if got == want:
        print(f"ok {n} - {desc}")
    else:
        failed += 1
        print(f"not ok {n} - {desc}\n# lost_timer() gave {got!r}, want {want!r}")
sys.exit(1 if failed else 0)
