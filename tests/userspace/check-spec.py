#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""check-spec.py - fail when the netlink spec, the uapi header and the kernel
drift apart, or when the kernel's own tools reject the spec.

include/uapi/linux/ppt.h defines the ppt protocol; docs/netlink/ppt.yaml
describes it a second time.  This reads both and checks, printing TAP:

  - family name, version and multicast group, and the constants, agree with
    the header's #defines, and every #define of the header is in the spec
    (genetlink-c has no key for the version: the spec's doc states it as
    "PPT_GENL_VERSION, is N");
  - checks (min, max, max-len...) are plain numbers, which every genetlink
    schema takes;
  - every enum (ppt_state, ppt_reset_method, ppt_attr, ppt_cmd) has the same
    C names, in the same order, with the same values, as the spec renders
    by the genetlink-c rules (prefix + entry name; values counting up),
    including the __X_MAX / X_MAX members: so every command has an
    operation and every operation a command;
  - every enumerator is documented in the header's kernel-doc, and every
    spec entry, attribute and operation has a doc;
  - each attribute's type is the type the header's kernel-doc states
    ("@PPT_A_X: u32, ..."), and "enum ppt_..." in that doc is the spec's
    enum: reference (enum-as-flags where the doc speaks of bits);
  - the state and reset-method names are the strings of PPT_STATE_NAMES and
    PPT_RESET_NAMES;
  - the kernel's own tools, from linux-source-6.12 (scripts/ynl-tools.sh
    extracts them into the cache): the spec is valid against the
    genetlink-c schema, ynl's library loads it as cli.py does, and
    ynl-gen-c.py generates the uapi header and the kernel's policies from
    it; the generated header has the real header's enums and #defines, it
    compiles, and the generated policies are the kernel's;
  - (last) the kernel's genl_ops table and nla_policy tables in
    kernel/ppt_netlink.c: every spec operation with a do or dump has an
    entry with that handler, each do-request lists exactly the attributes
    of that command's policy, with the policy's types, lengths and ranges;
    and what the kernel sends, read from the functions that build its
    messages (genlmsg_put and the nla_put calls below it): each reply, dump
    and notification (device-ntf, request-ntf) carries exactly the
    attributes, of the types, that the spec lists for it.

By default it also proves it can fail: it runs itself on mutated copies of
the files (two enumerators swapped, one renamed, a type changed, an
attribute dropped from a notification, from stats-get's dump or from what
the kernel sends, the enum-entry limit that crashed ynl-gen-c, ...) and expects each mutation to
add a failure naming what was changed.

Exit status: 0 all checks passed; 1 a check failed; 2 usage error or a file
could not be read.

Examples:
  tests/userspace/check-spec.py
  tests/userspace/check-spec.py --header /tmp/ppt.h --spec /tmp/ppt.yaml --no-kernel --no-ynl
  tests/userspace/check-spec.py --ynl ~/.cache/ppt/ynl/6.12.118-1~deb12u1
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import yaml
except ImportError:
    print("not ok 1 - import yaml # python3-yaml is missing (make deps installs it)")
    print("1..1")
    sys.exit(2)

ROOT = Path(__file__).resolve().parent.parent.parent
HEADER = ROOT / "include" / "uapi" / "linux" / "ppt.h"
SPEC = ROOT / "docs" / "netlink" / "ppt.yaml"
KERNEL = ROOT / "kernel" / "ppt_netlink.c"
YNL_TOOLS = ROOT / "scripts" / "ynl-tools.sh"

PROG = "check-spec.py"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

# Attribute types the genetlink-c schema knows.
ATTR_TYPES = {"unused", "pad", "flag", "binary", "uint", "sint", "u8", "u16",
              "u32", "u64", "s8", "s16", "s32", "s64", "string", "nest",
              "array-nest", "indexed-array", "nest-type-value"}
# The keys a genetlink-c spec may use, level by level ("[]": list items).
_ATTRS_LIST = {"attributes": None}
_SUBOP = {"request": _ATTRS_LIST, "reply": _ATTRS_LIST, "pre": None, "post": None}
SPEC_KEYS = {
    "name": None, "doc": None, "protocol": None, "uapi-header": None,
    "c-family-name": None, "c-version-name": None, "max-by-define": None,
    "cmd-max-name": None, "cmd-cnt-name": None,
    "definitions": {"[]": {
        "name": None, "header": None, "scope": None, "type": None, "doc": None,
        "value": None,
        "value-start": None, "render-max": None, "enum-name": None,
        "name-prefix": None, "enum-cnt-name": None,
        "entries": {"[]": {"name": None, "value": None, "doc": None}}}},
    "attribute-sets": {"[]": {
        "name": None, "name-prefix": None, "enum-name": None, "doc": None,
        "subset-of": None, "attr-cnt-name": None, "attr-max-name": None,
        "attributes": {"[]": {
            "name": None, "type": None, "doc": None, "value": None,
            "type-value": None, "byte-order": None, "multi-attr": None,
            "nested-attributes": None, "enum": None, "enum-as-flags": None,
            "sub-type": None, "display-hint": None, "name-prefix": None,
            "checks": {"flags-mask": None, "min": None, "max": None,
                       "min-len": None, "max-len": None, "exact-len": None,
                       "unterminated-ok": None}}}}},
    "operations": {
        "enum-model": None, "name-prefix": None, "enum-name": None,
        "async-prefix": None, "async-enum": None,
        "list": {"[]": {
            "name": None, "doc": None, "value": None, "attribute-set": None,
            "flags": None, "dont-validate": None, "config-cond": None,
            "do": _SUBOP, "dump": _SUBOP, "notify": None,
            "event": _ATTRS_LIST, "mcgrp": None}}},
    "mcast-groups": {"list": {"[]": {"name": None, "c-define-name": None,
                                     "flags": None}}},
}
DISPLAY_HINTS = {"hex", "mac", "fddi", "ipv4", "ipv6", "uuid"}
LIMIT_CHECKS = {"min", "max", "min-len", "max-len", "exact-len"}
# What a policy's NLA_ type is in the spec.
NLA_TYPES = {"U8": "u8", "U16": "u16", "U32": "u32", "U64": "u64",
             "S8": "s8", "S16": "s16", "S32": "s32", "S64": "s64",
             "UINT": "uint", "SINT": "sint", "STRING": "string",
             "NUL_STRING": "string", "FLAG": "flag", "BINARY": "binary",
             "NESTED": "nest", "NESTED_ARRAY": "indexed-array"}


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


class ParseError(Exception):
    """A file is not what this checker can read."""


# --- TAP ----------------------------------------------------------------------

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, what, problems):
        """One test: passes when problems is empty; prints every problem."""
        self.n += 1
        if not problems:
            print(f"ok {self.n} - {what}", flush=True)
            return True
        self.failed += 1
        print(f"not ok {self.n} - {what} # {problems[0]}")
        for p in problems[1:]:
            print(f"#   {p}")
        sys.stdout.flush()
        return False

    def done(self):
        print(f"1..{self.n}")
        return EXIT_FAIL if self.failed else EXIT_OK


# --- C text -------------------------------------------------------------------

COMMENT_RE = re.compile(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*', re.S)


def strip_comments(text):
    """Comments become one space; string literals are kept."""
    return COMMENT_RE.sub(lambda m: m.group(0) if m.group(0)[0] == '"' else " ",
                          text)


def join_continuations(text):
    return re.sub(r"\\\n", " ", text)


def split_top(text, sep=","):
    """Split at sep outside (), {}, [] and string literals; drop empties."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            m = re.compile(r'"(?:\\.|[^"\\])*"').match(text, i)
            end = m.end() if m else len(text)
            cur.append(text[i:end])
            i = end
            continue
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def braced(text, start):
    """The text between the brace at or after start and its match."""
    open_at = text.index("{", start)
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i]
    raise ParseError(f"unbalanced braces after offset {start}")


def defines(text):
    """Object-like and function-like #defines: name -> (params or None, body)."""
    out = {}
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?[ \t]*(.*)$",
                         join_continuations(text), re.M):
        params = None
        if m.group(2) is not None:
            params = [p.strip() for p in m.group(2)[1:-1].split(",") if p.strip()]
        out[m.group(1)] = (params, m.group(3).strip())
    return out


def eval_int(expr, names):
    """Evaluate a small integer expression; names maps identifiers to ints
    or to expression text.  None when it is not one."""
    for _ in range(8):
        new = re.sub(r"\b[A-Za-z_]\w*\b",
                     lambda m: str(names.get(m.group(0), m.group(0))), expr)
        if new == expr:
            break
        expr = new
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr)
    if not re.fullmatch(r"[\s0-9a-fA-FxX+\-*/()<>|&~]*", expr) or not expr.strip():
        return None
    try:
        return int(eval(expr.replace("/", "//"), {"__builtins__": {}}))
    except Exception:
        return None


# --- the header ----------------------------------------------------------------

class Header:
    def __init__(self, path):
        self.path = path
        self.text = Path(path).read_text()
        code = strip_comments(self.text)
        self.defines = {n: b for n, (p, b) in defines(code).items() if p is None}
        self.enums = {}         # name -> [(enumerator, value)]
        self.kdoc = {}          # enum name -> {enumerator: doc text}
        self.names = {}         # NAMES macro -> {enumerator: string}
        self._enums(code)
        self._kernel_doc()
        self._names(code)

    def _enums(self, code):
        for m in re.finditer(r"\benum\s+(\w+)\s*\{", code):
            body = braced(code, m.start())
            values, val = [], -1
            known = {}
            for item in split_top(body):
                em = re.fullmatch(r"(\w+)\s*(?:=\s*(.+))?", item, re.S)
                if not em:
                    raise ParseError(f"enum {m.group(1)}: cannot read '{item}'")
                if em.group(2) is not None:
                    v = eval_int(em.group(2), known)
                    if v is None:
                        raise ParseError(f"enum {m.group(1)}: cannot evaluate "
                                         f"'{em.group(2).strip()}'")
                    val = v
                else:
                    val += 1
                known[em.group(1)] = val
                values.append((em.group(1), val))
            self.enums[m.group(1)] = values

    def _kernel_doc(self):
        for m in re.finditer(r"/\*\*\n(.*?)\*/", self.text, re.S):
            lines = [re.sub(r"^\s*\*", "", ln) for ln in m.group(1).split("\n")]
            head = re.match(r"\s*enum\s+(\w+)\s+-", lines[0]) if lines else None
            if not head:
                continue
            docs, cur = {}, None
            for ln in lines[1:]:
                am = re.match(r"\s@(\w+):\s*(.*)", ln)
                if am:
                    cur = am.group(1)
                    docs[cur] = am.group(2).strip()
                elif cur and ln.strip():
                    docs[cur] += " " + ln.strip()
                else:
                    cur = None
                    if docs and not ln.strip():
                        break
            self.kdoc[head.group(1)] = docs

    def _names(self, code):
        code = join_continuations(code)
        for m in re.finditer(r"#[ \t]*define[ \t]+(\w+)[ \t]+\{", code):
            body = braced(code, m.end() - 1)
            names = {}
            for item in split_top(body):
                im = re.fullmatch(r'\[\s*(\w+)\s*\]\s*=\s*"((?:\\.|[^"\\])*)"',
                                  item)
                if not im:
                    raise ParseError(f"{m.group(1)}: cannot read '{item}'")
                names[im.group(1)] = im.group(2)
            self.names[m.group(1)] = names

    def enum_of(self, enumerator):
        for name, values in self.enums.items():
            if any(e == enumerator for e, _ in values):
                return name
        return None


# --- the spec, named and numbered as genetlink-c renders it --------------------

class Spec:
    def __init__(self, path):
        self.path = path
        with open(path) as f:
            self.y = yaml.safe_load(f)
        if not isinstance(self.y, dict):
            raise ParseError("not a YAML mapping")
        y = self.y
        self.family = y.get("name", "")
        fam = c_upper(self.family)
        self.c_family_name = y.get("c-family-name", f"{fam}_FAMILY_NAME")
        self.c_version_name = y.get("c-version-name", f"{fam}_FAMILY_VERSION")
        # genetlink-legacy has a version key; genetlink-c has none, so the
        # doc states it ("PPT_GENL_VERSION, is 2"); without either it is 1
        m = re.search(rf"\b{re.escape(self.c_version_name)}\W+is\s+(\d+)\b",
                      " ".join(str(y.get("doc", "")).split()))
        self.version_doc = int(m.group(1)) if m else None
        self.version = y.get("version", self.version_doc or 1)

        self.consts = {}        # C name -> (spec name, value)
        self.enums = {}         # spec name -> Enum
        for d in y.get("definitions") or []:
            if d.get("type") == "const":
                pfx = d.get("name-prefix", f"{self.family}-")
                self.consts[c_upper(pfx + d["name"])] = (d["name"], d.get("value"))
            elif d.get("type") in ("enum", "flags"):
                self.enums[d["name"]] = self._enum(d)

        self.attr_sets = {}     # set name -> Enum of its attributes
        for s in y.get("attribute-sets") or []:
            if "subset-of" not in s:
                self.attr_sets[s["name"]] = self._attr_set(s)

        ops = y.get("operations") or {}
        pfx = ops.get("name-prefix", f"{self.family}-cmd-")
        self.ops = Enum("operations", ops.get("enum-name"), c_upper(pfx))
        val = 1
        for op in ops.get("list") or []:
            val = op.get("value", val)
            self.ops.add(op.get("name", "?"), val, op)
            val += 1
        self.ops.count(ops.get("cmd-cnt-name", f"__{pfx}max"),
                       ops.get("cmd-max-name", f"{pfx}max"))

        self.mcgrps = {}        # C define -> name
        for g in (y.get("mcast-groups") or {}).get("list") or []:
            self.mcgrps[g.get("c-define-name",
                              c_upper(f"{self.family}-mcgrp-{g['name']}"))] = g["name"]

    def _enum(self, d):
        pfx = d.get("name-prefix", f"{self.family}-{d['name']}-")
        e = Enum(d["name"], d.get("enum-name", f"{self.family}-{d['name']}"),
                 c_upper(pfx), d)
        val = d.get("value-start", 0)
        for ent in d.get("entries") or []:
            ent = ent if isinstance(ent, dict) else {"name": ent}
            val = ent.get("value", val)
            # a flags entry's value is its bit number
            e.add(ent["name"], 1 << val if d["type"] == "flags" else val, ent)
            val += 1
        if d["type"] == "enum" and d.get("render-max"):
            e.count(d.get("enum-cnt-name", f"__{pfx}max"), f"{pfx}max")
        return e

    def _attr_set(self, s):
        if "name-prefix" in s:
            pfx = s["name-prefix"]
        elif s["name"] == self.family:
            pfx = f"{self.family}-a-"
        else:
            pfx = f"{self.family}-a-{s['name']}-"
        e = Enum(s["name"], s.get("enum-name"), c_upper(pfx), s)
        val = 1
        for a in s.get("attributes") or []:
            val = a.get("value", val)
            e.add(a.get("name", "?"), val, a)
            val += 1
        e.count(s.get("attr-cnt-name", f"__{pfx}max"),
                s.get("attr-max-name", f"{pfx}max"))
        return e

    def enum_by_c_name(self, c_name):
        for e in self.enums.values():
            if e.c_name == c_name:
                return e
        return None

    def attr(self, set_name, name):
        s = self.attr_sets.get(set_name)
        return s.by_name.get(name) if s else None


class Enum:
    """An enum as the spec renders it: entries (spec name, C name, value, yaml)."""

    def __init__(self, name, enum_name, prefix, y=None):
        self.name = name
        self.c_name = c_lower(enum_name) if enum_name else None
        self.prefix = prefix
        self.y = y or {}
        self.entries = []
        self.by_name = {}
        self.by_c = {}
        self.max_members = []

    def add(self, name, value, y):
        ent = (name, self.prefix + c_upper(name), value, y)
        self.entries.append(ent)
        self.by_name[name] = ent
        self.by_c[ent[1]] = ent

    def count(self, cnt_name, max_name):
        last = self.entries[-1][2] if self.entries else 0
        self.max_members = [(c_upper(cnt_name), last + 1),
                            (c_upper(max_name), last)]

    def rendered(self):
        return [(c, v) for _, c, v, _ in self.entries] + self.max_members


# --- checks: header against spec ---------------------------------------------

def compare_enum(label, header_vals, spec_enum):
    """Names, order and values of one enum; problems name the enumerator."""
    problems = []
    want = spec_enum.rendered()
    have = list(header_vals)
    # genetlink-c leaves value 0 of commands unused; the header names it UNSPEC
    unspec = spec_enum.prefix + "UNSPEC"
    if (have and have[0] == (unspec, 0) and unspec not in spec_enum.by_c
            and all(v != 0 for _, v in want)):
        have = have[1:]
    want_d, have_d = dict(want), dict(have)
    for c, v in have:
        if c not in want_d:
            problems.append(f"{label}: {c} (= {v}) is in the header but not in the spec")
    for c, v in want:
        if c not in have_d:
            spec_name = spec_enum.by_c[c][0] if c in spec_enum.by_c else "render-max"
            problems.append(f"{label}: {c} (= {v}, spec '{spec_name}') is in the "
                            f"spec but not in the header")
        elif have_d[c] != v:
            problems.append(f"{label}: {c} is {have_d[c]} in the header, {v} in the spec")
    common_h = [c for c, _ in have if c in want_d]
    common_s = [c for c, _ in want if c in have_d]
    for i, (h, s) in enumerate(zip(common_h, common_s)):
        if h != s:
            problems.append(f"{label}: order differs at position {i}: header has "
                            f"{h}, spec has {s}")
            break
    return problems


def real_enumerators(values):
    """Enumerators without the __X_MAX / X_MAX members."""
    out = []
    cnt = {e for e, _ in values if e.startswith("__")}
    for e, v in values:
        if e in cnt or "__" + e in cnt:
            continue
        out.append(e)
    return out


def check_family(tap, hdr, spec):
    p = []
    if spec.y.get("protocol") not in ("genetlink-c", "genetlink"):
        p.append(f"spec protocol is {spec.y.get('protocol')!r}, not genetlink-c")
    if spec.y.get("uapi-header") != "linux/" + Path(hdr.path).name:
        p.append(f"spec uapi-header is {spec.y.get('uapi-header')!r}, the header "
                 f"is linux/{Path(hdr.path).name}")
    name = hdr.defines.get(spec.c_family_name)
    if name is None:
        p.append(f"the header has no {spec.c_family_name} (spec c-family-name)")
    elif name != f'"{spec.family}"':
        p.append(f"family name: header {spec.c_family_name} is {name}, spec name "
                 f"is \"{spec.family}\"")
    ver = hdr.defines.get(spec.c_version_name)
    if "version" in spec.y and spec.y.get("protocol") == "genetlink-c":
        p.append(f"spec has a 'version' key, which the genetlink-c schema does not "
                 f"allow: state it in the doc as \"{spec.c_version_name}, is N\"")
    if ver is None:
        p.append(f"the header has no {spec.c_version_name} (spec c-version-name)")
    elif eval_int(ver, {}) != spec.version:
        how = ("the spec's doc says" if spec.version_doc is not None and
               "version" not in spec.y else "spec version is")
        p.append(f"family version: header {spec.c_version_name} is {ver}, {how} "
                 f"{spec.version}")
    tap.check("family name and version agree (PPT_GENL_NAME, PPT_GENL_VERSION)", p)

    p = []
    for c, name in spec.mcgrps.items():
        have = hdr.defines.get(c)
        if have is None:
            p.append(f"mcast group '{name}': the header has no {c}")
        elif have != f'"{name}"':
            p.append(f"mcast group: header {c} is {have}, spec name is \"{name}\"")
    for c, body in hdr.defines.items():
        if "MCGRP" in c and c not in spec.mcgrps:
            p.append(f"header {c} = {body} is not a spec mcast group")
    if not spec.mcgrps:
        p.append("the spec has no mcast groups")
    tap.check("multicast groups agree (PPT_GENL_MCGRP_*)", p)

    p = []
    for c, (name, value) in spec.consts.items():
        have = hdr.defines.get(c)
        if have is None:
            p.append(f"const {name}: the header has no {c}")
        elif eval_int(have, {}) != value:
            p.append(f"const {name}: header {c} is {have}, spec value is {value}")
    accounted = set(spec.consts) | set(spec.mcgrps) | set(hdr.names)
    accounted |= {spec.c_family_name, spec.c_version_name}
    for c, body in hdr.defines.items():
        if c in accounted or c.startswith("_UAPI_"):
            continue
        p.append(f"header #define {c} {body} is not in the spec")
    tap.check("constants agree; every #define of the header is in the spec", p)


def check_enums(tap, hdr, spec):
    covered = set()
    groups = ([(f"definition '{e.name}'", e) for e in spec.enums.values()] +
              [(f"attribute-set '{e.name}'", e) for e in spec.attr_sets.values()] +
              [("operations", spec.ops)])
    for what, e in groups:
        if e.c_name is None:
            tap.check(f"spec {what}: names a C enum",
                      [f"spec {what} has no enum-name; the header's enums are named"])
            continue
        covered.add(e.c_name)
        if e.c_name not in hdr.enums:
            tap.check(f"enum {e.c_name}: in the header",
                      [f"spec {what} renders enum {e.c_name}, which the header lacks"])
            continue
        tap.check(f"enum {e.c_name}: names, order and values agree with spec {what}",
                  compare_enum(f"enum {e.c_name}", hdr.enums[e.c_name], e))

        p = []
        docs = hdr.kdoc.get(e.c_name)
        reals = real_enumerators(hdr.enums[e.c_name])
        if docs is None:
            p.append(f"enum {e.c_name} has no kernel-doc comment in the header")
        else:
            for c in reals:
                if not docs.get(c):
                    p.append(f"enum {e.c_name}: {c} is not documented in the "
                             f"header's kernel-doc")
            for c in docs:
                if c not in reals:
                    p.append(f"enum {e.c_name}: kernel-doc documents @{c}, which "
                             f"the enum lacks")
        for name, c, _, y in e.entries:
            if not (isinstance(y, dict) and str(y.get("doc", "")).strip()):
                p.append(f"spec {what}: '{name}' ({c}) has no doc")
        if not str(e.y.get("doc", "")).strip() and e is not spec.ops:
            p.append(f"spec {what} has no doc")
        tap.check(f"enum {e.c_name}: every enumerator documented in the header "
                  f"and the spec", p)
    missing = [n for n in hdr.enums if n not in covered]
    tap.check("every enum of the header is in the spec",
              [f"header enum {n} is not in the spec" for n in missing])


def kdoc_type(doc):
    m = re.match(r"(u8|u16|u32|u64|s8|s16|s32|s64|uint|sint|string|flag|binary|nest)"
                 r"\s*(,|$)", doc)
    if m:
        return m.group(1)
    if re.match(r"padding\b", doc, re.I):
        return "pad"
    if re.match(r"(invalid|unused)\b", doc, re.I):
        return "unused"
    return None


def check_attr_types(tap, hdr, spec):
    for s in spec.attr_sets.values():
        docs = hdr.kdoc.get(s.c_name)
        if docs is None:
            continue        # reported by check_enums
        p = []
        for name, c, _, y in s.entries:
            y = y if isinstance(y, dict) else {}
            doc = docs.get(c)
            if doc is None:
                continue    # reported by check_enums
            want = kdoc_type(doc)
            if want is None:
                p.append(f"{c}: the header's kernel-doc states no type ('{doc[:40]}')")
            elif y.get("type") != want:
                p.append(f"{c}: spec '{name}' is type {y.get('type')}, the header "
                         f"says {want}")
            refs = sorted(set(re.findall(r"\benum\s+(\w+)", doc)))
            if len(refs) > 1:
                p.append(f"{c}: the header's kernel-doc names several enums {refs}")
            ref = spec.enum_by_c_name(refs[0]) if refs else None
            if refs and ref is None:
                p.append(f"{c}: the header refers to enum {refs[0]}, which the spec "
                         f"does not define")
            elif ref and y.get("enum") != ref.name:
                p.append(f"{c}: the header says enum {refs[0]} (spec enum "
                         f"'{ref.name}'), spec '{name}' has enum: {y.get('enum')}")
            elif not refs and y.get("enum"):
                p.append(f"{c}: spec '{name}' has enum: {y['enum']}, the header's "
                         f"kernel-doc names no enum")
            bits = bool(refs) and re.search(r"\bbits?\b", doc) is not None
            if bool(y.get("enum-as-flags")) != bits:
                p.append(f"{c}: spec '{name}' enum-as-flags is "
                         f"{bool(y.get('enum-as-flags'))}, the header "
                         f"{'speaks of' if bits else 'does not speak of'} bits")
        tap.check(f"enum {s.c_name}: attribute types and enum references are the "
                  f"header kernel-doc's", p)


def check_names(tap, hdr, spec):
    used = set()
    for e in spec.enums.values():
        if e.y.get("type") != "enum":
            continue
        macro = None
        for m, names in hdr.names.items():
            if any(hdr.enum_of(k) == e.c_name for k in names):
                macro = m
        if macro is None:
            continue
        used.add(macro)
        names = hdr.names[macro]
        p = []
        for name, c, _, _ in e.entries:
            if c not in names:
                p.append(f"{macro} has no name for {c} (spec '{name}')")
            elif names[c] != name:
                p.append(f"{macro}[{c}] is \"{names[c]}\", spec entry is '{name}'")
        for c in names:
            if c not in e.by_c:
                p.append(f"{macro} names {c}, which the spec's '{e.name}' lacks")
        tap.check(f"{macro} strings are the spec's '{e.name}' entry names", p)
    for m in hdr.names:
        if m not in used:
            tap.check(f"{m} belongs to a spec enum",
                      [f"{m} indexes no enum the spec defines"])


def unknown_keys(node, allowed, where):
    """Keys of node (and below) that allowed does not list."""
    out = []
    if "[]" in allowed:
        for i, item in enumerate(node if isinstance(node, list) else []):
            label = item.get("name", i) if isinstance(item, dict) else i
            out += unknown_keys(item, allowed["[]"], f"{where}[{label}]")
        return out
    if not isinstance(node, dict):
        return [f"{where or 'the spec'} is not a mapping"]
    for k, v in node.items():
        if k not in allowed:
            out.append(f"unknown key '{k}' in {where or 'the top level'}")
        elif allowed[k] is not None:
            out += unknown_keys(v, allowed[k], f"{where}.{k}" if where else k)
    return out


def check_spec_shape(tap, spec):
    p = unknown_keys(spec.y, SPEC_KEYS, "")
    for k in ("name", "doc", "attribute-sets", "operations"):
        if k not in spec.y:
            p.append(f"spec lacks '{k}'")
    for s in spec.attr_sets.values():
        for name, c, _, y in s.entries:
            if not isinstance(y, dict) or y.get("type") not in ATTR_TYPES:
                p.append(f"attribute '{name}' ({c}): unknown type "
                         f"{y.get('type') if isinstance(y, dict) else y!r}")
            elif y.get("enum") and y["enum"] not in spec.enums:
                p.append(f"attribute '{name}': enum '{y['enum']}' is not defined")
            if isinstance(y, dict) and y.get("display-hint", "hex") not in DISPLAY_HINTS:
                p.append(f"attribute '{name}': unknown display-hint "
                         f"{y['display-hint']!r}")
            if not str((y or {}).get("doc", "")).strip():
                p.append(f"attribute '{name}' ({c}) has no doc")
            for k, v in ((y or {}).get("checks") or {}).items():
                if k in LIMIT_CHECKS and (not isinstance(v, int) or isinstance(v, bool)):
                    p.append(f"attribute '{name}' ({c}): checks {k} is {v!r}, not a "
                             f"number (older genetlink schemas take only numbers, "
                             f"and ynl-gen-c reads a name as a definition or a "
                             f"type's limit such as u32-max)")
    for name, c, _, op in spec.ops.entries:
        if not str(op.get("doc", "")).strip():
            p.append(f"operation '{name}' ({c}) has no doc")
        aset = op.get("attribute-set")
        if aset not in spec.attr_sets:
            p.append(f"operation '{name}': attribute-set {aset!r} is not defined")
            continue
        lists = []
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                lst = ((op.get(mode) or {}).get(part) or {}).get("attributes")
                if lst is not None:
                    lists.append((f"{mode} {part}", lst))
        if "event" in op:
            lists.append(("event", (op["event"] or {}).get("attributes") or []))
            # no mcgrp: a notification sent by unicast (sanitise-req-ntf,
            # to the agent's socket), which its doc must say
            if "mcgrp" not in op:
                if "unicast" not in (op.get("doc") or ""):
                    p.append(f"operation '{name}': an event without mcgrp must say "
                             f"in its doc that it is sent by unicast")
            elif op.get("mcgrp") not in spec.mcgrps.values():
                p.append(f"operation '{name}': mcgrp {op.get('mcgrp')!r} is not "
                         f"a spec mcast group")
        # "do: {}": a command without attributes either way (agent-register)
        if not lists and "notify" not in op and "do" not in op and "dump" not in op:
            p.append(f"operation '{name}' has neither do, dump nor event")
        for where, lst in lists:
            for a in lst:
                if spec.attr(aset, a) is None:
                    p.append(f"operation '{name}' {where}: attribute '{a}' is not "
                             f"in set '{aset}'")
    tap.check("spec is well formed: known keys and types, docs, references resolve", p)


# --- checks: the kernel's genl_ops and policies --------------------------------

class Kernel:
    def __init__(self, path, hdr):
        self.path = path
        self.code = join_continuations(strip_comments(Path(path).read_text()))
        self.macros = defines(self.code)
        self.ints = {n: b for n, b in hdr.defines.items()}
        for n, values in hdr.enums.items():
            self.ints.update(dict(values))
        for n, (params, body) in self.macros.items():
            if params is None:
                self.ints.setdefault(n, body)
        self.policies = self._policies()
        self.ops, self.family_policy = self._ops()

    def expand(self, text):
        """Expand the file's function-like and object-like macros."""
        for _ in range(8):
            new = text
            for n, (params, body) in self.macros.items():
                if params is None:
                    if re.fullmatch(r"\s*\w+\s*", new) and new.strip() == n:
                        new = body
                    continue
                m = re.search(rf"\b{n}\s*\(", new)
                if not m:
                    continue
                depth, i = 0, m.end() - 1
                for i in range(m.end() - 1, len(new)):
                    depth += {"(": 1, ")": -1}.get(new[i], 0)
                    if depth == 0:
                        break
                args = split_top(new[m.end():i])
                out = body
                for pn, av in zip(params, args):
                    out = re.sub(rf"\b{re.escape(pn)}\b", lambda _m, av=av: av, out)
                new = new[:m.start()] + out + new[i + 1:]
            if new == text:
                break
            text = new
        return text

    def _policies(self):
        out = {}
        for m in re.finditer(r"struct\s+nla_policy\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{",
                             self.code):
            entries = {}
            for item in split_top(braced(self.code, m.end() - 1)):
                im = re.fullmatch(r"\[\s*(\w+)\s*\]\s*=\s*(.+)", item, re.S)
                if not im:
                    raise ParseError(f"policy {m.group(1)}: cannot read '{item}'")
                body = self.expand(im.group(2))
                types = [t for t in re.findall(r"\bNLA_(\w+)", body)
                         if not t.startswith("POLICY")]
                ln = re.search(r"\.len\s*=\s*([^,}]+)", body)
                bound = re.search(r"NLA_POLICY_(MAX|MIN|RANGE)\((.*)\)", body, re.S)
                bargs = split_top(bound.group(2)) if bound else []
                lo = hi = None
                if bound and bound.group(1) in ("MIN", "RANGE") and len(bargs) > 1:
                    lo = eval_int(bargs[1], self.ints)
                if bound and bound.group(1) in ("MAX", "RANGE"):
                    hi = eval_int(bargs[-1], self.ints)
                entries[im.group(1)] = {
                    "type": types[0] if types else None,
                    "len": eval_int(ln.group(1), self.ints) if ln else None,
                    "min": lo,
                    "max": hi,
                    "text": " ".join(body.split()),
                }
            out[m.group(1)] = entries
        return out

    def _ops(self):
        tables = {}
        for m in re.finditer(r"struct\s+genl_(?:small_|split_)?ops\s+(\w+)\s*"
                             r"\[[^\]]*\]\s*=\s*\{", self.code):
            tables[m.group(1)] = split_top(braced(self.code, m.end() - 1))
        use, family_policy = list(tables), None
        fm = re.search(r"struct\s+genl_family\s+\w+\s*=\s*\{", self.code)
        if fm:
            fields = self._fields(braced(self.code, fm.end() - 1))
            named = [fields[k] for k in ("ops", "small_ops", "split_ops") if k in fields]
            if named:
                use = [t for t in named if t in tables]
            family_policy = fields.get("policy")
        ops = {}                # command -> {"doit", "dumpit", "policy", ...}
        for t in use:
            for item in tables[t]:
                item = self.expand(item).strip()
                if item.startswith("{") and item.endswith("}"):
                    item = item[1:-1]
                f = self._fields(item)
                if "cmd" not in f:
                    raise ParseError(f"{t}: an entry without .cmd: '{item[:60]}'")
                ent = ops.setdefault(f["cmd"], {})
                for k in ("doit", "dumpit"):
                    if f.get(k) and f[k] != "NULL":
                        ent[k] = f[k]
                        ent[k + "_policy"] = f.get("policy", family_policy)
                ent["flags"] = ent.get("flags", "") + " " + f.get("flags", "")
        return ops, family_policy

    # --- what the kernel sends ----------------------------------------------

    # kernel style: "static int name(params)" on one line (params may wrap),
    # "{" on the next; a label at column 0 is not a declaration
    FUNC_RE = re.compile(r"^[A-Za-z_][^;{}()=#:\n]*?\b(\w+)\s*\(([^;{}]*?)\)\s*\{",
                         re.M)
    KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do"}

    def _functions(self):
        """name -> (parameter names, body) for the file's function definitions."""
        out = {}
        for m in self.FUNC_RE.finditer(self.code):
            if m.group(1) in self.KEYWORDS:
                continue
            params = []
            for prm in split_top(m.group(2)):
                ids = re.findall(r"[A-Za-z_]\w*", re.sub(r"\[[^\]]*\]", "", prm))
                params.append(ids[-1] if ids else "")
            out[m.group(1)] = (params, braced(self.code, m.end() - 1))
        return out

    @staticmethod
    def _calls(body, name):
        """The argument lists of every call of name in body."""
        out = []
        for m in re.finditer(rf"(?<![\w.>]){re.escape(name)}\s*\(", body):
            depth, i = 0, m.end() - 1
            for i in range(m.end() - 1, len(body)):
                depth += {"(": 1, ")": -1}.get(body[i], 0)
                if depth == 0:
                    break
            out.append(split_top(body[m.end():i]))
        return out

    # nla_put variant -> spec type
    PUT_TYPES = {"u8": "u8", "u16": "u16", "u32": "u32", "u64": "u64",
                 "s8": "s8", "s16": "s16", "s32": "s32", "s64": "s64",
                 "uint": "uint", "sint": "sint", "string": "string",
                 "flag": "flag", "": "binary"}

    def messages(self):
        """What the kernel sends: ({(command, mode): {"attrs": {attr: {types}},
        "where": {attr: {function}}, "dynamic": {expr: type}, "funcs": {...},
        "certain": bool}}, [(function, command expression) that could not be
        resolved]).  certain is False for a reply built with a command chosen
        at run time below a handler that serves several commands (it may be
        sent for only some of them).

        mode is "do" or "dump" (a reply, by the kind of handler that reaches
        the function building it) or "event" (a notification).  A message is
        built by a function that calls genlmsg_put(_reply); it carries what
        that function and every function it calls (that builds no message of
        its own) put with nla_put_*()."""
        funcs = self._functions()
        names = set(funcs)
        callees = {f: {g for g in names if g != f and self._calls(body, g)}
                   for f, (_, body) in funcs.items()}

        def reach(f, stop):
            seen, todo = set(), [f]
            while todo:
                g = todo.pop()
                for h in callees.get(g, ()):
                    if h not in seen and not stop(h):
                        seen.add(h)
                        todo.append(h)
            return seen

        def builds(f):
            body = funcs[f][1]
            return bool(self._calls(body, "genlmsg_put") or
                        self._calls(body, "genlmsg_put_reply"))

        puts = {}
        for f, (_, body) in funcs.items():
            lst = []
            for m in re.finditer(r"\bnla_put(?:_([a-z0-9]+?))?(?:_64bit)?\s*\(", body):
                kind = m.group(1) or ""
                call = self._calls(body[m.start():], body[m.start():m.end()].split("(")[0].strip())
                if not call or len(call[0]) < 2:
                    continue
                lst.append((call[0][1].strip(), self.PUT_TYPES.get(kind, kind)))
            puts[f] = lst

        handlers = {}           # function -> {(command, mode)}
        served = {}             # handler -> {(command, mode)} it serves
        for c, ent in self.ops.items():
            for key, mode in (("doit", "do"), ("dumpit", "dump")):
                if key in ent:
                    served.setdefault(ent[key], set()).add((c, mode))
        for h, kinds in served.items():
            for g in {h} | reach(h, lambda _g: False):
                handlers.setdefault(g, set()).update(kinds)
        # a message whose command is decided at run time, built below a
        # handler that serves several commands, may be sent for only some
        # of them: certain only below a handler of one command
        certain_below = set()
        for h, kinds in served.items():
            if len(kinds) == 1:
                for g in {h} | reach(h, lambda _g: False):
                    certain_below.add((g, next(iter(kinds))))

        def cmds_of(f, expr, depth=0):
            expr = expr.strip()
            if re.fullmatch(r"PPT_CMD_\w+", expr):
                return {expr}
            params = funcs[f][0]
            if depth > 8 or expr not in params:
                return None
            i, out = params.index(expr), set()
            for g, (_, body) in funcs.items():
                for args in self._calls(body, f) if g != f else []:
                    if i >= len(args):
                        return None
                    sub = cmds_of(g, args[i], depth + 1)
                    if sub is None:
                        return None
                    out |= sub
            return out or None

        sent, unresolved = {}, []
        for f, (_, body) in funcs.items():
            sites = ([a[5] for a in self._calls(body, "genlmsg_put") if len(a) > 5] +
                     [a[4] for a in self._calls(body, "genlmsg_put_reply") if len(a) > 4])
            if not sites:
                continue
            parts = {f} | reach(f, builds)
            for expr in sites:
                lits = cmds_of(f, expr)
                reached = handlers.get(f, set())
                if lits is not None:
                    kinds = {(c, m) for c, m in reached if c in lits}
                    for c in lits - {c for c, _ in kinds}:
                        kinds.add((c, "event"))
                    certain = set(kinds)
                else:
                    kinds = set(reached)
                    certain = {kd for kd in kinds if (f, kd) in certain_below}
                if not kinds:
                    unresolved.append((f, expr.strip()))
                for key in kinds:
                    msg = sent.setdefault(key, {"attrs": {}, "where": {},
                                                "dynamic": {}, "funcs": set(),
                                                "certain": False})
                    msg["funcs"].add(f)
                    msg["certain"] |= key in certain
                    for g in parts:
                        for attr, typ in puts[g]:
                            if re.fullmatch(r"PPT_A_\w+", attr):
                                msg["attrs"].setdefault(attr, set()).add(typ)
                                msg["where"].setdefault(attr, set()).add(g)
                            else:
                                msg["dynamic"][attr] = typ
        return sent, unresolved

    @staticmethod
    def _fields(text):
        out = {}
        for item in split_top(text):
            m = re.fullmatch(r"\.(\w+)\s*=\s*(.+)", item, re.S)
            if m:
                out[m.group(1)] = " ".join(m.group(2).split())
        return out


def spec_len(spec, y, key="max-len"):
    ml = (y.get("checks") or {}).get(key)
    if ml is None:
        return None
    names = {n: v for n, (_, v) in spec.consts.items()}
    names.update({sn: v for _, (sn, v) in spec.consts.items()})
    expr = re.sub(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+",
                  lambda m: str(names.get(m.group(0), m.group(0))), str(ml))
    return eval_int(expr, names)


def check_kernel(tap, hdr, spec, path):
    rel = os.path.relpath(path, ROOT) if str(path).startswith(str(ROOT)) else path
    try:
        k = Kernel(path, hdr)
        if not k.ops:
            raise ParseError("no genl_ops table found")
    except Exception as exc:    # the file may be mid-edit: report, go on
        tap.check(f"kernel: {rel} genl_ops and policies can be read",
                  [f"cannot read {rel}: {exc}"])
        return
    tap.check(f"kernel: {rel} genl_ops and policies can be read", [])

    missing = []
    for name, c, _, op in spec.ops.entries:
        if "do" not in op and "dump" not in op:
            continue
        p = []
        ent = k.ops.get(c)
        if ent is None:
            missing.append(name)
            tap.check(f"kernel: {name} ({c}) is implemented as the spec says",
                      [f"{c} has no genl_ops entry in {rel} (spec operation "
                       f"'{name}' is not implemented in the kernel)"])
            continue
        for mode, handler in (("do", "doit"), ("dump", "dumpit")):
            if (mode in op) != (handler in ent):
                p.append(f"{c}: spec {'has' if mode in op else 'has no'} {mode}, "
                         f"the kernel {'has no' if handler not in ent else 'has a'} "
                         f".{handler}")
        admin = "admin-perm" in (op.get("flags") or [])
        if admin != ("GENL_ADMIN_PERM" in ent.get("flags", "")):
            p.append(f"{c}: spec flags admin-perm is {admin}, the kernel's "
                     f"GENL_ADMIN_PERM is {not admin}")
        if "do" in op and "doit" in ent:
            pol_name = ent.get("doit_policy")
            want = [spec.attr(op["attribute-set"], a) for a in
                    ((op["do"] or {}).get("request") or {}).get("attributes") or []]
            want = {a[1]: a for a in want if a}
            if pol_name is None:
                if want:
                    p.append(f"{c}: .doit has no policy; spec's do request lists "
                             f"{', '.join(sorted(want))}")
            elif pol_name not in k.policies:
                p.append(f"{c}: policy {pol_name} is not a static nla_policy table "
                         f"in {rel}")
            else:
                pol = k.policies[pol_name]
                for a in sorted(set(pol) - set(want)):
                    p.append(f"{c}: policy {pol_name} accepts {a}, which the spec's "
                             f"'{name}' do request lacks")
                for a in sorted(set(want) - set(pol)):
                    p.append(f"{c}: spec's '{name}' do request lists "
                             f"'{want[a][0]}', policy {pol_name} lacks {a}")
                for a in sorted(set(want) & set(pol)):
                    y, pe = want[a][3], pol[a]
                    ktype = NLA_TYPES.get(pe["type"])
                    if ktype != y.get("type"):
                        p.append(f"{c}: {a} is NLA_{pe['type']} in {pol_name}, "
                                 f"type {y.get('type')} in the spec")
                    ref = spec.enums.get(y.get("enum"))
                    if (ref and not y.get("enum-as-flags") and pe["max"] is not None
                            and pe["max"] != max(v for _, _, v, _ in ref.entries)):
                        p.append(f"{c}: {a} is bounded to {pe['max']} in {pol_name}, "
                                 f"the spec's enum '{ref.name}' ends at "
                                 f"{max(v for _, _, v, _ in ref.entries)}")
                    slen = spec_len(spec, y)
                    if pe["len"] != slen and ktype in ("string", "binary"):
                        p.append(f"{c}: {a} .len is {pe['len']} in {pol_name}, "
                                 f"checks max-len is {slen} in the spec")
                    if not ref and ktype not in ("string", "binary", "flag", "nest"):
                        for key in ("min", "max"):
                            want_v = spec_len(spec, y, key)
                            if pe[key] != want_v:
                                p.append(f"{c}: {a} {key} is {pe[key]} in {pol_name}, "
                                         f"checks {key} is {want_v} in the spec")
        tap.check(f"kernel: {name} ({c}) is implemented as the spec says", p)

    p = []
    for c in sorted(k.ops):
        ent = spec.ops.by_c.get(c)
        if ent is None:
            p.append(f"the kernel's genl_ops has {c}, which the spec lacks")
        elif "do" not in ent[3] and "dump" not in ent[3]:
            p.append(f"the kernel's genl_ops has {c}, a notification in the spec")
    tap.check("kernel: every command in genl_ops is a spec operation", p)
    if missing:
        print(f"# the kernel lacks: {', '.join(missing)}")
    check_kernel_sends(tap, spec, k, rel)


def check_kernel_sends(tap, spec, k, rel):
    """Each reply, dump and notification the kernel builds carries exactly the
    attributes the spec lists for it, with the spec's types."""
    try:
        sent, unresolved = k.messages()
    except Exception as exc:    # the file may be mid-edit: report, go on
        tap.check(f"kernel: the messages {rel} sends can be read",
                  [f"cannot read what {rel} sends: {exc}"])
        return
    tap.check(f"kernel: the messages {rel} sends can be read",
              [f"{fn}: genlmsg_put with command '{e}', which names no command "
               f"and is reached from no handler" for fn, e in unresolved])
    aset_of = {}
    for name, c, _, op in spec.ops.entries:
        kinds = []
        if "event" in op:
            kinds.append(("event", "event", (op.get("event") or {}).get("attributes")))
        for mode in ("do", "dump"):
            if mode in op:
                kinds.append((mode, f"{mode} reply",
                              ((op[mode] or {}).get("reply") or {}).get("attributes")))
        for mode, label, lst in kinds:
            aset = op.get("attribute-set")
            aset_of[(c, mode)] = aset
            got = sent.get((c, mode))
            p = []
            if got is None:
                if lst is not None:
                    p.append(f"{c}: the spec's '{name}' {label} lists "
                             f"{', '.join(lst) or 'no attributes'}, the kernel "
                             f"sends no such message")
                tap.check(f"kernel: {name} ({c}) {label}: the attributes the "
                          f"kernel sends are the spec's", p)
                continue
            if lst is None and not got["certain"]:
                print(f"# {c}: the kernel may send a {label} message "
                      f"({', '.join(sorted(got['funcs']))}, below a handler of "
                      f"several commands); the spec's '{name}' has none: not "
                      f"decided here")
                tap.check(f"kernel: {name} ({c}) {label}: the attributes the "
                          f"kernel sends are the spec's", [])
                continue
            if lst is None:
                p.append(f"{c}: the kernel sends a {label} message "
                         f"({', '.join(sorted(got['funcs']))}), the spec's "
                         f"'{name}' has no {label} attribute list")
                lst = []
            want = {}
            for a in lst:
                ent = spec.attr(aset, a)
                if ent:
                    want[ent[1]] = ent
            dyn = got["dynamic"]
            for a in sorted(set(got["attrs"]) - set(want)):
                p.append(f"{c}: the kernel sends {a} in the {label} "
                         f"({', '.join(sorted(got['where'][a]))}), the spec's "
                         f"'{name}' {label} lacks it")
            for a in sorted(set(want) - set(got["attrs"])):
                if want[a][3].get("type") in dyn.values():
                    continue    # may be the attribute chosen at run time
                p.append(f"{c}: the spec's '{name}' {label} lists '{want[a][0]}' "
                         f"({a}), which the kernel does not send")
            for a in sorted(set(want) & set(got["attrs"])):
                ktypes = got["attrs"][a]
                stype = want[a][3].get("type")
                if any(t != stype for t in ktypes):
                    p.append(f"{c}: the kernel sends {a} as {'/'.join(sorted(ktypes))} "
                             f"in the {label}, type {stype} in the spec")
            desc = (f"kernel: {name} ({c}) {label}: the attributes the kernel "
                    f"sends are the spec's")
            if dyn:
                desc += (" (attributes chosen at run time: "
                         f"{', '.join(sorted(set(dyn)))})")
            tap.check(desc, p)
    p = []
    for (c, mode), got in sorted(sent.items()):
        if (c, mode) not in aset_of and got["certain"]:
            ent = spec.ops.by_c.get(c)
            p.append(f"the kernel sends {c} as a {mode} message "
                     f"({', '.join(sorted(got['funcs']))}), which the spec's "
                     f"'{ent[0] if ent else c}' does not describe")
    tap.check("kernel: every message the kernel sends is described by the spec", p)


# --- the kernel's own tools (tools/net/ynl of linux-source-6.12) ----------------

# 6.12's ynl-gen-c cannot make user-space code for a multi-attr string
# (claim-addr): it raises one of these.  Anything else is a failure.
YNL_USER_LIMITS = ("Sub-type string not supported yet",
                   "Free of MultiAttr sub-type string not supported yet")


def find_ynl(arg):
    """(directory, None) or (None, why): the extract of linux-source-6.12
    with tools/net/ynl and Documentation/netlink."""
    if arg:
        d = Path(arg)
    else:
        r = subprocess.run([str(YNL_TOOLS)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            return None, (r.stderr.strip() or f"{YNL_TOOLS} failed")
        d = Path(r.stdout.strip())
    for f in ("tools/net/ynl/cli.py", "tools/net/ynl/ynl-gen-c.py",
              "tools/net/ynl/lib/nlspec.py", "Documentation/netlink/genetlink-c.yaml"):
        if not (d / f).is_file():
            return None, f"{d} has no {f}"
    return d, None


def run_py(args, cwd=None):
    r = subprocess.run(["/usr/bin/python3"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, cwd=cwd, timeout=300)
    return r.returncode, r.stdout


def last_error(out):
    lines = [ln for ln in out.strip().splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "(no output)"


def check_ynl(tap, hdr, spec, ynl_arg, kernel_path):
    """The spec as the kernel's own tools see it."""
    ydir, why = find_ynl(ynl_arg)
    if ydir is None:
        tap.check("ynl: the kernel's tools from linux-source-6.12 are at hand "
                  "(scripts/ynl-tools.sh)", [why])
        return
    tap.check("ynl: the kernel's tools from linux-source-6.12 are at hand "
              "(scripts/ynl-tools.sh)", [])
    print(f"# ynl    {ydir}")
    proto = spec.y.get("protocol", "genetlink")
    schema_path = ydir / "Documentation" / "netlink" / f"{proto}.yaml"

    # the schema, with jsonschema as ynl's library uses it
    p = []
    try:
        import jsonschema
        with open(schema_path) as f:
            schema = yaml.safe_load(f)
        v = jsonschema.Draft7Validator(schema)
        for e in sorted(v.iter_errors(spec.y), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(x) for x in e.absolute_path) or "the top level"
            p.append(f"at {where}: {e.message[:300]}")
        if proto != "genetlink-c":
            p.append(f"the spec's protocol is {proto!r}, not genetlink-c")
    except ImportError:
        p.append("python3-jsonschema is missing (make deps installs it)")
    except OSError as exc:
        p.append(f"cannot read {schema_path}: {exc}")
    tap.check(f"ynl: the spec is valid against linux-source-6.12's {proto} schema", p)

    tmp = Path(tempfile.mkdtemp(prefix="ppt-check-ynl."))
    try:
        # the layout ynl-gen-c wants: a kernel tree (MAINTAINERS at its top)
        # with the spec in Documentation/netlink/specs/, the schema one up
        nl = tmp / "Documentation" / "netlink"
        (nl / "specs").mkdir(parents=True)
        (tmp / "MAINTAINERS").write_text("")
        (tmp / "out").mkdir()
        shutil.copy(schema_path, nl / schema_path.name)
        fam = spec.family
        sp = nl / "specs" / f"{fam}.yaml"
        shutil.copy(spec.path, sp)
        ynl = ydir / "tools" / "net" / "ynl"

        # ynl's library, as cli.py loads a spec
        code = ("import sys; sys.path.insert(0, sys.argv[1]);"
                "from lib import SpecFamily;"
                "f = SpecFamily(sys.argv[2], sys.argv[3]);"
                "print(' '.join(sorted(f.ops)));"
                "print(' '.join(sorted(m for m, o in f.msgs.items() if o.is_async)))")
        rc, out = run_py(["-c", code, str(ynl), str(sp), str(nl / schema_path.name)])
        p = []
        if rc != 0:
            p.append(f"SpecFamily() failed: {last_error(out)}")
        else:
            lines = out.strip().split("\n") + ["", ""]
            ops, ntfs = set(lines[0].split()), set(lines[1].split())
            want_ops = {n for n, _, _, y in spec.ops.entries if "do" in y or "dump" in y}
            want_ntf = {n for n, _, _, y in spec.ops.entries if "event" in y or "notify" in y}
            if ops != want_ops | want_ntf and ops != want_ops:
                p.append(f"ynl sees operations {sorted(ops)}")
            if ntfs != want_ntf:
                p.append(f"ynl sees notifications {sorted(ntfs)}, the spec has "
                         f"{sorted(want_ntf)}")
        tap.check("ynl: its library loads the spec as cli.py does, with every "
                  "operation and notification", p)

        # ynl-gen-c.py: the C header and the kernel's policies
        gen = {}
        for mode, part in (("uapi", "header"), ("kernel", "header"),
                           ("kernel", "source"), ("user", "header"),
                           ("user", "source")):
            o = tmp / "out" / f"{mode}-{part}"
            rc, out = run_py([str(ynl / "ynl-gen-c.py"), "--mode", mode, f"--{part}",
                              "--spec", str(sp), "-o", str(o)], cwd=str(tmp))
            what = f"ynl: ynl-gen-c.py --mode {mode} --{part} runs on the spec"
            if mode == "user" and rc != 0 and any(lim in out for lim in YNL_USER_LIMITS):
                tap.n += 1
                print(f"ok {tap.n} - {what} # SKIP linux-source-6.12's generator "
                      f"has no user-space code for a multi-attr string (claim-addr): "
                      f"{last_error(out)}")
                continue
            p = [] if rc == 0 else [f"ynl-gen-c exited {rc}: {last_error(out)}"]
            if rc == 0 and not o.is_file():
                p.append("ynl-gen-c wrote nothing")
            if rc == 0 and "Traceback" in out:
                p.append(f"ynl-gen-c: {last_error(out)}")
            if tap.check(what, p):
                gen[(mode, part)] = o

        if ("uapi", "header") in gen:
            check_ynl_uapi(tap, hdr, spec, gen[("uapi", "header")], tmp)
        if ("kernel", "source") in gen and kernel_path:
            check_ynl_policies(tap, hdr, gen[("kernel", "source")], kernel_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_ynl_uapi(tap, hdr, spec, path, tmp):
    """The uapi header ynl-gen-c generates is the real one, and compiles."""
    p = []
    try:
        g = Header(path)
    except (OSError, ParseError) as exc:
        tap.check("ynl: the generated uapi header has the header's enums and "
                  "#defines", [f"cannot read the generated header: {exc}"])
        return
    for name, vals in g.enums.items():
        have = hdr.enums.get(name)
        if have is None:
            p.append(f"the generated header has enum {name}, the header has none")
            continue
        # genetlink-c leaves command 0 unnamed; the header calls it UNSPEC
        if have and have[0][1] == 0 and all(v != 0 for _, v in vals):
            have = have[1:]
        if list(have) != list(vals):
            hd, gd = dict(have), dict(vals)
            diff = [f"{c} = {gd[c]} (header {hd.get(c, 'lacks it')})"
                    for c, _ in vals if hd.get(c) != gd[c]]
            diff += [f"{c} = {hd[c]} is not generated" for c, _ in have if c not in gd]
            if not diff:
                diff = ["the order differs"]
            p.append(f"enum {name}: generated " + "; ".join(diff[:6]))
    for name in hdr.enums:
        if name not in g.enums:
            p.append(f"the header's enum {name} is not generated from the spec")
    version_note = ""
    for c, body in g.defines.items():
        if c.startswith("_UAPI_"):
            continue
        have = hdr.defines.get(c)
        if have is None:
            p.append(f"the generated header defines {c} {body}, the header does not")
        elif have != body and eval_int(have, {}) != eval_int(body, {}):
            if (c == spec.c_version_name and spec.version_doc is not None
                    and "version" not in spec.y):
                version_note = (f" ({c} aside: genetlink-c has no version key, so "
                                f"the generator writes {body}; the header's {have} "
                                f"is in the spec's doc)")
                continue
            p.append(f"#define {c}: generated {body}, the header has {have}")
    for c, body in hdr.defines.items():
        if c.startswith("_UAPI_") or c in hdr.names or c in g.defines:
            continue
        p.append(f"the header's #define {c} {body} is not generated from the spec")
    tap.check("ynl: the generated uapi header has the header's enums and #defines"
              + version_note, p)

    src = tmp / "out" / "uapi-test.c"
    src.write_text(f'#include "{path}"\nint main(void) {{ return 0; }}\n')
    r = subprocess.run(["gcc", "-std=c11", "-Wall", "-Werror", "-fsyntax-only", str(src)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tap.check("ynl: the generated uapi header compiles (gcc -Wall -Werror)",
              [] if r.returncode == 0 else
              [f"gcc: {ln}" for ln in r.stdout.strip().splitlines()[:8]])


def check_ynl_policies(tap, hdr, path, kernel_path):
    """The policies ynl-gen-c generates from the spec are the kernel's."""
    p = []
    try:
        gk = Kernel(str(path), hdr)
        k = Kernel(kernel_path, hdr)
    except Exception as exc:    # the kernel file may be mid-edit
        tap.check("ynl: the policies ynl-gen-c generates are the kernel's",
                  [f"cannot read the policies: {exc}"])
        return
    for c, ent in sorted(gk.ops.items()):
        gpol = gk.policies.get(ent.get("doit_policy") or "", None)
        if "doit" not in ent or gpol is None:
            continue
        kent = k.ops.get(c, {})
        kpol = k.policies.get(kent.get("doit_policy") or "")
        if kpol is None:
            p.append(f"{c}: the kernel has no do policy")
            continue
        for a in sorted(set(gpol) | set(kpol)):
            ge, ke = gpol.get(a), kpol.get(a)
            if ge is None or ke is None:
                p.append(f"{c}: {a} is in the {'kernel' if ge is None else 'generated'} "
                         f"policy only")
                continue
            gt, kt = NLA_TYPES.get(ge["type"]), NLA_TYPES.get(ke["type"])
            for key, gv, kv in (("type", gt, kt), ("len", ge["len"], ke["len"]),
                                ("min", ge["min"], ke["min"]),
                                ("max", ge["max"], ke["max"])):
                if gv != kv:
                    p.append(f"{c}: {a} {key} is {gv} generated, {kv} in the kernel "
                             f"({ke['text'][:60]})")
    tap.check("ynl: the policies ynl-gen-c generates from the spec are the kernel's "
              "(type, length, range)", p)


# --- self-test: mutated copies must fail ---------------------------------------

def problem_lines(out):
    """The failure lines of a run, without test numbers."""
    lines = set()
    for ln in out.splitlines():
        if ln.startswith("not ok ") or ln.startswith("#   "):
            lines.add(re.sub(r"^not ok \d+", "not ok", ln))
    return lines


def run_self(header, spec, kernel, ydir=None):
    args = [sys.executable, __file__, "--no-self-test", "--header", str(header),
            "--spec", str(spec)]
    args += ["--kernel", str(kernel)] if kernel else ["--no-kernel"]
    args += ["--ynl", str(ydir)] if ydir else ["--no-ynl"]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return r.returncode, r.stdout


def sub_once(pattern, repl, text, flags=0):
    """text with the first match of pattern replaced; ValueError if none."""
    new, n = re.subn(pattern, repl, text, count=1, flags=flags)
    if not n:
        raise ValueError(f"no match for {pattern!r}")
    return new


def mutations(hdr, spec, kernel_path, ydir=None):
    """(what, file, make, needs) tuples; make() returns (mutated text, the
    token a new failure must name) and raises when the files give it nothing
    to mutate; needs is a set of "kernel" (checked against the kernel) and
    "ynl" (with the kernel's tools)."""
    attrs = next(iter(spec.attr_sets.values()))
    reals = [e for e in attrs.entries if e[2] > 0]
    enums = [e for e in spec.enums.values() if e.y.get("type") == "enum"]
    htext, stext = hdr.text, Path(spec.path).read_text()

    def spec_edit(fn):
        y = yaml.safe_load(stext)
        fn(y)
        return yaml.safe_dump(y, sort_keys=False)

    def spec_attrs(y):
        return next(s for s in y["attribute-sets"] if s["name"] == attrs.name)["attributes"]

    def spec_def(y, name):
        return next(d for d in y["definitions"] if d["name"] == name)

    def swap_attrs():
        a, b = reals[0][1], reals[1][1]
        return sub_once(rf"(\t{a},\n)(\t{b},\n)", r"\2\1", htext), b

    def rename_enumerator():
        c = enums[0].entries[-1][1]
        return sub_once(rf"\t{c},\n", f"\t{c}_X,\n", htext), f"{c}_X"

    def rename_string():
        name, c = enums[0].entries[1][:2]
        return (sub_once(rf'(\[{c}\]\s*=\s*)"{name}"', rf'\1"{name}x"', htext),
                f"{name}x")

    def undocument():
        c = reals[2][1]
        return sub_once(rf"^ \* @{c}:.*\n", "", htext, re.M), c

    def retype():
        name, c = next((e[0], e[1]) for e in reals if e[3].get("type") == "u16")

        def fn(y):
            next(a for a in spec_attrs(y) if a["name"] == name)["type"] = "u32"
        return spec_edit(fn), c

    def swap_entries():
        e = next(e for e in reversed(enums) if len(e.entries) > 2)

        def fn(y):
            ents = spec_def(y, e.name)["entries"]
            ents[1], ents[2] = ents[2], ents[1]
        return spec_edit(fn), e.entries[1][1]

    def drop_op():
        c = spec.ops.entries[-1][1]
        return spec_edit(lambda y: y["operations"]["list"].pop()), c

    def drop_doc():
        name, c = reals[2][:2]

        def fn(y):
            next(a for a in spec_attrs(y) if a["name"] == name).pop("doc")
        return spec_edit(fn), c

    def drop_event_attr():
        name, c, _, op = next(e for e in spec.ops.entries
                              if e[3].get("event") and e[3].get("mcgrp"))
        lst = op["event"]["attributes"]
        a = lst[len(lst) // 2]

        def fn(y):
            o = next(o for o in y["operations"]["list"] if o["name"] == name)
            o["event"]["attributes"].remove(a)
        return spec_edit(fn), spec.attr(op["attribute-set"], a)[1]

    def drop_sent_attr():
        src = Path(kernel_path).read_text()
        m = re.search(r"\n\tif \([^\n;]*\bnla_put_flag\(\s*\w+\s*,\s*(PPT_A_\w+)\s*\)\)"
                      r"\n\t\treturn -EMSGSIZE;", src)
        if not m:
            raise ValueError("no 'if (...nla_put_flag(msg, PPT_A_...)) return' statement")
        return src[:m.start()] + src[m.end():], m.group(1)

    def drop_stats_attr():
        name, c, _, op = next(e for e in spec.ops.entries if e[0] == "stats-get")
        a = next(a for a in op["dump"]["reply"]["attributes"]
                 if (spec.attr(op["attribute-set"], a)[3] or {}).get("multi-attr"))

        def fn(y):
            o = next(o for o in y["operations"]["list"] if o["name"] == name)
            o["dump"]["reply"]["attributes"].remove(a)
        return spec_edit(fn), spec.attr(op["attribute-set"], a)[1]

    def enum_entry_limit():
        name, c = next((e[0], e[1]) for e in reals
                       if e[3].get("enum") and not e[3].get("enum-as-flags"))
        enum = spec.enums[next(e[3]["enum"] for e in reals if e[0] == name)]

        def fn(y):
            a = next(a for a in spec_attrs(y) if a["name"] == name)
            a.setdefault("checks", {})["max"] = f"{enum.name}-max"
        return spec_edit(fn), "ynl-gen-c"

    def version_key():
        def fn(y):
            y["version"] = spec.version
        return spec_edit(fn), "'version' was unexpected"

    def drop_policy_attr():
        src = Path(kernel_path).read_text()
        m = re.search(r"nla_policy\s+\w+\s*\[[^\]]*\]\s*=\s*\{[^}]*?\n"
                      r"([ \t]*\[(\w+)\]\s*=[^\n]*\n)", src)
        if not m:
            raise ValueError("no nla_policy entry")
        return src[:m.start(1)] + src[m.end(1):], f"lacks {m.group(2)}"

    out = [
        ("header: two attributes swapped in enum", "header", swap_attrs, set()),
        ("header: the last state renamed", "header", rename_enumerator, set()),
        ("header: a state's printable name changed", "header", rename_string, set()),
        ("header: an attribute's kernel-doc removed", "header", undocument, set()),
        ("spec: a u16 attribute made u32", "spec", retype, set()),
        ("spec: two enum entries swapped", "spec", swap_entries, set()),
        ("spec: the last operation dropped", "spec", drop_op, set()),
        ("spec: an attribute's doc removed", "spec", drop_doc, set()),
    ]
    if kernel_path:
        out += [
            ("kernel: an attribute dropped from a policy", "kernel",
             drop_policy_attr, {"kernel"}),
            ("spec: an attribute the kernel sends dropped from a notification",
             "spec", drop_event_attr, {"kernel"}),
            ("kernel: a flag attribute no longer sent", "kernel", drop_sent_attr,
             {"kernel"}),
            ("spec: a repeated attribute the kernel sends dropped from the "
             "stats-get dump", "spec", drop_stats_attr, {"kernel"}),
        ]
    if ydir:
        out += [
            ("spec: an enum entry as a check limit (max: ENUM-max)", "spec",
             enum_entry_limit, {"ynl"}),
            ("spec: a version key, which genetlink-c does not have", "spec",
             version_key, {"ynl"}),
        ]
    return out


def self_test(tap, hdr, spec, kernel_path, ydir=None):
    """Mutate copies of the files and expect each to add a named failure."""
    tmp = Path(tempfile.mkdtemp(prefix="ppt-check-spec."))
    try:
        base = {"header": tmp / "ppt.h", "spec": tmp / "ppt.yaml",
                "kernel": Path(kernel_path) if kernel_path else None}
        shutil.copy(hdr.path, base["header"])
        shutil.copy(spec.path, base["spec"])
        baseline = {}
        for what, which, make, needs in mutations(hdr, spec, kernel_path, ydir):
            try:
                text, token = make()
            except (ValueError, StopIteration, IndexError, KeyError, OSError,
                    TypeError) as exc:
                tap.check(f"self-test: {what} is detected",
                          [f"the mutation does not apply to the {which} file: {exc}"])
                continue
            files = dict(base)
            if "kernel" not in needs:
                files["kernel"] = None
            files[which] = tmp / f"mutated.{which}"
            files[which].write_text(text)
            key = ("kernel" in needs, "ynl" in needs)
            yd = ydir if "ynl" in needs else None
            if key not in baseline:
                _, out = run_self(base["header"], base["spec"],
                                  base["kernel"] if key[0] else None, yd)
                baseline[key] = problem_lines(out)
            rc, out = run_self(files["header"], files["spec"], files["kernel"], yd)
            new = problem_lines(out) - baseline[key]
            p = []
            if rc == EXIT_OK:
                p.append("the checker passed the mutated copy")
            elif not any(token in ln for ln in new):
                p.append(f"no new failure names {token}")
                p += [f"new: {ln}" for ln in sorted(new)[:5]]
            tap.check(f"self-test: {what} ({token}) is detected", p)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- main ---------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        prog=PROG, description="Check docs/netlink/ppt.yaml against the uapi "
        "header and the kernel's netlink policies; prints TAP.")
    ap.add_argument("--header", default=str(HEADER), help="uapi header (%(default)s)")
    ap.add_argument("--spec", default=str(SPEC), help="YAML spec (%(default)s)")
    ap.add_argument("--kernel", default=str(KERNEL),
                    help="kernel netlink source (%(default)s)")
    ap.add_argument("--no-kernel", action="store_true",
                    help="skip the kernel policy checks")
    ap.add_argument("--no-self-test", action="store_true",
                    help="skip running the checker on mutated copies")
    ap.add_argument("--ynl", metavar="DIR",
                    help="an extract of linux-source-6.12 with tools/net/ynl and "
                    "Documentation/netlink (default: scripts/ynl-tools.sh's)")
    ap.add_argument("--no-ynl", action="store_true",
                    help="skip the checks with the kernel's ynl tools")
    args = ap.parse_args()

    try:
        hdr = Header(args.header)
        spec = Spec(args.spec)
    except (OSError, yaml.YAMLError, ParseError, KeyError, TypeError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        print(f"not ok 1 - read the header and the spec # {exc}")
        print("1..1")
        return EXIT_USAGE

    tap = Tap()
    print(f"# header {args.header}")
    print(f"# spec   {args.spec}")
    check_spec_shape(tap, spec)
    check_family(tap, hdr, spec)
    check_enums(tap, hdr, spec)
    check_attr_types(tap, hdr, spec)
    check_names(tap, hdr, spec)
    if not args.no_ynl:
        check_ynl(tap, hdr, spec, args.ynl, None if args.no_kernel else args.kernel)
    if not args.no_self_test:
        ydir = None
        if not args.no_ynl:
            ydir, _ = find_ynl(args.ynl)
        self_test(tap, hdr, spec, None if args.no_kernel else args.kernel, ydir)
    if not args.no_kernel:
        print(f"# kernel {args.kernel}")
        check_kernel(tap, hdr, spec, args.kernel)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
