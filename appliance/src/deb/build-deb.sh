#!/usr/bin/env bash
# Builds the Debian package of mxcutover from the already built shaded jar; no compilation here.
#
#   appliance/src/deb/build-deb.sh MAVEN_VERSION [OUTDIR]
#
# The appliance's `package` phase calls it (exec-maven-plugin, after the shade plugin) whenever dpkg-deb
# is installed; OUTDIR defaults to appliance/target. Writes OUTDIR/mxcutover_VERSION_all.deb, VERSION being
# the Maven version with '-' turned into '~' (0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT, which sorts before 0.1.0).
# What goes where: docs/debian-package.md. Needs dpkg-deb, gzip, sed; not root (files are root:root in the
# archive by --root-owner-group; the mxcutover-owned directories are made by the postinst).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
die() { echo "build-deb.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 MAVEN_VERSION [OUTDIR]"
version=${1//-/\~}
out=${2:-$repo/appliance/target}
jar=$repo/appliance/target/mxcutover.jar
[ -s "$jar" ] || die "no $jar: build it first (mvn -pl appliance -am package)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (Debian package dpkg)"

stage=$repo/appliance/target/deb
root=$stage/root
rm -rf "$stage"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/mxcutover" "$root/usr/share/doc/mxcutover" \
  "$root/usr/share/man/man1" "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" \
  "$root/etc/mxcutover"

# Every file's time is the jar's, so two builds of one jar give the same archive.
epoch=$(stat -c %Y "$jar")
changelog_date=$(LC_ALL=C date -u -R -d "@$epoch")

# The jar: a hard link when the file system allows (40 MB not copied), else a copy.
ln "$jar" "$root/usr/share/mxcutover/mxcutover.jar" 2>/dev/null || cp "$jar" "$root/usr/share/mxcutover/mxcutover.jar"
# The source tree's launcher (it runs MXCUTOVER_JAR when set, without building), behind /usr/bin/mxcutover.
sed '1s|^#!/usr/bin/env bash$|#!/bin/bash|' "$repo/mxcutover" >"$root/usr/share/mxcutover/mxcutover"
install -m 0755 "$here/mxcutover" "$root/usr/bin/mxcutover"
chmod 0755 "$root/usr/share/mxcutover/mxcutover"

# systemd: the unit, the user, the directories, exactly as in systemd/.
install -m 0644 "$repo/systemd/mxcutover.service" "$root/lib/systemd/system/mxcutover.service"
install -m 0644 "$repo/systemd/mxcutover.sysusers" "$root/usr/lib/sysusers.d/mxcutover.conf"
install -m 0644 "$repo/systemd/mxcutover.tmpfiles" "$root/usr/lib/tmpfiles.d/mxcutover.conf"

# conf/ as conffiles. The service YAML names its plan relative to the working directory (conf/plan.yml,
# right in a source tree); the installed one names /etc/mxcutover/plan.yml. Only that line changes.
sed 's|^plan: conf/plan.yml$|plan: /etc/mxcutover/plan.yml|' "$repo/conf/mxcutover.yml" >"$root/etc/mxcutover/mxcutover.yml"
grep -q '^plan: /etc/mxcutover/plan.yml$' "$root/etc/mxcutover/mxcutover.yml" ||
  die "conf/mxcutover.yml has no line 'plan: conf/plan.yml' to point at /etc/mxcutover/plan.yml"
install -m 0644 "$repo/conf/plan.yml" "$root/etc/mxcutover/plan.yml"
chmod 0644 "$root/etc/mxcutover/mxcutover.yml"

# Documentation: copyright, changelog (native package: changelog.gz), the man page, the README.
install -m 0644 "$here/copyright" "$root/usr/share/doc/mxcutover/copyright"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/mxcutover/README.md"
install -m 0644 "$repo/docs/debian-package.md" "$root/usr/share/doc/mxcutover/debian-package.md"
cat >"$stage/changelog" <<EOF
mxcutover ($version) unstable; urgency=medium

  * Built from the mxcutover source tree (appliance/src/deb/build-deb.sh).
    The project's history is its git log.

 -- mxcutover maintainers <maintainers@mxcutover.example>  $changelog_date
EOF
gzip -9n <"$stage/changelog" >"$root/usr/share/doc/mxcutover/changelog.gz"
gzip -9n <"$here/mxcutover.1" >"$root/usr/share/man/man1/mxcutover.1.gz"
# lintian overrides, with their reasons (docs/debian-package.md, "lintian").
mkdir -p "$root/usr/share/lintian/overrides"
install -m 0644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/mxcutover"

# Control files.
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@INSTALLED_SIZE@|$installed_size|" "$here/control" >"$root/DEBIAN/control"
for f in postinst prerm postrm; do install -m 0755 "$here/$f" "$root/DEBIAN/$f"; done
(cd "$root" && find etc -type f | sed 's|^|/|' | sort) >"$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's|  \./|  |') \
  >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$epoch" {} +

# gzip -1: the jar is already compressed (xz would spend ~20 s on it for a few percent).
mkdir -p "$out"
deb="$out/mxcutover_${version}_all.deb"
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(du -h "$deb" | cut -f1))"
