#!/usr/bin/env bash
# Sync reliability campaigns (issue 14), longer than the suite runs them, against the real Dovecot pair
# that the *IT tests start (it/servers.sh install once). Prints one figures line per campaign:
#
#   CONTINUOUS-KILL ... kills=20 ... messages=N ... on-new=N lost=0 duplicated=0 legacy-folders-changed=0
#       SyncContinuousKillIT: the sync in continuous mode (child JVM, poll 400 ms + IDLE) killed with
#       SIGKILL at 20 random moments while mail arrives on legacy, then left to catch up.
#   HOSTILE-IMAP ... passes=N messages=32 faults legacy={...} new={...} ... wrong-bytes-on-new=0 duplicates-on-new=0
#       SyncHostileServerIT: proxies in front of both Dovecots truncate, garble, reorder or stall one
#       response per connection; 60 faulty passes, then healed passes until complete.
#
#   bench/sync/reliability.sh                          # the campaigns, new seeds (about 6-9 minutes)
#   KILLS=50 PASSES=100 bench/sync/reliability.sh      # longer
#   CKILL_SEED=123 CHAOS_SEED=456 bench/sync/reliability.sh   # replay seeds printed by an earlier run
#
# Bounded: each campaign is one Failsafe test with its own timeouts (a stuck pass fails it after 45 s,
# a catch-up that does not finish fails it after 90 s). Exit status non-zero when a campaign fails.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
KILLS=${KILLS:-20}
PASSES=${PASSES:-60}
LOG=${LOG:-/tmp/mxcutover-bench-reliability.log}
# Also the one-shot kills (SyncKillIT, 8 per run; the suite does 4) and every crash point at both times
# (SyncCrashIT; the suite does one time per point).
props=(-Dsync.ckill.kills="$KILLS" -Dsync.chaos.passes="$PASSES" -Dsync.kill.kills=8 -Dsync.crash.all=true)
[ -z "${CKILL_SEED:-}" ] || props+=(-Dsync.ckill.seed="$CKILL_SEED")
[ -z "${CHAOS_SEED:-}" ] || props+=(-Dsync.chaos.seed="$CHAOS_SEED")
cd "$REPO"
# The build first (offline, else online; prints its output on failure: bench/build.sh), so that a missing plugin or
# a compile error is reported as such and not as a failed campaign.
. "$REPO/bench/build.sh"
echo "reliability: building sync (output in $LOG.build)" >&2
bench_mvn "$REPO" "$LOG.build" -pl sync -am -DskipTests verify
start=$(date +%s)
rc=0
mvn -B -o -pl sync -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='SyncContinuousKillIT,SyncHostileServerIT,SyncKillIT,SyncCrashIT' -Dfailsafe.failIfNoSpecifiedTests=false \
  "${props[@]}" verify >"$LOG" 2>&1 || rc=$?
grep -E '^(CONTINUOUS-KILL|HOSTILE-IMAP|SyncContinuousKillIT seed|SyncHostileServerIT seed)' "$LOG" || true
grep -E 'Tests run:|FAIL' "$LOG" | tail -n 5
if [ "$rc" != 0 ] && ! grep -qE '^(CONTINUOUS-KILL|HOSTILE-IMAP)' "$LOG"; then
  echo "reliability: Maven failed before any campaign reported; the last lines of $LOG:" >&2
  tail -40 "$LOG" >&2
fi
echo "reliability campaigns: exit $rc in $(( $(date +%s) - start )) s (Maven log: $LOG)"
exit "$rc"
