#!/usr/bin/env bash
# Tests the Debian package on this machine, and leaves the machine as it found it:
#
#   appliance/src/deb/test-deb.sh appliance/target/mxcutover_VERSION_all.deb
#
# lintian (no error; warnings are overridden in the package with their reasons), then dpkg -i, then as the
# packaged user `mxcutover check /etc/mxcutover/mxcutover.yml`, systemd-analyze verify on the installed unit,
# a reinstall that keeps an edited conffile, dpkg -r (state, spool and configuration stay), dpkg -P (they
# go). Whatever happens, the EXIT trap purges the package and deletes the user and group the package
# created, so a failure halfway leaves nothing installed. DebianPackageIT runs it in `mvn verify`.
#
# Root is needed (dpkg -i): as a user it re-runs itself with sudo. It refuses to run where mxcutover is
# already installed or its directories exist: they would be purged.
set -euo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
readonly PKG=mxcutover USER_NAME=mxcutover
readonly CONF=/etc/mxcutover STATE=/var/lib/mxcutover SPOOL=/var/spool/mxcutover
readonly UNIT=/lib/systemd/system/mxcutover.service

die() { echo "test-deb.sh: FAILED: $*" >&2; exit 1; }
log() { echo "test-deb.sh: $*" >&2; }
T0=$(date +%s%N)
ms() { echo $((($(date +%s%N) - T0) / 1000000)); }

[ $# -eq 1 ] || die "usage: $0 PACKAGE.deb"
deb=$(readlink -f "$1")
[ -s "$deb" ] || die "no package at $1 (mvn -pl appliance -am package builds it)"
if [ "$(id -u)" -ne 0 ]; then exec sudo "$0" "$deb"; fi
# One run at a time on a machine (two checkouts testing at once): the second waits for the first.
exec 9>/run/lock/mxcutover-test-deb.lock
flock -w 300 9 || die "another test-deb.sh has held /run/lock/mxcutover-test-deb.lock for 5 min"

status() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null || true; }
# Known to dpkg in a state that leaves files (installed, half-installed, config-files...). "not-installed" is
# none, whatever the wanted state before it: "install ok not-installed" is what an install that failed before
# unpacking leaves (a full disk did), with nothing on disk to purge.
present() { local s; s=$(status); [ -n "$s" ] && [ "${s##* }" != "not-installed" ]; }

if present; then die "$PKG is installed on this machine ($(status)); this test would purge it: remove it first"; fi
for d in "$CONF" "$STATE" "$SPOOL"; do
  [ ! -e "$d" ] || die "$d exists; this test would delete it with the package's purge: move it away first"
done
user_existed=0 group_existed=0
getent passwd "$USER_NAME" >/dev/null && user_existed=1
getent group "$USER_NAME" >/dev/null && group_existed=1

# dpkg takes its lock or fails at once: wait (up to 2 min) while another apt/dpkg holds it.
run_dpkg() {
  local out rc i
  for ((i = 0; i < 240; i++)); do
    rc=0
    out=$(dpkg "$@" </dev/null 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] && grep -q 'lock' <<<"$out" && ! grep -q "$PKG" <<<"$out"; then
      sleep 0.5
      continue
    fi
    printf '%s\n' "$out" | sed 's/^/  dpkg: /' >&2
    return "$rc"
  done
  die "dpkg lock still held after 2 min"
}

work=$(mktemp -d /tmp/mxcutover-test-deb.XXXXXX)
lintian_pid=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$lintian_pid" ]; then kill "$lintian_pid" 2>/dev/null; wait "$lintian_pid" 2>/dev/null; fi
  rm -rf "$work"
  if present; then
    log "cleanup: purging $PKG ($(status))"
    run_dpkg --purge "$PKG" || log "cleanup: dpkg --purge failed"
  fi
  if [ "$user_existed" -eq 0 ] && getent passwd "$USER_NAME" >/dev/null; then userdel "$USER_NAME"; fi
  if [ "$group_existed" -eq 0 ] && getent group "$USER_NAME" >/dev/null; then groupdel "$USER_NAME"; fi
  if present; then
    log "cleanup: $PKG is still $(status): run dpkg --purge $PKG by hand"
    [ "$rc" -ne 0 ] || rc=1
  fi
  [ "$rc" -eq 0 ] && log "passed in $(ms) ms" || log "failed (exit $rc) after $(ms) ms"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# 1. lintian, in the background (it only reads the .deb; mostly CPU, while dpkg below mostly waits on the disk):
# errors fail, warnings and info are printed (the package overrides those it knows, with reasons). Its temp files
# go under $work, removed at exit: lintian left an 8 KB /tmp/mldbm-elf-* file behind at every run.
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" lintian --fail-on error --display-info --tag-display-limit 0 "$deb" >"$work/lintian.out" 2>&1 &
lintian_pid=$!

# 2. Install. Its dependencies must already be there (a Java 17 runtime, systemd): dpkg -i does not fetch.
# --force-unsafe-io: no fsync per unpacked file (a test install need not survive a power cut; 40 MB of jar).
run_dpkg --force-unsafe-io -i "$deb" || die "dpkg -i failed"
[ "$(status)" = "install ok installed" ] || die "status after dpkg -i: $(status)"
getent passwd "$USER_NAME" | grep -q ":$STATE:/usr/sbin/nologin$" || die "no system user $USER_NAME with home $STATE"
[ "$(stat -c '%U:%G %a' "$CONF")" = "root:$USER_NAME 750" ] || die "$CONF is $(stat -c '%U:%G %a' "$CONF")"
for d in "$STATE" "$SPOOL"; do
  [ "$(stat -c '%U:%G %a' "$d")" = "$USER_NAME:$USER_NAME 750" ] || die "$d is $(stat -c '%U:%G %a' "$d")"
done
[ ! -e /etc/systemd/system/multi-user.target.wants/mxcutover.service ] || die "the package enabled the service"
dpkg-query -W -f='${Conffiles}\n' "$PKG" | grep -q " $CONF/mxcutover.yml " || die "$CONF/mxcutover.yml is not a conffile"
dpkg-query -W -f='${Conffiles}\n' "$PKG" | grep -q " $CONF/plan.yml " || die "$CONF/plan.yml is not a conffile"
log "$(ms) ms: installed; user, directories and conffiles as expected; service not enabled"

# 3. The packaged configuration checks out, read as the service's user (others cannot read it).
check_out=$(cd / && runuser -u "$USER_NAME" -- /usr/bin/mxcutover check "$CONF/mxcutover.yml" 2>&1) ||
  die "mxcutover check as $USER_NAME failed:"$'\n'"$check_out"
grep -q "^OK: $CONF/mxcutover.yml and plan $CONF/plan.yml " <<<"$check_out" ||
  die "unexpected output of mxcutover check:"$'\n'"$check_out"
printf '%s\n' "$check_out" | sed 's/^/  check: /' >&2
! runuser -u nobody -- test -r "$CONF/mxcutover.yml" || die "user nobody can read $CONF/mxcutover.yml"
log "$(ms) ms: mxcutover check as $USER_NAME: OK"

# 4. The installed unit verifies with neither error nor warning.
verify_out=$(systemd-analyze verify "$UNIT" 2>&1) || die "systemd-analyze verify $UNIT:"$'\n'"$verify_out"
! grep -q 'mxcutover' <<<"$verify_out" || die "systemd-analyze verify warns:"$'\n'"$verify_out"
log "$(ms) ms: systemd-analyze verify $UNIT: clean"

# 5. A reinstall (as an upgrade does) keeps the admin's edit of a conffile.
echo "# edited by test-deb.sh" >>"$CONF/plan.yml"
run_dpkg --force-unsafe-io -i "$deb" || die "second dpkg -i failed"
tail -n 1 "$CONF/plan.yml" | grep -q '^# edited by test-deb.sh$' || die "the reinstall overwrote the edited $CONF/plan.yml"
[ "$(stat -c '%U:%G %a' "$CONF")" = "root:$USER_NAME 750" ] || die "after reinstall $CONF is $(stat -c '%U:%G %a' "$CONF")"
log "$(ms) ms: reinstall kept the edited conffile and $CONF's mode"

# 6. Remove: programs go; state, spool and configuration stay.
runuser -u "$USER_NAME" -- sh -c "echo state >$STATE/test-deb.marker && echo spool >$SPOOL/test-deb.marker"
run_dpkg -r "$PKG" || die "dpkg -r failed"
[ "$(status)" = "deinstall ok config-files" ] || die "status after dpkg -r: $(status)"
for f in /usr/bin/mxcutover /usr/share/mxcutover "$UNIT"; do [ ! -e "$f" ] || die "$f left after dpkg -r"; done
for f in "$STATE/test-deb.marker" "$SPOOL/test-deb.marker" "$CONF/mxcutover.yml" "$CONF/plan.yml"; do
  [ -e "$f" ] || die "dpkg -r removed $f"
done
log "$(ms) ms: removed; state, spool and configuration kept"

# 7. Purge: everything goes.
run_dpkg -P "$PKG" || die "dpkg -P failed"
for f in "$CONF" "$STATE" "$SPOOL"; do [ ! -e "$f" ] || die "$f left after purge"; done
! dpkg-statoverride --list "$CONF" >/dev/null || die "statoverride of $CONF left after purge"
! present || die "status after purge: $(status)"
log "$(ms) ms: purged; nothing left"

# lintian's verdict (started in step 1).
lintian_rc=0
wait "$lintian_pid" || lintian_rc=$?
lintian_pid=""
sed 's/^/  lintian: /' "$work/lintian.out" >&2
[ "$lintian_rc" -eq 0 ] || die "lintian found errors (exit $lintian_rc)"
log "$(ms) ms: lintian: no error, $(grep -c '^W: ' "$work/lintian.out" || true) warnings"
