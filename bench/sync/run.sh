#!/usr/bin/env bash
# Sync benchmark: mxcutover sync vs mbsync (isync) vs `doveadm backup` over imapc, on the same
# private pair of Dovecots (bench/sync/dovecot-pair.sh) and the same corpus (MAILBOXES x MESSAGES,
# SpamAssassin messages plus padded ones, see gen-corpus.py), the target emptied between runs,
# every tool at the same parallelism (PARALLEL mailboxes at once). Prints messages/s, MB/s, peak
# RSS and the ratio to mbsync, for a full copy and for a re-run with nothing new.
#
#   bench/sync/run.sh                       # 10 x 2000, 4 in parallel
#   MAILBOXES=4 MESSAGES=500 bench/sync/run.sh
#   TOOLS="mxcutover mbsync" bench/sync/run.sh
#   JFR=1 TOOLS=mxcutover MAILBOXES=4 MESSAGES=1000 bench/sync/run.sh   # + a JFR recording per run in $DIR;
#   python3 bench/sync/jfr-top.py $DIR/sync-*.jfr                         # hottest frames (self and total)
#   REPEAT=3 TOOLS="mxcutover mxcutoverB mbsync" MXC_JAVA_OPTS_B="-XX:TieredStopAtLevel=1" bench/sync/run.sh
#       # A/B of JVM options (or MXC_CLASSES_B: of builds) in one run, alternating, best of 3 each
#   git worktree add /tmp/sync-base <commit>
#   REPEAT=3 TOOLS="mxcutover mxcutoverB" MXC_REPO_B=/tmp/sync-base bench/sync/run.sh
#   REPEAT=3 TOOLS="mxcutover-warm mxcutover-warmB" MXC_REPO_B=/tmp/sync-base bench/sync/run.sh   # the same, warm
#       # A/B of two commits: mxcutoverB runs the other checkout's build (built here the same way)
#   KEEP=1 bench/sync/run.sh                # keep the pair's mailboxes in $BENCH_DIR/pair (removed at the end otherwise)
#   WARMUP=0 bench/sync/run.sh              # skip the unmeasured warm-up copy of every tool
#   CORPUS_MIX=small MAILBOXES=10 MESSAGES=10000 bench/sync/run.sh   # SpamAssassin messages only (~5 KB each)
#   TOOLS="mxcutover mxcutover-warm mbsync" bench/sync/run.sh
#       # mxcutover-warm: the same sync run again and again in one JVM (as the appliance's daemon copies);
#       # its warm-up copy is that JVM's first run
# Besides the tool's own CPU, the table shows the CPU each Dovecot spent serving it (legacy_cpu, new_cpu).
set -euo pipefail
MAILBOXES=${MAILBOXES:-10}
MESSAGES=${MESSAGES:-2000}
PARALLEL=${PARALLEL:-4}
TOOLS=${TOOLS:-"mxcutover mbsync doveadm"}
DIR=${BENCH_DIR:-/tmp/mxcutover-bench-sync}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
for tool in $TOOLS; do
  case $tool in
    mxcutover|mxcutoverB|mxcutover-warm|mxcutover-warmB|mbsync|doveadm) ;;
    *) echo "run.sh: unknown tool '$tool' in TOOLS (mxcutover mxcutoverB mxcutover-warm mxcutover-warmB mbsync doveadm)" >&2; exit 1 ;;
  esac
done

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# --- build mxcutover's sync CLI (the sync module's test classpath has the SQLite/Flyway opener) ---
# Compiled in place and run from sync/target/ (classes, test-classes and the jars of the local repository);
# nothing is installed into the local repository, which other checkouts share. Incremental: a build that is
# up to date costs the Maven start-up only.
# bench_mvn (bench/build.sh): offline first, online when that fails; on failure it prints the output.
. "$HERE/../build.sh"
bench_need "it/servers.sh install" /usr/sbin/dovecot doveadm mbsync python3 bc /usr/bin/time
build_sync() { # build_sync CHECKOUT CLASSPATH_FILE
  log "building sync in $1 (test-compile; output in $DIR/build.log)"
  bench_mvn "$1" "$DIR/build.log" -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
     -Dmdep.outputFile="$2"
}
build_sync "$REPO" "$DIR/cp.txt"
# MXC_REPO_B: another checkout (e.g. a git worktree of an older commit) whose build tool "mxcutoverB" runs.
if [ -n "${MXC_REPO_B:-}" ]; then
  MXC_REPO_B=$(cd "$MXC_REPO_B" && pwd)
  build_sync "$MXC_REPO_B" "$DIR/cp-b.txt"
fi
# MXC_CLASSES: another build of the sync classes (an A/B run against an older commit's classes).
# MXC_JAVA_OPTS: the sync JVM's options (A/B runs of JVM flags); default: those the ./mxcutover launcher
# gives `sync` (serial GC, C2 only for the hottest code) with a bounded heap. The launcher's AppCDS archive
# needs jars, not these class directories, so it is not used here (it saves ~0.35 s of a re-run).
MXC_JAVA_OPTS=${MXC_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::implCompress0,0.01 -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::implCompressMultiBlock0,0.01"}
CP="${MXC_CLASSES:-$REPO/sync/target/classes}:$REPO/sync/target/test-classes:$(cat "$DIR/cp.txt")"
# Tool "mxcutoverB": an A/B twin of "mxcutover" in the same run (same pair, same corpus, alternating),
# with its own JVM options and classes: MXC_JAVA_OPTS_B, MXC_CLASSES_B (default: those of "mxcutover").
MXC_JAVA_OPTS_B=${MXC_JAVA_OPTS_B:-$MXC_JAVA_OPTS}
if [ -n "${MXC_REPO_B:-}" ]; then
  CP_B="$MXC_REPO_B/sync/target/classes:$MXC_REPO_B/sync/target/test-classes:$(cat "$DIR/cp-b.txt")"
else
  CP_B="${MXC_CLASSES_B:-${MXC_CLASSES:-$REPO/sync/target/classes}}:$REPO/sync/target/test-classes:$(cat "$DIR/cp.txt")"
fi
# REPEAT: runs per tool, alternating between tools round by round; the best (shortest) of each is kept.
REPEAT=${REPEAT:-1}

# --- servers and corpus ---
CORPUS=$("$REPO/sync/src/test/corpus/fetch.sh")
PAIR=$DIR/pair
"$HERE/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
rm -rf "$PAIR"
bench_need_space "$DIR" $((MAILBOXES * MESSAGES)) "a $MAILBOXES x $MESSAGES corpus"
"$HERE/dovecot-pair.sh" start "$PAIR" >/dev/null
stop_pair() { "$HERE/dovecot-pair.sh" stop "$PAIR" || true; bench_drop_mail "$PAIR"; }
trap stop_pair EXIT
. "$PAIR/pair.env"
USERS=()
for m in $(seq 1 "$MAILBOXES"); do u=$(printf 'bench%02d' "$m"); USERS+=("$u"); "$HERE/dovecot-pair.sh" adduser "$PAIR" "$u" "$u-pw"; done
log "generating $MAILBOXES x $MESSAGES messages on legacy"
read -r TOTAL_MSGS TOTAL_BYTES < <(python3 "$HERE/gen-corpus.py" "$CORPUS" "$PAIR/legacy/mail" "$MAILBOXES" "$MESSAGES")
log "corpus: $TOTAL_MSGS messages, $((TOTAL_BYTES / 1048576)) MiB"
# Let legacy index everything once (a first access builds its index; no tool should pay for that).
for u in "${USERS[@]}"; do doveadm -c "$PAIR/legacy/dovecot.conf" mailbox status -u "$u" messages '*' >/dev/null; done

{ echo "address,legacy_login,legacy_password,new_login,new_password"
  for u in "${USERS[@]}"; do echo "$u@example.test,$u,$u-pw,$u,$u-pw"; done; } > "$DIR/mailboxes.csv"

# mbsync: one channel per mailbox; Far = legacy, Near = new; pull only; arrival dates kept.
mkdir -p "$DIR/mbsync"
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

empty_target() {
  rm -rf "$PAIR/new/mail/"* "$DIR/mbsync/"* "$DIR"/state.db* "$DIR"/state.db.key
  for u in "${USERS[@]}"; do mkdir -p "$DIR/mbsync/$u"; done
  chown -R 65534:65534 "$PAIR/new/mail"
}

target_count() {
  local n=0 c
  for u in "${USERS[@]}"; do
    c=$(doveadm -c "$PAIR/new/dovecot.conf" -f flow mailbox status -u "$u" messages '*' 2>/dev/null \
        | sed -n 's/.*messages=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
    n=$((n + ${c:-0}))
  done
  echo "$n"
}

# server_cpu NAME -> CPU seconds (user + system) the Dovecot instance NAME (legacy|new) has used so far:
# its master and live children, plus the children that have exited (the master waits for them, so
# their CPU is in its cutime/cstime). The difference across a run is what the run cost that server.
server_cpu() {
  local master ticks
  master=$(cat "$PAIR/$1/run/master.pid")
  ticks=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat")
  for c in $(pgrep -P "$master" || true); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}

# run_tool TOOL -> prints "seconds peak_rss_kib_max peak_rss_kib_sum cpu_seconds" (the tool's own CPU,
# user + system, all its processes; the servers' CPU is not in it). On a loaded machine the tool's CPU
# seconds are a steadier A/B figure than the wall clock: every CPU second the tool spends is one the
# two Dovecots do not get on a 2-core box.
run_tool() {
  local tool=$1 rss="$DIR/rss.$tool.log" start end l0 n0
  : > "$rss"
  l0=$(server_cpu legacy); n0=$(server_cpu new)
  start=$(date +%s.%N)
  case $tool in
    mxcutover|mxcutoverB)
      local opts=$MXC_JAVA_OPTS cp=$CP
      if [ "$tool" = mxcutoverB ]; then opts=$MXC_JAVA_OPTS_B; cp=$CP_B; fi
      /usr/bin/time -f '%M %U %S' -a -o "$rss" java $opts ${JFR:+"-XX:StartFlightRecording=filename=$DIR/sync-$(date +%s).jfr,settings=profile"} \
        -cp "$cp" io.mxcutover.sync.testing.CliMain \
        --legacy "imap://127.0.0.1:$LEGACY_PORT" --new "imap://127.0.0.1:$NEW_PORT" --csv "$DIR/mailboxes.csv" \
        --state "$DIR/state.db" --parallel "$PARALLEL" > "$DIR/out.$tool.log" 2>&1 || { tail -20 "$DIR/out.$tool.log" >&2; return 1; } ;;
    mxcutover-warm|mxcutover-warmB)
      # The same sync in the long-lived JVM started below (as in the appliance's daemon: JIT already warm);
      # mxcutover-warmB: the same with MXC_REPO_B's build.
      local word code cpu_ms in=${WARM[0]} out=${WARM[1]} pid=$WARM_PID
      if [ "$tool" = mxcutover-warmB ]; then in=${WARMB[0]}; out=${WARMB[1]}; pid=$WARMB_PID; fi
      echo run >&"$out"
      read -r word code cpu_ms <&"$in"
      [ "$word" = done ] && [ "$code" = 0 ] || { tail -20 "$DIR/out.$tool.log" >&2; return 1; }
      echo "$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status") $(echo "scale=2; $cpu_ms / 1000" | bc) 0" >> "$rss" ;;
    mbsync)
      printf '%s\n' "${USERS[@]}" | xargs -P "$PARALLEL" -I{} /usr/bin/time -f '%M %U %S' -a -o "$rss" \
        mbsync -q -c "$DIR/mbsyncrc" {} > "$DIR/out.$tool.log" 2>&1 || { tail -20 "$DIR/out.$tool.log" >&2; return 1; } ;;
    doveadm)
      printf '%s\n' "${USERS[@]}" | xargs -P "$PARALLEL" -I{} /usr/bin/time -f '%M %U %S' -a -o "$rss" \
        doveadm -c "$PAIR/new/dovecot.conf" -o imapc_host=127.0.0.1 -o imapc_port="$LEGACY_PORT" \
          -o imapc_user={} -o imapc_password={}-pw -o imapc_features="rfc822.size fetch-headers modseq" \
          -o mail_prefetch_count=20 backup -R -u {} imapc: > "$DIR/out.$tool.log" 2>&1 \
        || { tail -20 "$DIR/out.$tool.log" >&2; return 1; } ;;
    *) echo "run.sh: unknown tool '$tool'" >&2; return 1 ;;
  esac
  end=$(date +%s.%N)
  sleep 0.5 # the imap processes exit after LOGOUT; then their CPU is in the master's
  local secs max sum cpu lcpu ncpu
  lcpu=$(echo "$(server_cpu legacy) - $l0" | bc); ncpu=$(echo "$(server_cpu new) - $n0" | bc)
  secs=$(echo "$end - $start" | bc)
  # One line per process: peak RSS (KiB), user and system CPU seconds.
  max=$(grep -E '^[0-9]+ ' "$rss" | cut -d' ' -f1 | sort -n | tail -1)
  sum=$(grep -E '^[0-9]+ ' "$rss" | cut -d' ' -f1 | paste -sd+ | bc)
  cpu=$(grep -E '^[0-9]+ ' "$rss" | awk '{c += $2 + $3} END {printf "%.2f", c}')
  echo "$secs $max $sum $cpu $lcpu $ncpu"
}

# Tool "mxcutover-warm": one JVM for all its runs (io.mxcutover.sync.testing.WarmCliMain), started here.
if [[ " $TOOLS " == *" mxcutover-warm "* ]]; then
  coproc WARM { exec java $MXC_JAVA_OPTS -cp "$CP" io.mxcutover.sync.testing.WarmCliMain \
    --legacy "imap://127.0.0.1:$LEGACY_PORT" --new "imap://127.0.0.1:$NEW_PORT" --csv "$DIR/mailboxes.csv" \
    --state "$DIR/state.db" --parallel "$PARALLEL" 2> "$DIR/out.mxcutover-warm.log"; }
  trap 'echo quit >&"${WARM[1]}" 2>/dev/null; stop_pair' EXIT
fi
if [[ " $TOOLS " == *" mxcutover-warmB "* ]]; then
  [ -n "${MXC_REPO_B:-}" ] || { echo "run.sh: mxcutover-warmB needs MXC_REPO_B (another checkout)" >&2; exit 1; }
  coproc WARMB { exec java $MXC_JAVA_OPTS_B -cp "$CP_B" io.mxcutover.sync.testing.WarmCliMain \
    --legacy "imap://127.0.0.1:$LEGACY_PORT" --new "imap://127.0.0.1:$NEW_PORT" --csv "$DIR/mailboxes.csv" \
    --state "$DIR/state.db" --parallel "$PARALLEL" 2> "$DIR/out.mxcutover-warmB.log"; }
  trap 'echo quit >&"${WARM[1]}" 2>/dev/null; echo quit >&"${WARMB[1]}" 2>/dev/null; stop_pair' EXIT
fi

# Warm-up: every tool copies everything once, unmeasured. The legacy Dovecot builds its caches (message
# sizes, header fields) on the first FETCH of each message; whichever tool went first would pay for it.
if [ "${WARMUP:-1}" = 1 ]; then
  for tool in $TOOLS; do
    empty_target
    log "$tool: warm-up copy (not measured)"
    run_tool "$tool" > /dev/null
  done
fi

declare -A FULL RERUN RSSMAX RSSSUM COPIED CPU RCPU LCPU NCPU
for round in $(seq 1 "$REPEAT"); do
  for tool in $TOOLS; do
    empty_target
    log "$tool: full copy (round $round, load $(cut -d' ' -f1-3 /proc/loadavg))"
    read -r s mx sm cpu lc nc < <(run_tool "$tool")
    log "$tool: $s s, $cpu s CPU; servers: legacy $lc s, new $nc s CPU"
    if [ -z "${FULL[$tool]:-}" ] || [ "$(echo "$s < ${FULL[$tool]}" | bc)" = 1 ]; then
      FULL[$tool]=$s; RSSMAX[$tool]=$mx; RSSSUM[$tool]=$sm; LCPU[$tool]=$lc; NCPU[$tool]=$nc
    fi
    if [ -z "${CPU[$tool]:-}" ] || [ "$(echo "$cpu < ${CPU[$tool]}" | bc)" = 1 ]; then CPU[$tool]=$cpu; fi
    COPIED[$tool]=$(target_count)
    log "$tool: ${COPIED[$tool]} messages on target; re-run with nothing new"
    read -r s _ _ cpu _ _ < <(run_tool "$tool")
    log "$tool: re-run $s s, $cpu s CPU"
    if [ -z "${RERUN[$tool]:-}" ] || [ "$(echo "$s < ${RERUN[$tool]}" | bc)" = 1 ]; then RERUN[$tool]=$s; fi
    if [ -z "${RCPU[$tool]:-}" ] || [ "$(echo "$cpu < ${RCPU[$tool]}" | bc)" = 1 ]; then RCPU[$tool]=$cpu; fi
  done
done

printf '\nCorpus: %d mailboxes x %d messages = %d messages, %.1f MiB; %d mailboxes in parallel; 2 cores\n' \
  "$MAILBOXES" "$MESSAGES" "$TOTAL_MSGS" "$(echo "$TOTAL_BYTES / 1048576" | bc -l)" "$PARALLEL"
[ "$REPEAT" -gt 1 ] && echo "best of $REPEAT runs per tool, alternating; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-15s %10s %10s %9s %9s %12s %12s %10s %9s %8s %8s %10s %8s\n' tool full_s msgs/s MB/s on_target peakRSS_max peakRSS_sum rerun_s "vs mbsync" cpu_s rerun_cpu legacy_cpu new_cpu
base=${FULL[mbsync]:-}
for tool in $TOOLS; do
  s=${FULL[$tool]}
  ratio="-"
  [ -n "$base" ] && ratio=$(printf '%.2fx' "$(echo "$base / $s" | bc -l)")
  printf '%-15s %10.1f %10.0f %9.1f %9d %10d MB %10d MB %10.2f %9s %8.2f %8.2f %10.2f %8.2f\n' "$tool" "$s" \
    "$(echo "$TOTAL_MSGS / $s" | bc -l)" "$(echo "$TOTAL_BYTES / 1000000 / $s" | bc -l)" "${COPIED[$tool]}" \
    "$((${RSSMAX[$tool]} / 1024))" "$((${RSSSUM[$tool]} / 1024))" "${RERUN[$tool]}" "$ratio" "${CPU[$tool]}" "${RCPU[$tool]}" "${LCPU[$tool]}" "${NCPU[$tool]}"
done
