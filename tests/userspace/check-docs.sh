#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-docs.sh - fail when the manual pages or the bash completion drift
# from the code.  Prints TAP.
#
#   tests/userspace/check-docs.sh [--cli DOCS_CLI] [--pptadm-page FILE]
#       [--ppt-page FILE] [--variants-page FILE] [--completion FILE]
#       [--readme FILE] [--only PART] [--no-self-test]
#
# What it checks (--only runs one PART):
#   lint     docs/man/pptadm.8, docs/man/ppt.4 and docs/man/ppt-variants.5
#            format without a warning
#            from groff (-man -ww), mandoc (-Tlint, warnings and worse) and
#            man (--warnings, 80 columns);
#   pptadm   the commands, options and -o fields pptadm's help prints (from
#            pptadm's own args.c, through tests/userspace/docs_cli.c), and
#            the options its parser lets each command take: the help
#            mentions each option a command takes and no other; pptadm.8
#            has a COMMANDS subsection for every command (and no other), in
#            which every option the command takes appears, every option in
#            OPTIONS, every command in SYNOPSIS, exactly the device and match
#            fields under OUTPUT, and the boot lists file and its variable
#            (userspace/pptadm/persist.h) and the variants file and its
#            variable (variants.h) under FILES and ENVIRONMENT; --variants
#            and --pretty, which every command takes, count as global like
#            -j; check's subsection names every status check.c has;
#   schema   the JSON Schema of pptadm's output (userspace/pptadm/
#            pptadm.schema.json): pptadm.8's "JSON Schema" names its $id and
#            every output it defines, and FILES the file; userspace/Makefile
#            installs it and README.md's install list lists it (check-schema.py
#            checks the schema against the output);
#   variants ppt-variants.5 describes every variant type variants.c has,
#            and the variants file and its variable of variants.h;
#   ppt      ppt.4's PARAMETERS are the module's (module_param and
#            MODULE_PARM_DESC in kernel/ppt_main.c, and modinfo of a built
#            ppt.ko no older than that file), its DEVICE STATES, reset
#            methods and netlink commands are include/uapi/linux/ppt.h's,
#            and it names the family's version;
#   bash     the completion (userspace/pptadm/pptadm.bash-completion),
#            sourced in a bare bash, offers every command for "pptadm ",
#            exactly the options each command takes, the fields after -o,
#            auto flr pm sbr after --method, the match kinds, and device
#            addresses: managed ones (from a stand-in pptadm) by state, the
#            host's from a stand-in sysfs, bridges left out, and the part
#            after a ':' when the word has one.
#
# Then it proves it can fail (unless --no-self-test): it runs itself on
# copies with one thing taken out (a command's subsection, an option, a
# field, a parameter, a state, a command or method from the completion, a
# formatting error) and expects each run to fail, naming what is missing.
#
# DOCS_CLI defaults to $PPT_DOCS_CLI, which tests/userspace/Makefile sets;
# without either it is compiled into a temporary directory.
# Exit status: 0 every check passed, 1 one failed, 2 usage error.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
self=$top/tests/userspace/check-docs.sh
page8=$top/docs/man/pptadm.8
page4=$top/docs/man/ppt.4
page5=$top/docs/man/ppt-variants.5
variants_c=$top/userspace/pptadm/variants.c
variants_h=$top/userspace/pptadm/variants.h
comp=$top/userspace/pptadm/pptadm.bash-completion
header=$top/include/uapi/linux/ppt.h
kmain=$top/kernel/ppt_main.c
persist=$top/userspace/pptadm/persist.h
schema=$top/userspace/pptadm/pptadm.schema.json
checkc=$top/userspace/pptadm/check.c
usmake=$top/userspace/Makefile
readme=$top/README.md
build=${PPT_BUILD:-$top/build}
cli=${PPT_DOCS_CLI:-}
clicache=
selftest=1
only=

usage() { sed -n '4,6s/^# \{0,1\}//p' "$self"; }
part() { [ -z "$only" ] || [ "$only" = "$1" ]; }
while [ $# -gt 0 ]; do
	case $1 in
	--cli)		cli=$2; shift 2 ;;
	--cli-cache)	clicache=$2; shift 2 ;;
	--pptadm-page)	page8=$2; shift 2 ;;
	--ppt-page)	page4=$2; shift 2 ;;
	--variants-page) page5=$2; shift 2 ;;
	--completion)	comp=$2; shift 2 ;;
	--readme)	readme=$2; shift 2 ;;
	--no-self-test)	selftest=; shift ;;
	--only)		only=$2; shift 2
		case $only in lint|pptadm|ppt|variants|bash|schema) ;; *) usage >&2; exit 2 ;; esac ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # skip $*"; }
note() { sed 's/^/#   /'; }

# words LIST...: one word a line, sorted, unique
words() { printf '%s\n' $* | sed '/^$/d' | sort -u; }

# same WHAT WANT GOT: the two word lists are equal
same() {
	local what=$1 miss extra
	miss=$(comm -23 <(words "$2") <(words "$3") | tr '\n' ' ')
	extra=$(comm -13 <(words "$2") <(words "$3") | tr '\n' ' ')
	if [ -z "$miss$extra" ]; then
		ok "$what"
	else
		notok "$what"
		[ -z "$miss" ] || echo "#   missing: $miss"
		[ -z "$extra" ] || echo "#   not expected: $extra"
	fi
}

# covers WHAT WANT GOT: every word of WANT is in GOT
covers() {
	local miss
	miss=$(comm -23 <(words "$2") <(words "$3") | tr '\n' ' ')
	if [ -z "$miss" ]; then
		ok "$1"
	else
		notok "$1"
		echo "#   missing: $miss"
	fi
}

# --- roff --------------------------------------------------------------

# The text of roff source, without font escapes, macro names and quotes.
roff_text() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' -e 's/\\-/-/g' \
	    -e 's/\\(dq/"/g' -e 's/\\[%&c:]//g' -e 's/\\e/\\/g' \
	    -e 's/^\.[A-Za-z][A-Za-z]* *//' -e 's/"//g'
}

# section FILE SH [SS]: the source of a .SH section, or of one .SS in it;
# SS "-" is the section's text before its first .SS.
section() {
	awk -v sh="$2" -v ss="${3-}" '
	function title(l) { sub(/^\.S[HS][ \t]+/, "", l); gsub(/"/, "", l); return l }
	/^\.SH/ { insh = title($0) == sh; inss = 0; seen = 0; next }
	/^\.SS/ { if (insh) { inss = title($0) == ss; seen = 1 } ; if (ss != "") next }
	insh && (ss == "" || (ss == "-" && !seen) || inss) { print }
	' "$1"
}

# subsections FILE SH: the first word of each .SS in a section
subsections() {
	awk -v sh="$2" '
	/^\.SH/ { t = $0; sub(/^\.SH[ \t]+/, "", t); gsub(/"/, "", t); insh = t == sh; next }
	insh && /^\.SS/ { t = $0; sub(/^\.SS[ \t]+/, "", t); gsub(/"/, "", t); split(t, w, " "); print w[1] }
	' "$1"
}

# tags: the tag of each .TP in roff source on stdin, up to a '='
tags() {
	awk 'tp { print; tp = 0; next } /^\.TP/ { tp = 1 }' | roff_text |
		awk '{ t = $1; sub(/=.*/, "", t); print t }'
}

# mentions TEXT WORD: WORD (letters, digits, '_', '-', '=') appears in TEXT
# as a word of its own
mentions() {
	local re="(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)"
	[[ $1 =~ $re ]]
}

# unmentioned TEXT WORDS WHAT: the WORDS that TEXT does not mention, or
# "(no WHAT)" when WORDS is empty
unmentioned() {
	local w
	for w in $2; do
		mentions "$1" "$w" || printf '%s ' "$w"
	done
	[ -n "$2" ] || printf '(no %s) ' "$3"
}

vconf=$(sed -n 's/^#define VARIANTS_DEFAULT_PATH[ \t]*"\(.*\)"/\1/p' "$variants_h")
venv=$(sed -n 's/^#define VARIANTS_ENV[ \t]*"\(.*\)"/\1/p' "$variants_h")

# --- what pptadm says -------------------------------------------------

if [ -z "$cli" ]; then
	us=$top/userspace
	cli=$tmp/docs_cli
	if ! cc -std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra -I"$us/include" -I"$us/lib" \
		-I"$us/pptadm" -I"$top/include/uapi" -DPPT_VERSION=\"test\" \
		$(pkg-config --cflags libnl-genl-3.0 2>/dev/null) -o "$cli" \
		"$top/tests/userspace/docs_cli.c" "$us/pptadm/args.c" "$us/pptadm/names.c" \
		"$us/pptadm/output.c" "$us/pptadm/json.c" "$us/pptadm/variants.c" "$us/pptadm/export.c" \
		"$us/lib/ppt_addr.c" 2>"$tmp/cc.log"; then
		notok "build docs_cli (pptadm's command line)"
		note <"$tmp/cc.log"
		echo "1..$n"
		exit 1
	fi
fi
# clirun ARGS: what "$cli ARGS" prints.  Kept in a cache that the self-test's
# runs of this script share: it is asked the same questions each time, and
# under the sanitizers each answer costs a process start.
[ -n "$clicache" ] || { clicache=$tmp/clicache; mkdir -p "$clicache"; }
clirun() {
	local key
	key=$clicache/$(printf '%s\0' "$cli" "$@" | md5sum | cut -d' ' -f1)
	if [ ! -f "$key" ]; then
		"$cli" "$@" >"$key.new" && mv "$key.new" "$key" || { cat "$key.new"; rm -f "$key.new"; return 1; }
	fi
	cat "$key"
}
if ! "$cli" help >"$tmp/help" 2>&1; then
	notok "$cli help runs"
	note <"$tmp/help"
	echo "1..$n"
	exit 1
fi

# commands: the first word of each "  command ..." line of the overview
# (match has a line for each of its forms)
verbs=$(sed -n '/^commands:/,/^$/p' "$tmp/help" | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' |
	awk '!seen[$0]++')
# options: "  -j, --json   text" -> -j --json; twins are the spellings of one
sed -n '/^options:/,/^$/p' "$tmp/help" | grep '^  -' | sed -E 's/^  //; s/ {2,}.*//' |
	grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' >"$tmp/options"
sed -n '/^options:/,/^$/p' "$tmp/help" | grep '^  -' | sed -E 's/^  //; s/ {2,}.*//' |
	while read -r line; do
		grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' <<<"$line" | tr -d ' ,' | tr '\n' ' '
		echo
	done >"$tmp/twins"
options=$(cat "$tmp/options")
declare -A twin
while read -r line; do
	for o in $line; do
		twin[$o]=$line
	done
done <"$tmp/twins"
twins_of() { echo "${twin[$1]:-$1}"; }
# what every command takes: -j (and --pretty with it), --help, --variants
global="-j --json --pretty -h --help --variants"

dev_fields=$(clirun help list | sed -n 's/^Fields (-o): //p' | tr ',' ' ')
match_fields=$(clirun help match | sed -n 's/^Fields (-o): //p' | tr ',' ' ')
sanitise_fields=$(clirun help sanitise | sed -n 's/^Fields (-o): //p' | tr ',' ' ')
match_kinds=$(clirun help match | sed -n 's/.* \([a-z]*\(|[a-z]*\)\{1,\}\) ENTRY.*/\1/p' | head -n1 | tr '|' ' ')

# takes VERB: the options pptadm's parser lets VERB take
for v in $verbs; do
	clirun takes "$v" $options | awk '$2 == "yes" { print $1 }' >"$tmp/takes.$v"
done
takes() { cat "$tmp/takes.$1"; }
# help_opts VERB: the options VERB's help mentions, in every spelling
help_opts() {
	local o
	for o in $(clirun help "$1" | grep -oE -- '(^|[^A-Za-z0-9-])--?[a-z][a-z-]*' |
		sed 's/^[^-]*//' | grep -Fx -f "$tmp/options" | sort -u); do
		twins_of "$o"
	done
}

[ -n "$verbs" ] && [ -n "$options" ] && [ -n "$dev_fields" ] && [ -n "$match_fields" ] && [ -n "$sanitise_fields" ] &&
	ok "pptadm's help lists commands, options and fields" ||
	notok "pptadm's help lists commands, options and fields (check-docs.sh reads them wrongly)"

unknown=$(clirun takes list $options | awk '$2 == "unknown" { print $1 }')
same "every option the overview lists is one pptadm parses" "" "$unknown"

bad=
for v in $verbs; do
	part pptadm || break
	[ "$v" = help ] && continue	# help ignores options
	t=$(takes "$v")
	h=$(help_opts "$v")
	extra=$(comm -13 <(words "$t") <(words "$h") | tr '\n' ' ')
	miss=$(comm -23 <(words "$t") <(words "$h $global") | tr '\n' ' ')
	[ -z "$extra" ] || bad+="$v: help mentions $extra, which it does not take; "
	[ -z "$miss" ] || bad+="$v: takes $miss, which its help does not mention; "
done
if ! part pptadm; then
	:
elif [ -z "$bad" ]; then
	ok "each command's help mentions exactly the options it takes (besides -j, -h)"
else
	notok "each command's help mentions exactly the options it takes (besides -j, -h)"
	echo "#   $bad"
fi

# --- lint --------------------------------------------------------------

lint() {
	local page=$1 out=$tmp/lint rc=0
	: >"$out"
	if command -v groff >/dev/null; then
		groff -man -ww -z -b "$page" >>"$out" 2>&1 || rc=1
	else
		echo "groff is missing (make deps installs groff-base)" >>"$out"; rc=1
	fi
	if command -v mandoc >/dev/null; then
		mandoc -Tlint -W warning "$page" >>"$out" 2>&1 || rc=1
	else
		echo "mandoc is missing (make deps installs it)" >>"$out"; rc=1
	fi
	if command -v man >/dev/null; then
		MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" \
			>/dev/null 2>>"$out" || rc=1
	else
		echo "man is missing (make deps installs man-db)" >>"$out"; rc=1
	fi
	if [ "$rc" -eq 0 ] && [ ! -s "$out" ]; then
		ok "lint ${page##*/}: groff, mandoc and man warn of nothing"
	else
		notok "lint ${page##*/}: groff, mandoc and man warn of nothing"
		note <"$out"
	fi
}
if part lint; then
	lint "$page8"
	lint "$page4"
	lint "$page5"
fi

# --- pptadm.8 ------------------------------------------------------------
if part pptadm; then

same "pptadm.8: a COMMANDS subsection for each command pptadm has" \
	"$verbs" "$(subsections "$page8" COMMANDS)"

synopsis=$(section "$page8" SYNOPSIS | roff_text)
miss=
for v in $verbs; do
	grep -qE "^pptadm $v( |\$)" <<<"$synopsis" || miss+="$v "
done
same "pptadm.8: every command in SYNOPSIS" "" "$miss"

opttext=$(section "$page8" OPTIONS | roff_text)
miss=
for o in $options; do
	mentions "$opttext" "$o" || miss+="$o "
done
same "pptadm.8: every option, in every spelling, under OPTIONS" "" "$miss"

bad=
for v in $verbs; do
	[ "$v" = help ] && continue
	text=$(section "$page8" COMMANDS "$v" | roff_text)
	for o in $(takes "$v"); do
		case " $global " in *" $o "*) continue ;; esac
		found=
		for s in $(twins_of "$o"); do
			mentions "$text" "$s" && found=1
		done
		[ -n "$found" ] || bad+="$v $o; "
	done
done
if [ -z "$bad" ]; then
	ok "pptadm.8: each command's subsection has every option it takes"
else
	notok "pptadm.8: each command's subsection has every option it takes"
	echo "#   missing: $bad"
fi

same "pptadm.8: the device fields under OUTPUT, Device fields" \
	"$dev_fields" "$(section "$page8" OUTPUT "Device fields" | tags)"
same "pptadm.8: the match fields under OUTPUT, Match fields" \
	"$match_fields" "$(section "$page8" OUTPUT "Match fields" | tags)"
same "pptadm.8: the sanitise rule fields under OUTPUT, Sanitise rule fields" \
	"$sanitise_fields" "$(section "$page8" OUTPUT "Sanitise rule fields" | tags)"

conf=$(sed -n 's/^#define PERSIST_DEFAULT_PATH[ \t]*"\(.*\)"/\1/p' "$persist")
envvar=$(sed -n 's/^#define PERSIST_ENV[ \t]*"\(.*\)"/\1/p' "$persist")
miss=
section "$page8" FILES | roff_text | grep -qF -- "$conf" || miss+="FILES:$conf "
section "$page8" ENVIRONMENT | tags | grep -qx -- "$envvar" || miss+="ENVIRONMENT:$envvar "
[ -n "$conf" ] && [ -n "$envvar" ] || miss+="(persist.h has no PERSIST_DEFAULT_PATH or PERSIST_ENV) "
same "pptadm.8: the boot lists file and PPT_MODPROBE_CONF, as persist.h has them" "" "$miss"

miss=
section "$page8" FILES | roff_text | grep -qF -- "$vconf" || miss+="FILES:$vconf "
section "$page8" ENVIRONMENT | tags | grep -qx -- "$venv" || miss+="ENVIRONMENT:$venv "
[ -n "$vconf" ] && [ -n "$venv" ] || miss+="(variants.h has no VARIANTS_DEFAULT_PATH or VARIANTS_ENV) "
same "pptadm.8: the variants file and PPT_VARIANTS, as variants.h has them" "" "$miss"

statuses=$(sed -n '/status_name\[\] = {/,/};/p' "$checkc" | grep -oE '"[A-Z]+"' | tr -d '"')
same "pptadm.8: check's subsection names every status check.c has" "" \
	"$(unmentioned "$(section "$page8" COMMANDS check | roff_text)" "$statuses" "status_name[] in check.c")"
fi

# --- the JSON Schema --------------------------------------------------------
if part schema; then
sid=$(sed -n 's/^  "\$id": "\(.*\)",$/\1/p' "$schema")
outs=$(sed -n '/^  "anyOf": \[/,/^  \],/p' "$schema" | sed -n 's|.*"#/\$defs/\([a-z_]*\)".*|\1|p')
text=$(section "$page8" OUTPUT "JSON Schema" | roff_text)
miss=$(unmentioned "$text" "$outs" "outputs in the schema's anyOf")
[ -n "$sid" ] && mentions "$text" "$sid" || miss+="\$id:${sid:-none} "
same "pptadm.8: JSON Schema names the schema's \$id and every output it defines" "" "$miss"
miss=
section "$page8" FILES | roff_text | grep -qF "pptadm.schema.json" || miss+="FILES "
grep -qE '^[[:space:]]+install .*pptadm/pptadm\.schema\.json ' "$usmake" || miss+="userspace/Makefile "
sed -n '/<!-- install-list begin -->/,/<!-- install-list end -->/p' "$readme" |
	grep -qE '^/[^ ]*/pptadm\.schema\.json( |$)' || miss+="README.md "
same "the schema is installed, listed in README.md and under FILES" "" "$miss"
fi

# --- ppt-variants.5 ---------------------------------------------------------
if part variants; then
types=$(sed -n 's/^[ \t]*\[VT_[A-Z_]*\] = "\([a-z-]*\)",/\1/p' "$variants_c")
typetext=$(sed -n '/^\.I TYPE$/,/^\.TP$/p' "$page5" | roff_text)
miss=$(unmentioned "$typetext" "$types" "type names found in variants.c")
same "ppt-variants.5: TYPE names every variant type variants.c has" "" "$miss"
miss=
section "$page5" FILES | roff_text | grep -qF -- "$vconf" || miss+="FILES:$vconf "
section "$page5" ENVIRONMENT | tags | grep -qx -- "$venv" || miss+="ENVIRONMENT:$venv "
same "ppt-variants.5: the variants file and its variable, as variants.h has them" "" "$miss"
fi

# --- ppt.4 ----------------------------------------------------------------
names_of() {	# names_of MACRO: the strings of a PPT_*_NAMES initializer
	sed -n "/^#define $1 {/,/^}/p" "$header" | sed -n 's/.*= *"\([a-z_]*\)".*/\1/p'
}

if part ppt; then

src_params=$(sed -nE 's/^[ \t]*module_param(_named|_cb)?\(([a-z_0-9]+),.*/\2/p' "$kmain")
desc_params=$(sed -nE 's/^[ \t]*MODULE_PARM_DESC\(([a-z_0-9]+),.*/\1/p' "$kmain")
page_params=$(section "$page4" PARAMETERS | tags)
same "kernel/ppt_main.c: every module_param has a MODULE_PARM_DESC" "$src_params" "$desc_params"
same "ppt.4: PARAMETERS are ppt_main.c's module parameters" "$src_params" "$page_params"

ko=
for k in "$build"/kmod/*/ppt.ko; do
	[ -f "$k" ] && [ ! "$kmain" -nt "$k" ] || continue
	[ -z "$ko" ] || [ "$k" -nt "$ko" ] && ko=$k
done
if [ -z "$ko" ]; then
	skip "ppt.4: PARAMETERS are modinfo's (no ppt.ko built since kernel/ppt_main.c changed)"
elif ! command -v modinfo >/dev/null; then
	skip "ppt.4: PARAMETERS are modinfo's (modinfo is missing; make deps installs kmod)"
else
	same "ppt.4: PARAMETERS are modinfo's, ${ko#"$top"/}" \
		"$(modinfo -F parm "$ko" | sed -n 's/^\([a-z_0-9]*\):.*/\1/p')" "$page_params"
fi

same "ppt.4: DEVICE STATES are the header's states" \
	"$(names_of PPT_STATE_NAMES | grep -vx unspec)" "$(section "$page4" "DEVICE STATES" - | tags)"
same "ppt.4: Reset methods are the header's" \
	"$(names_of PPT_RESET_NAMES)" "$(section "$page4" "RESET AND CLEANING" "Reset methods" | tags)"
same "ppt.4: NETLINK INTERFACE, Commands are the header's enum ppt_cmd" \
	"$(sed -n '/^enum ppt_cmd {/,/^};/p' "$header" | grep -oE '\bPPT_CMD_[A-Z_]+' |
		grep -vE '^PPT_CMD_(UNSPEC|MAX)$')" \
	"$(section "$page4" "NETLINK INTERFACE" Commands | tags)"
ver=$(sed -n 's/^#define PPT_GENL_VERSION[ \t]*\([0-9]*\).*/\1/p' "$header")
nltext=$(section "$page4" "NETLINK INTERFACE" - | roff_text | tr '\n' ' ')
if [ -n "$ver" ] && grep -q "version $ver " <<<"$nltext"; then
	ok "ppt.4: the family's version is the header's ($ver)"
else
	notok "ppt.4: the family's version is the header's (${ver:-none found})"
fi
fi

# --- bash completion ------------------------------------------------------
if part bash; then

# A stand-in pptadm and sysfs for the device completions.
mkdir -p "$tmp/bin" "$tmp/sys"
cat >"$tmp/bin/pptadm" <<'EOF'
#!/bin/sh
case "$*" in
"list -p -o addr,state")
	printf '%s\n' '0000\:3b\:00.0:reserved' '0000\:3b\:00.1:claimed' '0000\:5e\:00.0:assigned' ;;
"list -p -o owner")
	printf '%s\n' '' 'vm-1' 'vm-2' ;;
"match list -p -o kind,text,boot")
	printf '%s\n' 'ids:10de\:1db4:yes' 'device:0000\:5e\:00.0:no' ;;
"list -a -p -o path")
	printf '%s\n' '0000\:00/03.0/00.0' ;;
esac
EOF
chmod +x "$tmp/bin/pptadm"
sysdev() {	# sysdev ADDR CLASS VENDOR DEVICE
	mkdir -p "$tmp/sys/$1"
	echo "$2" >"$tmp/sys/$1/class"
	echo "$3" >"$tmp/sys/$1/vendor"
	echo "$4" >"$tmp/sys/$1/device"
}
sysdev 0000:00:03.0 0x060400 0x8086 0x7f00
sysdev 0000:3b:00.0 0x030000 0x10de 0x1db4
sysdev 0000:3b:00.1 0x040300 0x10de 0x10f0

# complete LINE: what the completion offers at the end of LINE, typed to
# the stand-in pptadm, in a bash with nothing else loaded
complete_line() {
	local line=${1/#pptadm/$tmp/bin/pptadm}
	env -i PATH="$PATH" HOME="$tmp" bash --norc --noprofile -c '
		_pptadm_sysfs=$2
		source "$1" || exit 3
		COMP_WORDBREAKS=$'"'"' \t\n"\x27><=;|&(:'"'"'
		COMP_LINE=$3
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"$COMP_LINE"
		COMP_CWORD=${#COMP_WORDS[@]}
		_pptadm 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$tmp/sys" "$line"
}

if env -i bash --norc --noprofile -c 'source "$1" && complete -p pptadm' _ "$comp" 2>&1 |
	grep -q -- '-F _pptadm pptadm'; then
	ok "completion: sourcing it registers _pptadm for pptadm"
else
	notok "completion: sourcing it registers _pptadm for pptadm"
fi
same "completion: 'pptadm ' offers every command" "$verbs" "$(complete_line 'pptadm ')"
same "completion: 'pptadm help ' offers every command" "$verbs" "$(complete_line 'pptadm help ')"

bad=
for v in $verbs; do
	[ "$v" = help ] && continue
	want=$(words "$(takes "$v") -h --help")
	got=$(words "$(complete_line "pptadm $v -")")
	miss=$(comm -23 <(echo "$want") <(echo "$got") | tr '\n' ' ')
	extra=$(comm -13 <(echo "$want") <(echo "$got") | tr '\n' ' ')
	[ -z "$miss" ] || bad+="$v: missing $miss; "
	[ -z "$extra" ] || bad+="$v: offers $extra, which it does not take; "
done
if [ -z "$bad" ]; then
	ok "completion: 'pptadm COMMAND -' offers exactly the options each command takes"
else
	notok "completion: 'pptadm COMMAND -' offers exactly the options each command takes"
	echo "#   $bad"
fi

same "completion: 'pptadm list -o ' offers every device field and all" \
	"$dev_fields all" "$(complete_line 'pptadm list -o ')"
same "completion: 'pptadm show --output=addr,' offers every device field after the comma" \
	"$(for f in $dev_fields all; do echo "addr,$f"; done)" "$(complete_line 'pptadm show --output=addr,')"
same "completion: 'pptadm match list -o ' offers every match field and all" \
	"$match_fields all" "$(complete_line 'pptadm match list -o ')"
same "completion: 'pptadm sanitise list -o ' offers every sanitise rule field and all" \
	"$sanitise_fields all" "$(complete_line 'pptadm sanitise list -o ')"
same "completion: 'pptadm reset X --method ' offers the header's reset methods" \
	"$(names_of PPT_RESET_NAMES)" "$(complete_line 'pptadm reset X --method ')"
same "completion: 'pptadm clean --method=' offers them too" \
	"$(names_of PPT_RESET_NAMES)" "$(complete_line 'pptadm clean --method=')"
same "completion: 'pptadm match add ' offers the match kinds pptadm's help names" \
	"$match_kinds" "$(complete_line 'pptadm match add ')"

same "completion: 'pptadm show ' offers the devices ppt manages" \
	"0000:3b:00.0 0000:3b:00.1 0000:5e:00.0" "$(complete_line 'pptadm show ')"
same "completion: 'pptadm claim ' offers the reserved ones" \
	"0000:3b:00.0" "$(complete_line 'pptadm claim ')"
same "completion: 'pptadm assign --owner vm-1 ' offers the claimed ones" \
	"0000:3b:00.1" "$(complete_line 'pptadm assign --owner vm-1 ')"
same "completion: 'pptadm unassign ' offers the assigned ones" \
	"0000:5e:00.0" "$(complete_line 'pptadm unassign ')"
same "completion: 'pptadm reserve ' offers the host's functions but bridges" \
	"0000:3b:00.0 0000:3b:00.1" "$(complete_line 'pptadm reserve ')"
same "completion: 'pptadm list -a ' offers the host's functions" \
	"0000:3b:00.0 0000:3b:00.1" "$(complete_line 'pptadm list -a ')"
same "completion: 'pptadm add 0000:3b:' offers what follows the last ':'" \
	"00.0 00.1" "$(complete_line 'pptadm add 0000:3b:')"
same "completion: 'pptadm match del device ' offers the runtime entries only" \
	"0000:5e:00.0" "$(complete_line 'pptadm match del device ')"
same "completion: 'pptadm unclaim --owner ' offers the owners" \
	"vm-1 vm-2" "$(complete_line 'pptadm unclaim --owner ')"
same "completion: 'pptadm list -j --format ' offers the formats pptadm's help names" \
	"$(clirun help list | sed -n 's/.*--format \([a-z|]*\).*/\1/p' | head -n1 | tr '|' ' ')" \
	"$(complete_line 'pptadm list -j --format ')"
printf '%s\n' '# variants' 'v100 gpu 10de:1db4' '' '  edu accel 1234:11e8  # comment' >"$tmp/variants.conf"
same "completion: 'pptadm claim --variants F --variant ' offers the variants F names" \
	"v100 edu" "$(complete_line "pptadm claim --variants $tmp/variants.conf --variant ")"
same "completion: 'pptadm run --variant edu ' offers no devices (the variant chooses)" \
	"" "$(complete_line 'pptadm run --variant edu ')"
fi

# --- proof that it can fail ------------------------------------------------

# mutant PART WHAT FILE SED-SCRIPT WANT: a copy of FILE changed by
# SED-SCRIPT makes PART of the check fail with WANT in a "not ok" report.
# The runs go side by side, one per CPU (each is a run of this script:
# mostly process starts); mutants_report says how each went, in order.
nmutants=0
mutant_jobs=$(nproc 2>/dev/null || echo 2)
mutant() {
	local p=$1 what=$2 file=$3 script=$4 want=$5 copy args dir
	nmutants=$((nmutants + 1))
	dir=$tmp/mutant.$nmutants
	mkdir -p "$dir"
	echo "$what" >"$dir/what"
	copy=$dir/${file##*/}
	cp "$file" "$copy"
	sed -i -e "$script" "$copy"
	if cmp -s "$file" "$copy"; then
		echo unchanged >"$dir/verdict"
		return
	fi
	case $file in
	"$page8")	args=(--pptadm-page "$copy") ;;
	"$page4")	args=(--ppt-page "$copy") ;;
	"$page5")	args=(--variants-page "$copy") ;;
	"$readme")	args=(--readme "$copy") ;;
	*)		args=(--completion "$copy") ;;
	esac
	while [ "$(jobs -rp | wc -l)" -ge "$mutant_jobs" ]; do
		wait -n
	done
	(
		out=$("$self" --no-self-test --only "$p" --cli "$cli" --cli-cache "$clicache" "${args[@]}" 2>&1)
		if [ $? -eq 1 ] && grep -A3 '^not ok' <<<"$out" | grep -qF -- "$want"; then
			echo fails >"$dir/verdict"
		else
			grep -A3 '^not ok' <<<"$out" >"$dir/detail"
			echo passes >"$dir/verdict"
		fi
	) &
}
mutants_report() {
	local i dir
	wait
	for ((i = 1; i <= nmutants; i++)); do
		dir=$tmp/mutant.$i
		case $(cat "$dir/verdict" 2>/dev/null) in
		fails)		ok "self-test: $(cat "$dir/what") fails the check" ;;
		unchanged)	notok "self-test: $(cat "$dir/what") (the change did not apply)" ;;
		*)		notok "self-test: $(cat "$dir/what") fails the check"
				note <"$dir/detail" 2>/dev/null ;;
		esac
	done
}

if [ -n "$selftest" ] && [ -z "$only" ]; then
	mutant pptadm "pptadm.8 without the reset command" "$page8" \
		'/^\.SS reset$/,/^\.SS clean$/{/^\.SS clean$/!d}' "missing: reset"
	mutant pptadm "pptadm.8 without --all-dirty" "$page8" \
		's/\\-\\-all\\-dirty/\\-\\-everything/g' "--all-dirty"
	mutant pptadm "pptadm.8 without the slot field" "$page8" \
		'/^\.TP$/{N;/\n\.B slot$/d}' "missing: slot"
	mutant lint "pptadm.8 with a formatting error" "$page8" \
		's/^\.SH EXIT STATUS$/.SH EXIT STATUS\n.XY bogus/' "lint pptadm.8"
	mutant ppt "ppt.4 without auto_clean" "$page4" \
		'/^\.TP$/{N;/\n\.BI auto_clean= /d}' "missing: auto_clean"
	mutant ppt "ppt.4 without the resetting state" "$page4" \
		'/^\.TP$/{N;/\n\.B resetting$/d}' "missing: resetting"
	mutant ppt "ppt.4 without PPT_CMD_MATCH_GET" "$page4" \
		'/^\.TP$/{N;/\n\.B PPT_CMD_MATCH_GET$/d}' "missing: PPT_CMD_MATCH_GET"
	mutant variants "ppt-variants.5 without the accel type" "$page5" \
		's/^\.B accel$/.B accelerator/' "accel"
	mutant pptadm "pptadm.8 without PPT_VARIANTS" "$page8" \
		'/^\.TP$/{N;/\n\.B PPT_VARIANTS$/d}' "ENVIRONMENT:PPT_VARIANTS"
	mutant pptadm "pptadm.8 without run's --timeout-clean" "$page8" \
		'/^\.SS run$/,/^\.SS reset$/s/timeout\\-clean/timeout\\-wash/g' "run --timeout-clean"
	mutant bash "the completion without run" "$comp" \
		'/^_pptadm_commands=/s/ run//' "missing: run"
	mutant bash "the completion without claim's --variant" "$comp" \
		's/^\tclaim)\t\techo "--owner --variant /\tclaim)\t\techo "--owner /' "claim: missing --variant"
	mutant bash "the completion without monitor" "$comp" \
		'/^_pptadm_commands=/s/ monitor//' "missing: monitor"
	mutant bash "the completion without sbr" "$comp" \
		'/^_pptadm_methods=/s/ sbr//' "missing: sbr"
	mutant bash "the completion without reserve's --force" "$comp" \
		's/^\treserve)\techo "--force /\treserve)\techo "/' "reserve: missing --force"
	mutant bash "the completion offering --force to release" "$comp" \
		's/^\tremove)\techo "/\tremove)\techo "--force /' "offers --force"
	mutant bash "the completion without the slot field" "$comp" \
		'/^_pptadm_device_fields=/s/ slot//' "missing: slot"
	mutant pptadm "pptadm.8 without --pretty" "$page8" \
		's/\\-\\-pretty/\\-\\-nice/g' "--pretty"
	mutant pptadm "pptadm.8 without -b/--batch" "$page8" \
		's/\\-\\-batch/\\-\\-bunch/g' "--batch"
	mutant pptadm "pptadm.8 without monitor's -t" "$page8" \
		'/^\.SS monitor$/,/^\.SS check$/s/\\-t\b/-T/g; /^\.SS monitor$/,/^\.SS check$/s/timestamps/stamps/g' "monitor -t"
	mutant pptadm "pptadm.8 without SKIP" "$page8" \
		'/^\.SS check$/,/^\.SS set$/s/SKIP/SKIPPED/g' "SKIP"
	mutant bash "the completion without monitor's -t" "$comp" \
		's/^\tmonitor)\techo "-t --timestamps /\tmonitor)\techo "/' "monitor: missing --timestamps -t"
	mutant schema "pptadm.8 without the schema's \$id" "$page8" \
		's/urn:ppt:pptadm:json:1/urn:ppt:pptadm:json:0/' "urn:ppt:pptadm:json:1"
	mutant schema "pptadm.8 without the result output" "$page8" \
		'/^\.SS JSON Schema$/,/^\.SS Parseable output$/s/^\.B result$/.B record/' "result"
	mutant schema "README.md without the schema" "$readme" \
		'/pptadm\.schema\.json/d' "README.md"
	mutants_report
fi

echo "1..$n"
[ "$failed" -eq 0 ]
