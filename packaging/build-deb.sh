#!/usr/bin/env bash
# Builds netscope_VERSION_ARCH.deb with dpkg-deb from a release binary and the tree's man
# pages, completions, docs and packaging/ files.
# Usage: packaging/build-deb.sh BINARY OUTDIR
set -euo pipefail
binary=$1
outdir=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' "$root/Sources/BuildInfo/BuildInfo.swift")
arch=$(dpkg --print-architecture)
[ -n "$version" ] || { echo "build-deb: no version in Sources/BuildInfo/BuildInfo.swift" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/netscope
doc=$pkg/usr/share/doc/netscope

install -D -m 0755 "$binary" "$pkg/usr/bin/netscope"
# Symbols only: the Swift metadata the argument parser reflects over lives in its own sections.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/bin/netscope"
install -d "$pkg/usr/share/man/man1"
for page in "$root"/Man/*.1; do
    gzip -9n < "$page" > "$pkg/usr/share/man/man1/$(basename "$page").gz"
done
# bash-completion sources the file; the generator's #! line would only mislead.
install -d "$pkg/usr/share/bash-completion/completions"
sed '1{/^#!/d}' "$root/Completions/netscope.bash" > "$pkg/usr/share/bash-completion/completions/netscope"
chmod 0644 "$pkg/usr/share/bash-completion/completions/netscope"
install -D -m 0644 "$root/Completions/_netscope" "$pkg/usr/share/zsh/vendor-completions/_netscope"
install -D -m 0644 "$root/Completions/netscope.fish" "$pkg/usr/share/fish/vendor_completions.d/netscope.fish"
install -D -m 0644 "$here/netscope.service" "$pkg/lib/systemd/system/netscope.service"
install -D -m 0644 "$here/netscope.default" "$pkg/etc/default/netscope"
install -D -m 0644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/netscope"
install -D -m 0644 "$here/copyright" "$doc/copyright"
gzip -9n < "$here/changelog" > "$doc/changelog.gz"
gzip -9n < "$root/README.md" > "$doc/README.md.gz"
install -d "$doc/docs" "$doc/examples"
for page in "$root"/docs/*.md; do gzip -9n < "$page" > "$doc/docs/$(basename "$page").gz"; done
install -m 0644 "$root"/examples/* "$doc/examples/"

# Depends from the binary's shared libraries, as debhelper computes it.
mkdir -p "$stage/shlibs/debian"
printf 'Source: netscope\n\nPackage: netscope\nArchitecture: any\n' > "$stage/shlibs/debian/control"
depends=$(cd "$stage/shlibs" && dpkg-shlibdeps -O "$pkg/usr/bin/netscope" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# Packed relative relocations (DT_RELR, see the Makefile) need glibc 2.36's loader; the symbols
# file dpkg-shlibdeps reads does not know the GLIBC_ABI_DT_RELR version, so it is said here.
if readelf -V "$pkg/usr/bin/netscope" | grep -q GLIBC_ABI_DT_RELR; then
    depends=$(echo "$depends" | sed -E 's/libc6 \(>= [0-9.]+\)/libc6 (>= 2.36)/')
fi
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)

install -d "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: netscope
Version: $version
Architecture: $arch
Maintainer: The netscope authors <netscope@example.org>
Installed-Size: $size
Depends: $depends
Section: net
Priority: optional
Description: live state of the Linux network stack, layer by layer
 netscope reads the kernel over netlink (rtnetlink, sock_diag) and /proc/net
 and shows sockets, TCP/UDP, addresses and routes, neighbours, devices and
 counters in one consistent model: an overview, ss- and ip-like lists with
 JSON output, live watch of changes, snapshots and diffs, and Prometheus /
 OpenMetrics metrics, one-shot or served over HTTP (netscope.service).
CONTROL
echo /etc/default/netscope > "$pkg/DEBIAN/conffiles"
# systemd learns of the unit (and forgets it) without enabling or starting it.
for script in postinst postrm; do
    cat > "$pkg/DEBIAN/$script" <<SCRIPT
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
fi
SCRIPT
    chmod 0755 "$pkg/DEBIAN/$script"
done
(cd "$pkg" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"

mkdir -p "$outdir"
out="$outdir/netscope_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out" >/dev/null
echo "$out"
