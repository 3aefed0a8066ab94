#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-nova.py - feed pptadm export nova's output to Nova's own parser.

  check-nova.py [--devices LIST.json] [--request ALIASES] [FILE...]

Each FILE (without one: the nova and nova-by-id examples of
docs/integration/nova.md, which tests/userspace/test_export.c keeps equal
to pptadm's output) is read by oslo.config as nova-compute reads its
configuration files, with Nova's options registered (nova.conf); then
every [pci] device_spec goes through nova.pci.whitelist.Whitelist
(nova.pci.devspec.PciDeviceSpec), every alias through
nova.pci.request._get_alias_from_config, and a flavor's
pci_passthrough:alias naming every alias (or ALIASES, "v100:1,...")
through nova.pci.request._translate_alias_to_requests.  --devices: the
output of pptadm -j list -o addr,vendor,device,variant: each device of a
variant must be assignable by the device_spec lines.  It also checks that
it can fail: Nova refuses a mangled alias and a mangled device_spec.

Prints TAP.  Needs python3-nova (scripts/deps.sh).  Used by make check's
userspace stage (tests/userspace/Makefile) and by tests/vm/56-export.sh on
a real inventory.
"""
import json
import os
import re
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", ".."))
n = 0
failed = 0


def ok(cond, what, diag=None):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    if not cond:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)
    return cond


def doc_examples():
    text = open(os.path.join(TOP, "docs", "integration", "nova.md")).read()
    out = []
    for name in ("nova", "nova-by-id"):
        m = re.search(r"<!-- example: %s -->\n```[a-z]*\n(.*?)```" % re.escape(name), text, re.S)
        if m:
            out.append(("nova.md example " + name, m.group(1)))
    return out


def parse(conf_text):
    """Nova's view of a configuration file: (device_spec list, aliases)."""
    from oslo_config import cfg
    import nova.conf
    from nova.pci import request, whitelist

    with tempfile.NamedTemporaryFile("w", suffix=".conf") as f:
        f.write(conf_text)
        f.flush()
        conf = nova.conf.CONF
        conf.reset()
        conf(args=["--config-file", f.name], project="nova", default_config_files=[])
        specs = list(conf.pci.device_spec)
        wl = whitelist.Whitelist(specs)
        aliases = request._get_alias_from_config()
    return specs, wl, aliases


def check(name, text, devices, req):
    from nova import exception, objects
    from nova.pci import request

    objects.register_all()
    try:
        specs, wl, aliases = parse(text)
    except Exception as e:  # what Nova raises is the point
        ok(False, "%s: Nova reads it" % name, "%s: %s" % (type(e).__name__, e))
        return
    lines = text.splitlines()
    nspec = sum(1 for l in lines if l.startswith("device_spec = "))
    nalias = sum(1 for l in lines if l.startswith("alias = "))
    ok(len(specs) == nspec and len(wl.specs) == nspec,
       "%s: Whitelist parses all %d device_spec lines" % (name, nspec),
       "oslo.config gave %d, Whitelist %d" % (len(specs), len(wl.specs)))
    got = sum(len(v[1]) for v in aliases.values())
    ok(got == nalias,
       "%s: _get_alias_from_config takes all %d alias lines (%d names)"
       % (name, nalias, len(aliases)), "it kept %d" % got)
    for line in lines:
        if not line.startswith("alias = "):
            continue
        a = json.loads(line[len("alias = "):])
        numa, specl = aliases.get(a["name"], (None, []))
        ok(numa == a["numa_policy"] and
           any(s.get("vendor_id") == a["vendor_id"] and s.get("product_id") == a["product_id"]
               and s.get("dev_type") == a["device_type"] for s in specl),
           "%s: alias %s %s:%s %s as Nova understands it"
           % (name, a["name"], a["vendor_id"], a["product_id"], a["device_type"]),
           repr(aliases.get(a["name"])))
    if aliases:
        flavor = req or ",".join("%s:1" % k for k in sorted(aliases))
        try:
            reqs = request._translate_alias_to_requests(flavor)
            ok(len(reqs) == len(flavor.split(",")),
               "%s: flavor pci_passthrough:alias=%s makes %d PCI requests"
               % (name, flavor, len(reqs)))
        except Exception as e:
            ok(False, "%s: flavor pci_passthrough:alias=%s" % (name, flavor),
               "%s: %s" % (type(e).__name__, e))
    for d in devices:
        if not d.get("variant"):
            continue
        dev = {"vendor_id": d["vendor"], "product_id": d["device"],
               "address": d["addr"], "parent_addr": None}
        ok(wl.device_assignable(dev),
           "%s: Nova may assign %s (%s)" % (name, d["addr"], d["variant"]))


def can_fail():
    from nova import exception
    bad_alias = ('[pci]\nalias = {"name":"x","vendor_id":"10de","product_id":"1db4",'
                 '"device_type":"type-GPU","numa_policy":"legacy"}\n')
    try:
        parse(bad_alias)
        ok(False, "Nova refuses an alias with a device_type it does not know")
    except exception.PciInvalidAlias:
        ok(True, "Nova refuses an alias with a device_type it does not know")
    try:
        parse('[pci]\ndevice_spec = {"address":"0000:3b:00.9"}\n')
        ok(False, "Nova refuses a device_spec with function 9")
    except exception.PciConfigInvalidSpec:
        ok(True, "Nova refuses a device_spec with function 9")


def main(argv):
    devices, req, files = [], None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--devices":
            devices = json.load(open(argv[i + 1]))["devices"]
            i += 2
        elif argv[i] == "--request":
            req = argv[i + 1]
            i += 2
        else:
            files.append(argv[i])
            i += 1
    try:
        import nova.pci.request  # noqa: F401
    except ImportError as e:
        print("not ok 1 - Nova's python3 package (python3-nova; scripts/deps.sh): %s" % e)
        print("1..1")
        return 1
    inputs = [(f, open(f).read()) for f in files] or doc_examples()
    ok(len(inputs) > 0, "there is output to check")
    for name, text in inputs:
        check(name, text, devices, req)
    can_fail()
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
