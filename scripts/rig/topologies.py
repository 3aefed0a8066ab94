"""topologies.py - the PCI topologies of the ppt VM rig, in one place.

Used by scripts/rig/run-vm.py (``--topology NAME``). Each topology is a tree of
QEMU devices with stable ids; ``build()`` turns it into QEMU arguments plus a
device table that the guest gets as /ppt/topology (lines "ID PATH VENDOR:DEVICE",
PATH being the chain of device.function numbers from bus 00, e.g. "02.0/00.0").
In the guest, ``bdf ID`` (tests/vm/lib.sh) maps an id to its current address, so
tests never hard-code bus numbers; hot-plug tests use the ids with QMP
(device_del / device_add with "bus": the root port's id).

Every root port and switch downstream port gets a unique slot number (101, 102,
... in the order of the tree; /sys/bus/pci/slots/N with pciehp). Root ports get
io-reserve=0 (64 KiB of I/O space cannot hold a window per port; no endpoint here
needs I/O BARs) and x-speed=5: at the default 16 GT/s Linux waits for Data Link
Layer Link Active after a secondary bus reset, which QEMU 7.2 never reports, so
every bus reset below the port fails with ENOTTY after ~2 s (rp(speed=False)
gives such a port on purpose). To add a topology: write a function returning a
list of root-bus nodes, add it to TOPOLOGIES, describe it in scripts/rig/README.md.
"""

import os

# vendor:device of each QEMU model we use (what the guest sees)
IDS = {
    "pcie-root-port": "1b36:000c",
    "pcie-pci-bridge": "1b36:000e",
    "x3130-upstream": "104c:8232",
    "xio3130-downstream": "104c:8233",
    "virtio-net-pci": "1af4:1041",
    "e1000e": "8086:10d3",
    "e1000": "8086:100e",
    "nvme": "1b36:0010",
    "edu": "1234:11e8",
    "bochs-display": "1234:1111",
    "ich9-intel-hda": "8086:293e",
    "virtio-9p-pci": "1af4:1009",  # transitional: an integrated endpoint is not PCIe
    "pci-testdev": "1b36:0005",
}


class Node:
    """One QEMU -device. ``addr`` is "DD.F" on the parent's secondary bus."""

    def __init__(self, driver, id, addr, children=(), **props):
        self.driver = driver
        self.id = id
        self.addr = addr
        self.children = list(children)
        self.props = props
        self.pre_args = []  # extra QEMU args needed before this -device (drives...)
        self.slotted = False  # a hot-plug port: gets chassis/slot numbers in build()


class Ctx:
    def __init__(self, kernel, out_dir):
        self.kernel = kernel
        self.out_dir = out_dir
        # last hot-plug slot number given out: ours are 101, 102, ... because the
        # pcie-pci-bridge's SHPC slots take low numbers (a clash makes shpchp
        # fail with -EBUSY on 6.1)
        self.slot = 100
        self.notes = []
        self.append = []  # kernel command line the topology needs


def rp(ctx, id, addr, children=(), speed=True, **props):
    """A pcie-root-port with the rig's defaults; speed=False omits x-speed=5."""
    p = {"io-reserve": "0"}
    if speed:
        p["x-speed"] = "5"
    p.update(props)
    n = Node("pcie-root-port", id, addr, children, **p)
    n.slotted = True
    return n


def dsp(id, addr, children=()):
    """An xio3130-downstream switch port (QEMU 7.2 has no x-speed for it)."""
    n = Node("xio3130-downstream", id, addr, children)
    n.slotted = True
    return n


def nvme(ctx, id, addr, size_mb=1, **props):
    """An NVMe controller with a small raw namespace image in the out dir."""
    img = os.path.join(ctx.out_dir, f"{id}.img")
    with open(img, "wb") as f:
        f.truncate(size_mb << 20)
    n = Node("nvme", id, addr, serial=f"ppt-{id}", drive=f"{id}-drive", **props)
    n.pre_args = ["-drive", f"file={img},if=none,id={id}-drive,format=raw"]
    return n


def nic(driver, id, addr, **props):
    """A NIC with a user-mode netdev restricted to the VM (no host networking;
    the guest configures no addresses anyway)."""
    n = Node(driver, id, addr, netdev=f"{id}-nd", **props)
    n.pre_args = ["-netdev", f"user,id={id}-nd,restrict=on"]
    return n


# --- topologies ---------------------------------------------------------------

def basic(ctx):
    """One endpoint per root port: virtio-net, e1000e, nvme, edu, + an empty port.

    virtio-net (net0) is left out on debug kernels (kernel name debug*): with
    PROVE_LOCKING its probe triggers a known lockdep report (cpu_hotplug_lock vs
    msi mutex) and lockdep then switches itself off for the rest of the run. Its
    root port rp1 stays, empty, so every other address is the same.
    """
    net = [] if ctx.kernel.startswith("debug") else [nic("virtio-net-pci", "net0", "00.0")]
    if not net:
        ctx.notes.append("basic: virtio-net (net0) left out on debug kernel; rp1 is empty")
    return [
        rp(ctx, "rp1", "02.0", net),
        rp(ctx, "rp2", "03.0", [nic("e1000e", "nic0", "00.0")]),
        rp(ctx, "rp3", "04.0", [nvme(ctx, "nvme0", "00.0")]),
        rp(ctx, "rp4", "05.0", [Node("edu", "edu0", "00.0")]),
        rp(ctx, "rp5", "06.0"),  # empty: for hot-add tests
    ]


def gpu(ctx):
    """GPU-like multi-function slots, a switch, a PCIe-to-PCI bridge, a NIC.

    rp1/rp2: gpuN (bochs-display 1234:1111, fn 0) + gpuN-audio (ich9-intel-hda,
             fn 1): one IOMMU group per slot holding both functions
    rp3:     PCIe switch sw0 (x3130-upstream) with downstream ports sw0-dp0 ->
             e1000e sw0-nic and sw0-dp1 -> edu sw0-edu (one group: no ACS there)
    rp4:     pcie-pci-bridge pbr0 with e1000 pbr0-nic and edu pbr0-edu as
             siblings on one conventional bus (one group)
    rp5:     e1000e nic0
    """

    def gpu_slot(n):
        return [
            Node("bochs-display", f"gpu{n}", "00.0", multifunction="on"),
            Node("ich9-intel-hda", f"gpu{n}-audio", "00.1"),
        ]

    switch = Node("x3130-upstream", "sw0", "00.0", [
        dsp("sw0-dp0", "00.0", [nic("e1000e", "sw0-nic", "00.0")]),
        dsp("sw0-dp1", "01.0", [Node("edu", "sw0-edu", "00.0")]),
    ])
    bridge = Node("pcie-pci-bridge", "pbr0", "00.0", [
        nic("e1000", "pbr0-nic", "01.0"),
        Node("edu", "pbr0-edu", "02.0"),
    ])
    return [
        rp(ctx, "rp1", "02.0", gpu_slot(0)),
        rp(ctx, "rp2", "03.0", gpu_slot(1)),
        rp(ctx, "rp3", "04.0", [switch]),
        rp(ctx, "rp4", "05.0", [bridge]),
        rp(ctx, "rp5", "06.0", [nic("e1000e", "nic0", "00.0")]),
    ]


def sriov(ctx):
    """rp1: SR-IOV NVMe nvme0 (2 VFs possible via sriov_numvfs); rp2: edu0.

    The VFs (1b36:0010 too) appear as functions of nvme0's bus once enabled:
    echo 2 > /sys/bus/pci/devices/$(bdf nvme0)/sriov_numvfs
    """
    ctl = Node("nvme", "nvme0", "00.0", serial="ppt-sriov0", subsys="nvme-subsys0",
               sriov_max_vfs="2", sriov_vq_flexible="4", sriov_vi_flexible="2")
    ctl.pre_args = ["-device", "nvme-subsys,id=nvme-subsys0,nqn=ppt-sriov"]
    return [
        rp(ctx, "rp1", "02.0", [ctl]),
        rp(ctx, "rp2", "03.0", [Node("edu", "edu0", "00.0")]),
    ]


def scale(ctx):
    """68 endpoints: 64 root ports (8 multi-function slots 02-09) with an edu each
    (edu0..edu63 behind rp0..rp63), and a switch sw0 behind rp64 with 4 downstream
    ports, each with an NVMe without namespace (sw0-nvme0..3)."""
    nodes = []
    for i in range(64):
        slot, fn = 2 + i // 8, i % 8
        extra = {"multifunction": "on"} if fn == 0 else {}
        nodes.append(rp(ctx, f"rp{i}", f"{slot:02x}.{fn}",
                        [Node("edu", f"edu{i}", "00.0")], **extra))
    dps = [dsp(f"sw0-dp{j}", f"{j:02x}.0",
               [Node("nvme", f"sw0-nvme{j}", "00.0", serial=f"ppt-sw0-{j}")])
           for j in range(4)]
    nodes.append(rp(ctx, "rp64", "0a.0", [Node("x3130-upstream", "sw0", "00.0", dps)]))
    # no I/O windows for the hot-plug ports (64 KiB of I/O space cannot hold them)
    ctx.append.append("pci=hpiosize=0")
    return nodes


def reset(ctx):
    """Reset domains: a GPU slot, siblings behind a PCIe-to-PCI bridge, lone devices.

    rp1: GPU slot gpu0 (bochs-display, fn 0) + gpu0-audio (ich9-intel-hda,
         fn 1): one reset domain, bus reset only
    rp2: pcie-pci-bridge pbr0 with e1000 pbr0-nic and edu pbr0-edu: siblings
         on one conventional bus, one reset domain
    rp3: e1000e nic0 (pm, bus)
    rp4: nvme nvme0 (flr, bus)
    rp5-rp8: edu edu0..edu3, one per port (bus reset only)
    """
    bridge = Node("pcie-pci-bridge", "pbr0", "00.0", [
        nic("e1000", "pbr0-nic", "01.0"),
        Node("edu", "pbr0-edu", "02.0"),
    ])
    nodes = [
        rp(ctx, "rp1", "02.0", [
            Node("bochs-display", "gpu0", "00.0", multifunction="on"),
            Node("ich9-intel-hda", "gpu0-audio", "00.1"),
        ]),
        rp(ctx, "rp2", "03.0", [bridge]),
        rp(ctx, "rp3", "04.0", [nic("e1000e", "nic0", "00.0")]),
        rp(ctx, "rp4", "05.0", [nvme(ctx, "nvme0", "00.0")]),
    ]
    for i in range(4):
        nodes.append(rp(ctx, f"rp{5 + i}", f"{6 + i:02x}.0", [Node("edu", f"edu{i}", "00.0")]))
    return nodes


def bench(ctx):
    """16 NVMe controllers (nvme0..nvme15, FLR-capable) behind 16 root ports
    rp0..rp15 in multi-function slots 02-03: the reset benchmarks.  nvme0's
    namespace is 64 MiB (sparse), for the sanitiser benchmark; the others 1 MiB."""
    nodes = []
    for i in range(16):
        slot, fn = 2 + i // 8, i % 8
        extra = {"multifunction": "on"} if fn == 0 else {}
        ctl = nvme(ctx, f"nvme{i}", "00.0", size_mb=64 if i == 0 else 1)
        nodes.append(rp(ctx, f"rp{i}", f"{slot:02x}.{fn}", [ctl], **extra))
    return nodes


def faults(ctx):
    """Fault scenarios (tests/vm/80-*.sh): endpoints to unplug, unload and race.

    rp1..rp6: edu edu0..edu5, one per root port (own IOMMU group, bus reset)
    rp7:      nvme nvme0 (FLR: a clean of ~110 ms, a window to act during it)
    rp8:      e1000e nic0 (a host driver that is a module, to race with)
    rp9:      empty (for hot-add)
    rc-test:  pci-testdev on the root bus at 1d.0: no FLR, no PM, and no bridge
              above it, so it has no reset method at all (a clean must be
              refused; 81-unload's lease that cannot be returned)
    No virtio: the same devices on every kernel, debug ones included.
    """
    nodes = [rp(ctx, f"rp{i + 1}", f"{2 + i:02x}.0", [Node("edu", f"edu{i}", "00.0")])
             for i in range(6)]
    nodes += [
        rp(ctx, "rp7", "08.0", [nvme(ctx, "nvme0", "00.0")]),
        rp(ctx, "rp8", "09.0", [nic("e1000e", "nic0", "00.0")]),
        rp(ctx, "rp9", "0a.0"),
        Node("pci-testdev", "rc-test", "1d.0"),
    ]
    return nodes


TOPOLOGIES = {"basic": basic, "gpu": gpu, "sriov": sriov, "scale": scale, "reset": reset,
              "bench": bench, "faults": faults}

# The hostfs device (test header "# hostfs: yes", run-vm.py --hostfs): virtio-9p
# sharing a host directory (the host's /) read-only. It is an integrated endpoint
# on the root bus at 1e.0, a slot no topology uses: single-function devices on
# the root bus are IOMMU groups of their own, and an endpoint there moves no
# bridge, so every other device keeps its address. Only hostfs tests have it.
HOSTFS_ID = "hostfs"
HOSTFS_ADDR = "1e.0"
HOSTFS_TAG = "hostroot"


def hostfs(path="/"):
    """Return (qemu_args, table_row) for the hostfs device sharing PATH."""
    args = ["-fsdev", f"local,id={HOSTFS_ID}-fs,path={path},security_model=none,"
                      "readonly=on,multidevs=remap",
            "-device", f"virtio-9p-pci,id={HOSTFS_ID},fsdev={HOSTFS_ID}-fs,"
                       f"mount_tag={HOSTFS_TAG},bus=pcie.0,addr={HOSTFS_ADDR}"]
    return args, (HOSTFS_ID, HOSTFS_ADDR, IDS["virtio-9p-pci"])


def _walk(ctx, node, bus, path, args, table):
    here = f"{path}/{node.addr}" if path else node.addr
    args += node.pre_args
    opts = [node.driver, f"id={node.id}", f"bus={bus}", f"addr={node.addr}"]
    if node.slotted:  # slots numbered 101, 102, ... in walk order; one chassis
        ctx.slot += 1
        opts += ["chassis=1", f"slot={ctx.slot}"]
    opts += [f"{k}={v}" for k, v in node.props.items()]
    args += ["-device", ",".join(opts)]
    table.append((node.id, here, IDS.get(node.driver, "?")))
    for c in node.children:
        _walk(ctx, c, node.id, here, args, table)


def build(name, kernel, out_dir):
    """Return (qemu_args, table, append, notes) for topology NAME on kernel KERNEL.

    table: [(id, path, "vendor:device")], written to the guest's /ppt/topology.
    append: kernel command-line words the topology needs.
    notes: things the runner should tell the user.
    Files the topology needs (disk images) are created in out_dir.
    """
    if name not in TOPOLOGIES:
        raise KeyError(f"unknown topology '{name}' (known: {', '.join(sorted(TOPOLOGIES))})")
    ctx = Ctx(kernel, out_dir)
    args, table = [], []
    for n in TOPOLOGIES[name](ctx):
        _walk(ctx, n, "pcie.0", "", args, table)
    return args, table, " ".join(ctx.append), ctx.notes
