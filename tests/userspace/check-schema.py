#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-schema.py - check pptadm's JSON output against its JSON Schema.

userspace/pptadm/pptadm.schema.json describes every object pptadm -j
prints.  Run without --validate, this checks, printing TAP:

  - the schema is a valid JSON Schema (draft 2020-12), its $id carries the
    version json.h's PPTADM_JSON_VERSION says, and version's "json" is it;
  - the device and match definitions have exactly the -o fields pptadm's
    help lists, the states and reset methods are the header's, the variant
    types variants.c's, and check's statuses check.c's;
  - every section of json_samples (pptadm's own output code on made-up
    devices, compact and --pretty) validates against its definition and
    the whole schema, with no key twice in an object;
  - pptadm itself, run where it needs no module (-V, check, list -a, a
    failure), prints what the schema says;
  - and that the check can fail: samples with a key added, a type changed
    or a key left out are refused.

  check-schema.py --validate [--def NAME] [--schema FILE] [FILE...]
      validate the JSON texts of each FILE (standard input without one),
      as pptadm prints them (one a line, or --pretty), against the schema
      or one of its definitions (devices, error, result, event...); exit
      status 0 when all are valid, 1 otherwise, naming what is wrong.
      For the VM tests: pptadm -j list | check-schema.py --validate --def devices

Environment: PPT_JSON_SAMPLES (tests/userspace's json_samples),
PPT_PPTADM (a pptadm to run), PPT_DOCS_CLI (docs_cli, for the fields);
tests/userspace/Makefile sets them.  Exit status 0, 1 on any failure, 2
on misuse.
"""
import json
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = os.path.join(TOP, "userspace", "pptadm", "pptadm.schema.json")

try:
    import jsonschema
except ImportError:
    jsonschema = None


class Dup(ValueError):
    pass


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise Dup("key %r twice in one object" % k)
    return dict(pairs)


def texts(s):
    """The JSON texts of s, one after the other (compact or pretty)."""
    dec = json.JSONDecoder(object_pairs_hook=no_dups)
    i, out = 0, []
    while True:
        while i < len(s) and s[i] in " \t\r\n":
            i += 1
        if i >= len(s):
            return out
        obj, i = dec.raw_decode(s, i)
        out.append(obj)


def validator(schema, name=None):
    resolver = jsonschema.RefResolver.from_schema(schema)
    sub = schema if name is None else {"$ref": schema["$id"] + "#/$defs/" + name}
    return jsonschema.Draft202012Validator(
        sub, resolver=resolver, format_checker=jsonschema.FormatChecker())


def problems(v, obj):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
            for e in v.iter_errors(obj)]


def validate_main(argv):
    name, schema_path, files = None, SCHEMA, []
    while argv:
        a = argv.pop(0)
        if a == "--def":
            name = argv.pop(0)
        elif a == "--schema":
            schema_path = argv.pop(0)
        else:
            files.append(a)
    if jsonschema is None:
        print("check-schema.py: python3-jsonschema is missing", file=sys.stderr)
        return 2
    with open(schema_path) as f:
        schema = json.load(f)
    if name is not None and name not in schema["$defs"]:
        print("check-schema.py: no definition %r" % name, file=sys.stderr)
        return 2
    v, whole, bad, n = validator(schema, name), validator(schema), 0, 0
    for path in files or ["-"]:
        s = sys.stdin.read() if path == "-" else open(path).read()
        try:
            objs = texts(s)
        except ValueError as e:
            print("%s: not JSON: %s" % (path, e))
            return 1
        for obj in objs:
            n += 1
            p = problems(v, obj) + problems(whole, obj)
            for msg in p:
                print("%s: object %d: %s" % (path, n, msg))
            bad += bool(p)
    if not n:
        print("check-schema.py: no JSON text")
        return 1
    return 1 if bad else 0


class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def ok(self, cond, what, detail=()):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, what))
        if not cond:
            self.failed += 1
            for line in detail:
                print("#   " + str(line))
        return cond

    def skip(self, what):
        self.n += 1
        print("ok %d # skip %s" % (self.n, what))


def names_of(header, macro):
    m = re.search(r"#define %s \{(.*?)\n\}" % macro, header, re.S)
    return re.findall(r'=\s*"([a-z_]+)"', m.group(1)) if m else []


def sections(text):
    """json_samples' output: {def: [texts]}, in order."""
    out, cur = {}, None
    buf = []
    for line in text.splitlines(True):
        if line.startswith("# "):
            if cur:
                out[cur] = "".join(buf)
            cur, buf = line[2:].strip(), []
        else:
            buf.append(line)
    if cur:
        out[cur] = "".join(buf)
    return out


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def selftest_main():
    t = Tap()
    if jsonschema is None:
        t.ok(False, "python3-jsonschema is there (make deps installs it)")
        print("1..%d" % t.n)
        return 1
    with open(SCHEMA) as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        t.ok(True, "the schema is a valid draft 2020-12 JSON Schema")
    except jsonschema.SchemaError as e:
        t.ok(False, "the schema is a valid draft 2020-12 JSON Schema", [e.message])
    defs = schema["$defs"]

    jh = open(os.path.join(TOP, "userspace", "pptadm", "json.h")).read()
    ver = re.search(r"#define PPTADM_JSON_VERSION\s+(\d+)", jh)
    ver = int(ver.group(1)) if ver else None
    t.ok(ver is not None and schema.get("$id", "").endswith(":%d" % ver),
         "its $id (%s) carries json.h's PPTADM_JSON_VERSION (%s)" % (schema.get("$id"), ver))
    t.ok(defs["version"]["properties"]["json"].get("const") == ver,
         "version's \"json\" is that version")

    cli = os.environ.get("PPT_DOCS_CLI")
    if cli:
        def fields(cmd):
            out = run([cli, "help", cmd])[1]
            m = re.search(r"^Fields \(-o\): (.*)$", out, re.M)
            return m.group(1).split(",") if m else []
        for d, cmd in (("device", "list"), ("match", "match")):
            want, got = fields(cmd), list(defs[d]["properties"])
            t.ok(want and sorted(want) == sorted(got),
                 "the %s definition has exactly pptadm's -o fields of %s" % (d, cmd),
                 ["missing: %s" % sorted(set(want) - set(got)),
                  "not a field: %s" % sorted(set(got) - set(want))])
    else:
        t.skip("the fields (no PPT_DOCS_CLI)")
    header = open(os.path.join(TOP, "include", "uapi", "linux", "ppt.h")).read()
    states = [s for s in names_of(header, "PPT_STATE_NAMES") if s != "unspec"]
    methods = names_of(header, "PPT_RESET_NAMES")
    dev = defs["device"]["properties"]
    t.ok(states and sorted(states) == sorted(x for x in dev["state"]["enum"] if x),
         "a device's states are the header's")
    t.ok(sorted(methods) == sorted(x for x in dev["last_reset"]["enum"] if x) and
         sorted(m for m in methods if m != "auto") == sorted(dev["reset_methods"]["items"]["enum"]),
         "reset methods are the header's")
    vc = open(os.path.join(TOP, "userspace", "pptadm", "variants.c")).read()
    types = re.findall(r'\[VT_[A-Z_]+\] = "([a-z-]+)"', vc)
    t.ok(types and sorted(types) == sorted(x for x in dev["type"]["enum"] if x),
         "a device's types are variants.c's")
    cc = open(os.path.join(TOP, "userspace", "pptadm", "check.c")).read()
    m = re.search(r"status_key\[\] = \{(.*?)\};", cc, re.S)
    st = re.findall(r'"([a-z]+)"', m.group(1)) if m else []
    checkdef = defs["check"]
    t.ok(st and sorted(st) == sorted(checkdef["properties"]["checks"]["items"]["properties"]["status"]["enum"])
         and all(s in checkdef["required"] for s in st),
         "check's statuses and counts are check.c's")

    whole = validator(schema)
    samples = os.environ.get("PPT_JSON_SAMPLES")
    got = {}
    if samples:
        rc, out, err = run([samples])
        t.ok(rc == 0, "json_samples runs", err.splitlines())
        got = sections(out)
        outputs = [r["$ref"].rsplit("/", 1)[1] for r in schema["anyOf"]]
        t.ok(sorted(got) == sorted(outputs),
             "json_samples prints every output the schema has", [sorted(got), sorted(outputs)])
        for name, s in got.items():
            try:
                objs = texts(s)
            except ValueError as e:
                t.ok(False, "%s: the samples are JSON, no key twice" % name, [e])
                continue
            v = validator(schema, name)
            bad = [p for o in objs for p in problems(v, o) + problems(whole, o)]
            t.ok(objs and not bad, "%s: %d samples (compact and pretty) valid" % (name, len(objs)),
                 bad[:10])
        seen = set()
        for o in texts(got.get("devices", "")):
            for d in o["devices"]:
                seen |= set(d)
        t.ok(seen == set(dev), "the device samples use every field",
             ["not used: %s" % sorted(set(dev) - seen)])
        seen = set()
        for o in texts(got.get("check", "")):
            for c in o["checks"]:
                seen.add(c["status"])
        t.ok(seen >= {"pass", "info", "skip", "fail"},
             "the check samples have PASS, INFO, SKIP and FAIL: %s" % sorted(seen))
        t.ok(any("time" in o for o in texts(got.get("event", ""))),
             "the event samples have timestamps (monitor -t)")
    else:
        t.skip("json_samples (no PPT_JSON_SAMPLES)")

    # it can fail
    def refused(name, obj, what):
        t.ok(bool(problems(validator(schema, name), obj)), "refused: %s" % what)
    refused("devices", {"devices": [{"addr": "0000:01:00.0", "bogus": 1}]}, "a device key the schema lacks")
    refused("devices", {"devices": [{"group": "7"}]}, "a group as a string")
    refused("error", {"error": {"errno": "EBUSY", "code": 16}}, "an error without its keys")
    refused("result", {"device": "0000:01:00.0", "operation": "reserve", "ok": False, "state": None,
                       "owner": None, "request_id": None, "entry": None}, "a result that is not ok")
    refused("event", {"event": "synced", "devices": 1, "time": "yesterday"}, "a timestamp that is none")
    refused("check", {"checks": [], "pass": 0, "warn": 0, "fail": 0}, "check without info and skip")
    try:
        texts('{"a":1,"a":2}')
        t.ok(False, "refused: a key twice")
    except Dup:
        t.ok(True, "refused: a key twice")

    pptadm = os.environ.get("PPT_PPTADM")
    if pptadm:
        cases = [
            (["-j", "-V"], "version", (0,)),
            (["-jp", "version"], "version", (0,)),
            (["-j", "check"], "check", (0, 1)),
            (["check", "-jq"], "check", (0, 1)),
            (["-j", "list", "-a"], "devices", (0,)),
            (["-j", "list", "-a", "-o", "all"], "devices", (0,)),
            (["-j", "--pretty", "list", "-a", "-o", "all"], "devices", (0,)),
            (["-j", "list", "-a", "--format", "sysinfo"], "sysinfo", (0,)),
            (["-j", "show", "0000:ff:1f.7"], "error", (1,)),
            (["-jp", "match", "list"], None, (0, 1)),
        ]
        for args, name, rcs in cases:
            rc, out, err = run([pptadm] + args)
            try:
                objs = texts(out)
            except ValueError as e:
                objs, bad = [], ["not JSON: %s" % e]
            else:
                bad = [p for o in objs for p in
                       (problems(validator(schema, name), o) if name else []) + problems(whole, o)]
            t.ok(rc in rcs and objs and not bad,
                 "pptadm %s: exit %d, %d objects valid%s" % (" ".join(args), rc, len(objs),
                                                             " (%s)" % name if name else ""),
                 bad[:10] + err.splitlines()[:5])
    else:
        t.skip("running pptadm (no PPT_PPTADM)")
    print("1..%d" % t.n)
    return 1 if t.failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--validate"]:
        sys.exit(validate_main(args[1:]))
    if args:
        print(__doc__.split("\n\n")[3], file=sys.stderr)
        sys.exit(2)
    sys.exit(selftest_main())
