#!/usr/bin/env bash
# Continuous mode at scale: MAILBOXES mailboxes (4 folders each, HISTORY messages) on the bench Dovecot pair
# (dovecot-pair.sh; the legacy one also gets an LMTP listener), the sync in continuous mode in one long-lived JVM
# (io.mxcutover.sync.testing.ContinuousBenchMain: SyncService.startContinuous, as the appliance runs it), then new
# messages delivered to random legacy mailboxes at RATE per second through the legacy LMTP for DURATION seconds.
# Measured per tool, over the arrival phase:
#   lag       from LMTP's 250 on legacy to the message's file on new (the new Dovecot's INBOX Maildir, polled every
#             0.2 s by continuous.py: a directory listing per user with a message still missing; no IMAP, so the
#             new server is not loaded by the measurement): p50, p99, max; "missing" = not there DRAIN s after the
#             last delivery
#   tool CPU  the sync JVM's (or the mbsync processes') user+system CPU, as % of one core
#   legacy    the legacy Dovecot's CPU (master, children, exited children) minus its LMTP process's (the deliveries)
#             and minus its idle baseline (measured before the tool starts), as % of one core
#   conns     TCP connections to the legacy IMAP port (client side; ss every 2 s): max and mean
# The history of every tool is copied 12 mailboxes at a time (set-up, not measured); then PARALLEL at a time.
# Baseline "mbsync": what an imapsync user does today, a cron loop re-running the whole copy: every MBSYNC_EVERY s
# one mbsync run over all mailboxes (PARALLEL processes, 50 mailboxes each), its history copied first (unmeasured).
#
#   bench/sync/continuous.sh                               # 1,000 mailboxes, 10 minutes per tool
#   MAILBOXES=200 DURATION=120 bench/sync/continuous.sh    # a short run while developing
#   TOOLS="mxcutover mxcutover-budget50 mxcutover-poll mbsync" bench/sync/continuous.sh
#       mxcutover          IDLE on every INBOX (IDLE_MAILBOXES, default MAILBOXES), adaptive checks INTERVAL..MAX_INTERVAL
#       mxcutover-budget50 the appliance's defaults: IDLE on 50 INBOXes, checks every 60 s .. 900 s
#       mxcutover-fixed60  no IDLE, every mailbox every 60 s (MAX_INTERVAL = INTERVAL: what continuous mode did
#                          before the adaptive schedule)
#       mbsync             the cron-loop baseline
# Stops by itself; every step says what failed when it fails (logs in $BENCH_DIR).
set -euo pipefail
MAILBOXES=${MAILBOXES:-1000}
HISTORY=${HISTORY:-12}
DURATION=${DURATION:-600}
RATE=${RATE:-1}
DRAIN=${DRAIN:-60}
PARALLEL=${PARALLEL:-4}
INTERVAL=${INTERVAL:-60}
MAX_INTERVAL=${MAX_INTERVAL:-900}
IDLE_MAILBOXES=${IDLE_MAILBOXES:-$MAILBOXES}
MBSYNC_EVERY=${MBSYNC_EVERY:-120}
SETTLE=${SETTLE:-20}
TOOLS=${TOOLS:-"mxcutover mbsync"}
DIR=${BENCH_DIR:-/tmp/mxcutover-bench-continuous}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/../build.sh"   # bench_drop_mail
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
for t in java mvn python3 doveadm mbsync ss bc /usr/sbin/dovecot; do
  command -v "$t" >/dev/null || fail "'$t' is not installed (README: the bench needs dovecot-imapd, dovecot-lmtpd, isync, a JDK 17 and Maven)"
done
[ -x /usr/lib/dovecot/lmtp ] || fail "Dovecot's LMTP server is not installed (apt-get install dovecot-lmtpd)"

# --- build: the sync module's classes and test classes (the harness), run from sync/target/ ---
if [ "${SKIP_BUILD:-0}" = 1 ] && [ -s "$DIR/cp.txt" ]; then
  log "SKIP_BUILD=1: using the classes in sync/target and $DIR/cp.txt as they are"
else
  log "building sync (test-compile; log in $DIR/build.log)"
  if ! (cd "$REPO" && mvn -B -o -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$DIR/cp.txt" > "$DIR/build.log" 2>&1); then
    log "offline build failed; trying once with the network (a fresh Maven cache lacks plugins)"
    (cd "$REPO" && mvn -B -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$DIR/cp.txt" > "$DIR/build.log" 2>&1) \
      || { grep -E 'ERROR|BUILD' "$DIR/build.log" | head -20 >&2; fail "build of sync; see $DIR/build.log"; }
  fi
fi
# MXC_CLASSES_FIRST: class directories put before the build's (an A/B of a change compiled by hand).
CP="${MXC_CLASSES_FIRST:+$MXC_CLASSES_FIRST:}$REPO/sync/target/classes:$REPO/sync/target/test-classes:$(cat "$DIR/cp.txt")"
JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g -XX:+UseSerialGC -Xss512k"}

# --- servers: the pair, the legacy one with LMTP and imap processes shared by 50 clients each ---
PAIR=$DIR/pair
"$HERE/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
rm -rf "$PAIR"
"$HERE/dovecot-pair.sh" start "$PAIR" > "$DIR/pair.log" 2>&1 || { cat "$DIR/pair.log" >&2; fail "dovecot-pair.sh start"; }
"$HERE/dovecot-pair.sh" stop "$PAIR"
for side in legacy new; do # wait for both masters to exit before they are started again with the changes
  pid=$(cat "$PAIR/$side/run/master.pid" 2>/dev/null || true)
  for i in $(seq 1 100); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
trap '"$HERE/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true; bench_drop_mail "$PAIR"' EXIT
. "$PAIR/pair.env"
LMTP_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
# One imap process per connection (Dovecot's default) would need a process and an inotify instance per IDLE
# connection; this box allows 128 inotify instances per user, shared with every other Dovecot running as nobody.
# So both servers serve up to 50 clients per imap process (their per-login cost is then a little lower than with a
# process per connection: no fork).
for side in legacy new; do
  sed -i -e 's/^  process_limit = 256$/  process_limit = 100\n  client_limit = 50\n  service_count = 0/' \
      "$PAIR/$side/dovecot.conf"
  cat >> "$PAIR/$side/dovecot.conf" <<CONF
default_client_limit = 6000
auth_username_format = %Ln
CONF
done
sed -i -e 's/^protocols = imap$/protocols = imap lmtp/' "$PAIR/legacy/dovecot.conf"
cat >> "$PAIR/legacy/dovecot.conf" <<CONF
postmaster_address = postmaster@example.test
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
  process_min_avail = 1
  service_count = 0
}
CONF
for side in legacy new; do
  /usr/sbin/dovecot -c "$PAIR/$side/dovecot.conf" || fail "the $side Dovecot did not start with the bench's changes (see $PAIR/$side/log/dovecot.log)"
done
for p in $LEGACY_PORT $NEW_PORT $LMTP_PORT; do
  for i in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
  (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || fail "nothing listens on 127.0.0.1:$p (see $PAIR/*/log/dovecot.log)"
done

USERS=()
for m in $(seq 1 "$MAILBOXES"); do USERS+=("$(printf 'bench%04d' "$m")"); done
log "adding $MAILBOXES users and their history ($HISTORY messages each, 4 folders)"
for side in legacy new; do
  printf '%s:{PLAIN}%s-pw::::::\n' $(for u in "${USERS[@]}"; do echo "$u $u"; done) >> "$PAIR/$side/passwd"
done
python3 "$HERE/continuous.py" gen "$PAIR/legacy/mail" "$MAILBOXES" "$HISTORY" > /dev/null || fail "generating the history"
chown -R 65534:65534 "$PAIR/legacy/mail" "$PAIR/new/mail"
{ echo "address,legacy_login,legacy_password,new_login,new_password"
  for u in "${USERS[@]}"; do echo "$u@example.test,$u,$u-pw,$u,$u-pw"; done; } > "$DIR/mailboxes.csv"

# server_cpu NAME -> CPU seconds the Dovecot NAME has used so far (master, live children, waited-for children).
server_cpu() {
  local master ticks
  master=$(cat "$PAIR/$1/run/master.pid")
  ticks=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat")
  for c in $(pgrep -P "$master" || true); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
# lmtp_cpu -> CPU seconds of the legacy Dovecot's live LMTP processes (the deliveries, not our polling).
lmtp_cpu() {
  local ticks=0 master
  master=$(cat "$PAIR/legacy/run/master.pid")
  for c in $(pgrep -P "$master" || true); do
    [ "$(cat "/proc/$c/comm" 2>/dev/null)" = lmtp ] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$c/stat")))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
proc_cpu() { echo "scale=2; $(awk '{print $14 + $15}' "/proc/$1/stat") / $(getconf CLK_TCK)" | bc; }
legacy_conns() { ss -Htn state established "( dport = :$LEGACY_PORT )" | wc -l; }

# The legacy Dovecot's CPU per second with nothing connected.
log "legacy Dovecot idle baseline ($SETTLE s)"
b0=$(server_cpu legacy); sleep "$SETTLE"; b1=$(server_cpu legacy)
IDLE_RATE=$(echo "scale=5; ($b1 - $b0) / $SETTLE" | bc)

empty_target() {
  rm -rf "$PAIR/new/mail/"* "$DIR/state" "$DIR/mbsync"
  mkdir -p "$DIR/mbsync"; chown -R 65534:65534 "$PAIR/new/mail"
}

# mbsync: one channel per mailbox, pull only.
: > "$DIR/mbsyncrc"
for u in "${USERS[@]}"; do cat >> "$DIR/mbsyncrc" <<RC
IMAPAccount legacy-$u
Host 127.0.0.1
Port $LEGACY_PORT
User $u
Pass $u-pw
SSLType None
AuthMechs PLAIN

IMAPStore legacy-$u
Account legacy-$u
Path INBOX.

IMAPAccount new-$u
Host 127.0.0.1
Port $NEW_PORT
User $u
Pass $u-pw
SSLType None
AuthMechs PLAIN

IMAPStore new-$u
Account new-$u

Channel $u
Far :legacy-$u:
Near :new-$u:
Patterns *
Create Near
Sync Pull
Expunge None
CopyArrivalDate yes
SyncState $DIR/mbsync/$u/

RC
done
mbsync_round() { # mbsync_round CPU_FILE [PARALLEL]: every mailbox once, PARALLEL processes of 50 mailboxes
  for u in "${USERS[@]}"; do mkdir -p "$DIR/mbsync/$u"; done
  printf '%s\n' "${USERS[@]}" | xargs -P "${2:-$PARALLEL}" -n 50 /usr/bin/time -f '%U %S' -a -o "$1" \
    mbsync -q -c "$DIR/mbsyncrc" >> "$DIR/out.mbsync.log" 2>&1 || log "mbsync reported errors (see $DIR/out.mbsync.log)"
}

declare -A ROW
SEED=1
for tool in $TOOLS; do
  empty_target
  SEED=$((SEED + 1))
  idle=$IDLE_MAILBOXES interval_ms=$((INTERVAL * 1000)) max=$MAX_INTERVAL
  case $tool in
    mxcutover) ;;
    mxcutover-budget50) idle=50; interval_ms=60000; max=900 ;;
    mxcutover-fixed60) idle=0; interval_ms=60000; max=60 ;;
    mbsync) ;;
    *) fail "unknown tool '$tool' (mxcutover, mxcutover-budget50, mxcutover-fixed60, mbsync)" ;;
  esac
  JPID=""; LOOP=""
  if [ "$tool" = mbsync ]; then
    log "mbsync: copying the history of $MAILBOXES mailboxes (not measured)"
    t0=$(date +%s.%N); mbsync_round "$DIR/cpu.mbsync-history" 12
    log "mbsync: history in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-6) s"
    : > "$DIR/cpu.mbsync"
    ( end=$(( $(date +%s) + DURATION + DRAIN )); r=0
      while [ "$(date +%s)" -lt "$end" ]; do
        start=$(date +%s); r=$((r + 1))
        mbsync_round "$DIR/cpu.mbsync"
        echo "$(date +%T) round $r: $(( $(date +%s) - start )) s" >> "$DIR/rounds.mbsync.log"
        left=$(( start + MBSYNC_EVERY - $(date +%s) ))
        [ "$left" -gt 0 ] && sleep "$left"
      done ) &
    LOOP=$!
    sleep 1
  else
    log "$tool: JVM starting; history copy of $MAILBOXES mailboxes (not measured); IDLE on $idle, checks ${interval_ms} ms .. ${max} s"
    mkfifo "$DIR/jvm.in.$tool" 2>/dev/null || true
    java $JAVA_OPTS -cp "$CP" io.mxcutover.sync.testing.ContinuousBenchMain \
      "imap://127.0.0.1:$LEGACY_PORT" "imap://127.0.0.1:$NEW_PORT" "$DIR/state" "$DIR/mailboxes.csv" \
      "$PARALLEL" "$interval_ms" "$max" "$idle" < "$DIR/jvm.in.$tool" > "$DIR/out.$tool.log" 2>&1 &
    JPID=$!
    exec 7> "$DIR/jvm.in.$tool"
    until grep -q '^continuous running' "$DIR/out.$tool.log"; do
      kill -0 "$JPID" 2>/dev/null || { tail -20 "$DIR/out.$tool.log" >&2; fail "$tool: the sync JVM exited"; }
      sleep 1
    done
    log "$tool: $(grep '^history done' "$DIR/out.$tool.log"); settling $SETTLE s (IDLE watchers connect)"
    sleep "$SETTLE"
  fi
  log "$tool: delivering $RATE msg/s for $DURATION s to random mailboxes (load $(cut -d' ' -f1-3 /proc/loadavg))"
  l0=$(server_cpu legacy); m0=$(lmtp_cpu); t0=$(date +%s.%N)
  [ -n "$JPID" ] && j0=$(proc_cpu "$JPID")
  ( while :; do legacy_conns; sleep 2; done ) > "$DIR/conns.$tool" &
  CONNS=$!
  read -r delivered arrived missing p50 p99 max mean < <(python3 "$HERE/continuous.py" deliver "$LMTP_PORT" \
      "$PAIR/new/mail" "$MAILBOXES" "$DURATION" "$RATE" "$DRAIN" "$SEED" "$DIR/lags.$tool") \
    || fail "$tool: the delivery/measurement script failed"
  secs=$(echo "$(date +%s.%N) - $t0" | bc)
  kill "$CONNS" 2>/dev/null || true
  lcpu=$(echo "$(server_cpu legacy) - $l0 - ($(lmtp_cpu) - $m0) - $IDLE_RATE * $secs" | bc)
  if [ -n "$JPID" ]; then
    tcpu=$(echo "$(proc_cpu "$JPID") - $j0" | bc)
    echo quit >&7; exec 7>&-
    wait "$JPID" || log "$tool: the JVM exited with $?"
  else
    kill "$LOOP" 2>/dev/null || true; wait "$LOOP" 2>/dev/null || true
    tcpu=$(awk '{c += $1 + $2} END {printf "%.2f", c}' "$DIR/cpu.mbsync")
  fi
  cmax=$(sort -n "$DIR/conns.$tool" | tail -1); cmean=$(awk '{s += $1} END {printf "%.0f", s / NR}' "$DIR/conns.$tool")
  ROW[$tool]=$(printf '%-19s %9s %8s %8s %8.1f %8.1f %8.1f %9.1f%% %10.1f%% %6s %6s' "$tool" "$delivered" "$arrived" \
    "$missing" "$p50" "$p99" "$max" "$(echo "100 * $tcpu / $secs" | bc -l)" "$(echo "100 * $lcpu / $secs" | bc -l)" "$cmax" "$cmean")
  log "${ROW[$tool]}"
done

printf '\n%d mailboxes (4 folders, %d messages each), %s msg/s to random INBOXes through the legacy LMTP for %s s; PARALLEL=%s;\n' \
  "$MAILBOXES" "$HISTORY" "$RATE" "$DURATION" "$PARALLEL"
printf 'mxcutover: checks every %s s after a change .. %s s when quiet, IDLE on %s INBOXes; mbsync: a run over all every %s s.\n' \
  "$INTERVAL" "$MAX_INTERVAL" "$IDLE_MAILBOXES" "$MBSYNC_EVERY"
printf 'Lag from delivery on legacy to the file on new (polled every 0.2 s); CPU as %% of one core over the arrival phase;\n'
printf 'legacy = the legacy Dovecot minus its LMTP process and its idle baseline (%s CPU s/s). Load average at the end: %s\n' \
  "$IDLE_RATE" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-19s %9s %8s %8s %8s %8s %8s %10s %11s %6s %6s\n' tool delivered arrived missing p50_s p99_s max_s tool_cpu legacy_cpu conns cmean
for tool in $TOOLS; do echo "${ROW[$tool]}"; done
