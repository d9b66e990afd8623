#!/usr/bin/env bash
# Installs the package on this machine and checks it as an operator would, then removes it
# and checks nothing is left behind. Needs root. Run by `make deb-check` (CI).
# Usage: packaging/check-deb.sh PACKAGE.deb
set -euo pipefail
deb=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "check-deb: $*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

# lintian: errors fail, warnings are printed; a hardening tag of any level fails too (the
# binary is a PIE, and nothing silences those tags).
report=$(lintian --fail-on error --no-tag-display-limit "$deb") || { echo "$report"; fail "lintian reports errors"; }
echo "$report"
if echo "$report" | grep -q 'hardening-'; then fail "lintian reports a hardening tag"; fi
grep -q 'hardening' "$here/lintian-overrides" && fail "a hardening tag is overridden"
# A position-independent executable: its own image is randomised like every other binary's.
workdir=$(mktemp -d)
dpkg-deb -x "$deb" "$workdir"
readelf -h "$workdir/usr/bin/netscope" | grep -Eq 'Type:[[:space:]]+DYN' || { rm -rf "$workdir"; fail "usr/bin/netscope is not a PIE (readelf -h: $(readelf -h "$workdir/usr/bin/netscope" | grep Type:))"; }
if readelf -V "$workdir/usr/bin/netscope" | grep -q GLIBC_ABI_DT_RELR; then
    dpkg-deb -f "$deb" Depends | grep -q 'libc6 (>= 2.36)' || { rm -rf "$workdir"; fail "DT_RELR needs libc6 (>= 2.36) in Depends: $(dpkg-deb -f "$deb" Depends)"; }
fi
rm -rf "$workdir"

dpkg -i "$deb" >/dev/null
trap 'dpkg -P netscope >/dev/null 2>&1 || true' EXIT
files=$(dpkg -L netscope)
/usr/bin/netscope --version | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}(-dirty)?\)$' \
    || fail "netscope --version does not name a commit: $(/usr/bin/netscope --version)"
# The stripped binary still parses arguments (ArgumentParser reflects over Swift metadata).
/usr/bin/netscope links --help | grep -q -- '--json' || fail "netscope links --help is broken"
[ "$(man -w netscope)" = /usr/share/man/man1/netscope.1.gz ] || fail "man -w netscope: $(man -w netscope 2>&1)"
man -w netscope.serve >/dev/null || fail "man -w netscope.serve"
# Where each shell looks: bash-completion's completionsdir, zsh's $fpath on Debian, fish's
# vendor_completions.d.
bashdir=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null || echo /usr/share/bash-completion/completions)
[ -f "$bashdir/netscope" ] || fail "no bash completion in $bashdir"
[ -f /usr/share/zsh/vendor-completions/_netscope ] || fail "no zsh completion"
[ -f /usr/share/fish/vendor_completions.d/netscope.fish ] || fail "no fish completion"
bash -c "source $bashdir/netscope && complete -p netscope" >/dev/null || fail "the bash completion does not load"
[ -f /lib/systemd/system/netscope.service ] || fail "no unit"
[ ! -e /etc/systemd/system/multi-user.target.wants/netscope.service ] || fail "the install enabled the unit"
"$here/check-service.sh" /lib/systemd/system/netscope.service

# dpkg -r removes everything but the conffile (/etc/default/netscope, kept for a reinstall
# as Debian does); purge removes that too.
dpkg -r netscope >/dev/null
while read -r path; do
    [ -d "$path" ] && continue
    [ "$path" = /etc/default/netscope ] && continue
    [ -e "$path" ] && fail "dpkg -r left $path"
done <<< "$files"
[ -e /etc/default/netscope ] || fail "dpkg -r removed the conffile"
dpkg -P netscope >/dev/null
[ ! -e /etc/default/netscope ] || fail "dpkg -P left /etc/default/netscope"
dpkg -s netscope >/dev/null 2>&1 && fail "dpkg still knows netscope after purge"
trap - EXIT
echo "check-deb: $(basename "$deb"): lintian clean of errors, installs, works, removes without a trace"
