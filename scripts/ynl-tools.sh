#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel's own netlink-spec tools, from Debian's linux-source-6.12:
# tools/net/ynl/ (cli.py, ynl-gen-c.py and their lib/) and
# Documentation/netlink/ (the genetlink schemas).  Extracts them once into
# ${PPT_CACHE:-~/.cache/ppt}/ynl/VERSION/ (VERSION: the package's) and
# prints that directory, which has the source tree's layout:
#
#   DIR/tools/net/ynl/cli.py   DIR/Documentation/netlink/genetlink-c.yaml
#
#   scripts/ynl-tools.sh [--no-extract]
#
# --no-extract only looks (for a reader that cannot write the cache, such
# as a VM test through hostfs).  Used by tests/userspace/check-spec.py and
# tests/vm/66-ynl.sh; never copy these files into the tree.
# Exit status: 0 and the directory on stdout; 1 with the reason on stderr.
set -euo pipefail

extract=1
case ${1:-} in
--no-extract) extract=0 ;;
"") ;;
*) echo "usage: $0 [--no-extract]" >&2; exit 1 ;;
esac

pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
cache=${PPT_CACHE:-$HOME/.cache/ppt}/ynl
if [ ! -f "$tarball" ]; then
	echo "ynl-tools: $tarball missing; run 'make deps' (package $pkg)" >&2
	exit 1
fi
ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
[ -n "$ver" ] || ver=$(stat -c %s-%Y "$tarball")
dir=$cache/$ver
if [ -f "$dir/tools/net/ynl/cli.py" ] && [ -f "$dir/Documentation/netlink/genetlink-c.yaml" ]; then
	echo "$dir"
	exit 0
fi
if [ "$extract" -eq 0 ]; then
	echo "ynl-tools: no extract of $pkg $ver in $cache; run scripts/ynl-tools.sh on the host" >&2
	exit 1
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" --strip-components=1 -xJf "$tarball" \
	"$pkg/tools/net/ynl" "$pkg/Documentation/netlink"
# another extraction may have finished meanwhile: keep the first
if [ ! -d "$dir" ]; then
	mv "$tmp" "$dir" 2>/dev/null || true
fi
# older package versions' extracts are stale
for old in "$cache"/*; do
	[ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
done
[ -f "$dir/tools/net/ynl/cli.py" ] || { echo "ynl-tools: extraction into $dir failed" >&2; exit 1; }
echo "$dir"
