#!/usr/bin/env bash
# Sync benchmark across a WAN: the same corpus and tools as run.sh (mxcutover's sync CLI, the same sync in
# one long-lived JVM as the appliance copies, mbsync, `doveadm backup` over imapc), every tool at the same
# parallelism, with both Dovecots behind a user-space delay/bandwidth proxy (bench/sync/WanProxy.java; `tc
# netem` is not available on the bench box). For each one-way delay a table: full copy s, msgs/s, MB/s,
# re-run with nothing new, the ratios to mbsync and to doveadm, each tool's CPU, the proxy's own CPU, the
# round trips the tool waited for (turns: the client speaking after the server spoke last), and the CPU each
# Dovecot spent meanwhile (legacy_s, new_s; with doveadm the new server's work is in its own cpu_s).
#
#   bench/sync/wan.sh                                   # 4 x 500, 4 in parallel, one-way 0 10 25 50 ms
#   DELAYS="25 50" REPEAT=3 bench/sync/wan.sh           # one-way delays (RTT = 2 x delay), best of 3
#   JITTER=2 RATE_MBIT=100 DELAYS=25 bench/sync/wan.sh  # +0-2 ms jitter, 100 Mbit/s cap per server and direction
#   TOOLS="mxcutover-warm mbsync" MAILBOXES=10 MESSAGES=2000 bench/sync/wan.sh
#   PROXY_TRACE=/tmp/turns.log TOOLS=mxcutover-warm DELAYS=25 REPEAT=1 bench/sync/wan.sh
#       # one line per round trip waited for (ms, server port/connection, bytes, the command): where the waits are
#   EXTRA_FOLDERS=40 ...                              # 40 more subscribed folders per mailbox (gen-corpus.py)
#   NEW_FS=ext4 ...                                   # the new server's Maildirs on a journaled ext4 (loop mount,
#       # root; dovecot-pair.sh): this box's root ext4 has no journal, which made file creation cost both tools
#   PERF_DIR=/tmp/wan-perf ...                        # `perf record -a` of every run (full copies and re-runs),
#       # PERF_DIR/TOOL.HHMMSS.s.perf.data: e.g. perf report -i ... --comm imap --sort dso,sym, the Dovecots' work
#   WARMUP=1 ...                                      # unmeasured warm-up copies per tool (default 3; 0: none)
#   BUILD=0 ...                                       # reuse the last build (its classpath in $BENCH_DIR/cp.txt)
#   MXC_REPO_B=/tmp/sync-base TOOLS="mxcutover-warm mxcutover-warmB" bench/sync/wan.sh   # A/B of two commits
#   MXC_ARGS="--batch 20" MXC_REPO_B=. TOOLS="mxcutover-warm mxcutover-warmB" ...  # A/B of sync CLI options
#       # (MXC_ARGS for mxcutover-warm, MXC_ARGS_B for mxcutover-warmB)
#   MXC_JAVA_OPTS_B="-Xmx512m" TOOLS="mxcutover-warm mxcutover-warmB" ...   # A/B of JVM options (warmB's)
#   With PROXY_TRACE and RATE_MBIT the trace also gets "LINKS ms p0 p1 p2 p3" per 100 ms: each capped link's busy
#   percent (legacy: to it, from it; new: to it, from it), i.e. where one link idles while the other works.
#
# doveadm backup -R reads the legacy server over imapc (through the proxy) and writes the new server's
# Maildirs directly (no IMAP on that side): it only crosses the WAN once. The other tools cross it twice.
# Bounded: every tool run has a timeout (RUN_TIMEOUT, default 600 s); the proxy stops itself after 2 hours.
set -euo pipefail
MAILBOXES=${MAILBOXES:-4}
MESSAGES=${MESSAGES:-500}
PARALLEL=${PARALLEL:-4}
DELAYS=${DELAYS:-"0 10 25 50"}
JITTER=${JITTER:-0}
RATE_MBIT=${RATE_MBIT:-0}
REPEAT=${REPEAT:-2}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
TOOLS=${TOOLS:-"mxcutover mxcutover-warm mbsync doveadm"}
DIR=${BENCH_DIR:-/tmp/mxcutover-bench-wan}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "wan.sh: $*"; exit 1; }
trap 'rc=$?; log "wan.sh: failed (exit $rc) at line $LINENO: $BASH_COMMAND"' ERR

for c in java mvn python3 bc mbsync doveadm /usr/sbin/dovecot /usr/bin/time timeout; do
  command -v "$c" >/dev/null || die "'$c' is not installed (README: bench setup; it/servers.sh install for Dovecot)"
done

# --- build (in place, as run.sh does; output kept in a log, shown when it fails) ---
# bench_mvn (bench/build.sh): offline first, online when that fails (a fresh machine's Maven cache lacks the
# dependency plugin); on failure it prints the command and its output.
. "$HERE/../build.sh"
build_sync() { # build_sync CHECKOUT CLASSPATH_FILE
  log "building sync in $1 (test-compile; log in $DIR/build.log)"
  bench_mvn "$1" "$DIR/build.log" -pl sync -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$2" -Dspotless.check.skip=true || die "building sync in $1 failed (above)"
}
if [ "${BUILD:-1}" = 1 ] || [ ! -s "$DIR/cp.txt" ]; then build_sync "$REPO" "$DIR/cp.txt"; fi # BUILD=0: as built
CP="$REPO/sync/target/classes:$REPO/sync/target/test-classes:$(cat "$DIR/cp.txt")"
if [ -n "${MXC_REPO_B:-}" ]; then
  MXC_REPO_B=$(cd "$MXC_REPO_B" && pwd)
  build_sync "$MXC_REPO_B" "$DIR/cp-b.txt"
  CP_B="$MXC_REPO_B/sync/target/classes:$MXC_REPO_B/sync/target/test-classes:$(cat "$DIR/cp-b.txt")"
else
  CP_B=$CP
fi
# The ./mxcutover launcher's `sync` JVM options (as run.sh).
MXC_JAVA_OPTS=${MXC_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000 -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::implCompress0,0.01 -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::implCompressMultiBlock0,0.01"}
# MXC_JAVA_OPTS_B: the JVM options of mxcutover-warmB (an A/B of JVM flags with MXC_REPO_B unset).
MXC_JAVA_OPTS_B=${MXC_JAVA_OPTS_B:-$MXC_JAVA_OPTS}

# --- servers, corpus ---
CORPUS=$("$REPO/sync/src/test/corpus/fetch.sh") || die "sync/src/test/corpus/fetch.sh failed (the message corpus)"
PAIR=$DIR/pair
"$HERE/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
rm -rf "$PAIR"
bench_need_space "$DIR" $((MAILBOXES * MESSAGES)) "a $MAILBOXES x $MESSAGES corpus"
"$HERE/dovecot-pair.sh" start "$PAIR" > "$DIR/pair.log" 2>&1 || { cat "$DIR/pair.log" >&2; die "the Dovecot pair did not start"; }
. "$PAIR/pair.env"
PROXY_PID=
WARM_PIDS=()
cleanup() {
  for p in "${WARM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  "$HERE/dovecot-pair.sh" stop "$PAIR" || true
  bench_drop_mail "$PAIR"
}
trap cleanup EXIT
USERS=()
for m in $(seq 1 "$MAILBOXES"); do u=$(printf 'bench%02d' "$m"); USERS+=("$u"); "$HERE/dovecot-pair.sh" adduser "$PAIR" "$u" "$u-pw"; done
log "generating $MAILBOXES x $MESSAGES messages on legacy"
read -r TOTAL_MSGS TOTAL_BYTES < <(python3 "$HERE/gen-corpus.py" "$CORPUS" "$PAIR/legacy/mail" "$MAILBOXES" "$MESSAGES")
[ -n "${TOTAL_BYTES:-}" ] || die "gen-corpus.py wrote no corpus"
log "corpus: $TOTAL_MSGS messages, $((TOTAL_BYTES / 1048576)) MiB"
for u in "${USERS[@]}"; do doveadm -c "$PAIR/legacy/dovecot.conf" mailbox status -u "$u" messages '*' >/dev/null; done
if [ "${EXTRA_FOLDERS:-0}" -gt 0 ]; then # a user's own folders are subscribed: each is CREATEd and SUBSCRIBEd on new
  for u in "${USERS[@]}"; do
    doveadm -c "$PAIR/legacy/dovecot.conf" mailbox list -u "$u" |
      xargs -d '\n' doveadm -c "$PAIR/legacy/dovecot.conf" mailbox subscribe -u "$u"
  done
fi

# --- the proxy: one process for the whole run, its delay set between runs ---
rm -f "$DIR/proxy.ports"
javac -d "$DIR/proxy-classes" "$HERE/WanProxy.java" > "$DIR/proxy-build.log" 2>&1 || { cat "$DIR/proxy-build.log" >&2; die "WanProxy.java does not compile"; }
coproc PROXY { exec java -Xmx256m -XX:+UseSerialGC ${PROXY_TRACE:+-Dtrace=$PROXY_TRACE} -cp "$DIR/proxy-classes" WanProxy "$DIR/proxy.ports" 7200 \
  "127.0.0.1:$LEGACY_PORT" "127.0.0.1:$NEW_PORT" 2> "$DIR/proxy.log"; }
PROXY_PID=$PROXY_PID
PIN=${PROXY[1]}; POUT=${PROXY[0]}
for i in $(seq 1 100); do [ -s "$DIR/proxy.ports" ] && [ "$(wc -l < "$DIR/proxy.ports")" = 2 ] && break; sleep 0.1; done
[ -s "$DIR/proxy.ports" ] || { cat "$DIR/proxy.log" >&2; die "the WAN proxy did not start"; }
WAN_LEGACY=$(sed -n 1p "$DIR/proxy.ports"); WAN_NEW=$(sed -n 2p "$DIR/proxy.ports")
proxy() { # proxy COMMAND -> the proxy's answer
  echo "$*" >&"$PIN"
  local a; read -r -t 10 a <&"$POUT" || die "the WAN proxy did not answer '$*' (log: $DIR/proxy.log)"
  echo "$a"
}
log "WAN proxy pid $PROXY_PID: legacy 127.0.0.1:$WAN_LEGACY -> $LEGACY_PORT, new 127.0.0.1:$WAN_NEW -> $NEW_PORT"

{ echo "address,legacy_login,legacy_password,new_login,new_password"
  for u in "${USERS[@]}"; do echo "$u@example.test,$u,$u-pw,$u,$u-pw"; done; } > "$DIR/mailboxes.csv"
mkdir -p "$DIR/mbsync"
: > "$DIR/mbsyncrc"
for u in "${USERS[@]}"; do cat >> "$DIR/mbsyncrc" <<RC
IMAPAccount legacy-$u
Host 127.0.0.1
Port $WAN_LEGACY
User $u
Pass $u-pw
SSLType None
AuthMechs PLAIN

IMAPStore legacy-$u
Account legacy-$u
Path INBOX.

IMAPAccount new-$u
Host 127.0.0.1
Port $WAN_NEW
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
  rm -rf "$PAIR/new/mail/"* "$DIR/mbsync/"* "$DIR"/state*.db* 
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

ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_s() { echo "scale=2; $1 / $(getconf CLK_TCK)" | bc; }

# One long-lived JVM per warm tool (io.mxcutover.sync.testing.WarmCliMain, as run.sh's mxcutover-warm).
declare -A WARM_IN WARM_OUT WARM_PID
start_warm() { # start_warm TOOL CLASSPATH JAVA_OPTS [EXTRA_CLI_ARGS]
  local tool=$1 cp=$2 opts=$3 extra=${4:-} fifo_in="$DIR/$1.in" fifo_out="$DIR/$1.out"
  rm -f "$fifo_in" "$fifo_out"; mkfifo "$fifo_in" "$fifo_out"
  java $opts -cp "$cp" io.mxcutover.sync.testing.WarmCliMain \
    --legacy "imap://127.0.0.1:$WAN_LEGACY" --new "imap://127.0.0.1:$WAN_NEW" --csv "$DIR/mailboxes.csv" \
    --state "$DIR/state-$tool.db" --parallel "$PARALLEL" $extra < "$fifo_in" > "$fifo_out" 2> "$DIR/out.$tool.log" &
  WARM_PID[$tool]=$!; WARM_PIDS+=("$!")
  exec {fd_in}>"$fifo_in"; exec {fd_out}<"$fifo_out"
  WARM_IN[$tool]=$fd_in; WARM_OUT[$tool]=$fd_out
}
for tool in $TOOLS; do
  case $tool in
    mxcutover-warm) start_warm "$tool" "$CP" "$MXC_JAVA_OPTS" "${MXC_ARGS:-}" ;;
    mxcutover-warmB) start_warm "$tool" "$CP_B" "$MXC_JAVA_OPTS_B" "${MXC_ARGS_B:-}" ;;
    mxcutover|mxcutoverB|mbsync|doveadm) ;;
    *) die "unknown tool '$tool' (mxcutover mxcutoverB mxcutover-warm mxcutover-warmB mbsync doveadm)" ;;
  esac
done

# CPU ticks so far of one Dovecot of the pair (legacy|new): its master's own and its waited-for children's,
# plus every live child's (an imap process that ends during a run moves from the second sum to the first).
dovecot_ticks() {
  local m c
  m=$(cat "$PAIR/$1/run/master.pid" 2>/dev/null) || { echo 0; return; }
  {
    awk '{print $14 + $15 + $16 + $17}' "/proc/$m/stat" 2>/dev/null || true
    # a child may end between ps and awk (pipefail and set -e would end the caller)
    for c in $(ps -o pid= --ppid "$m"); do awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk '{s += $1} END {print s + 0}'
}

# run_tool TOOL -> "seconds tool_cpu_s proxy_cpu_s turns legacy_cpu_s new_cpu_s"; on failure prints the tool's
# last output and fails. legacy/new: the CPU each Dovecot spent meanwhile (doveadm backup writes the new
# server's Maildirs in its own process, so its new-server work is in its tool CPU).
run_tool() {
  local tool=$1 cpu="$DIR/cpu.$tool.log" start end p0 p1 l0 l1 n0 n1 t=0 out="$DIR/out.$tool.log"
  : > "$cpu"
  proxy stats > /dev/null
  p0=$(ticks_of "$PROXY_PID"); l0=$(dovecot_ticks legacy); n0=$(dovecot_ticks new)
  local perf_pid=
  if [ -n "${PERF_DIR:-}" ]; then
    mkdir -p "$PERF_DIR"
    local stamp; stamp=$(date +%H%M%S.%N | cut -c1-10)
    perf record -q -a -g -F 499 -o "$PERF_DIR/$tool.$stamp.perf.data" >"$PERF_DIR/$tool.$stamp.perf.log" 2>&1 & perf_pid=$!
  fi
  start=$(date +%s.%N)
  case $tool in
    mxcutover|mxcutoverB)
      local cp=$CP; [ "$tool" = mxcutoverB ] && cp=$CP_B
      timeout "$RUN_TIMEOUT" /usr/bin/time -f '%U %S' -a -o "$cpu" java $MXC_JAVA_OPTS -cp "$cp" io.mxcutover.sync.testing.CliMain \
        --legacy "imap://127.0.0.1:$WAN_LEGACY" --new "imap://127.0.0.1:$WAN_NEW" --csv "$DIR/mailboxes.csv" \
        --state "$DIR/state-$tool.db" --parallel "$PARALLEL" > "$out" 2>&1 \
        || { tail -20 "$out" >&2; log "$tool failed (log: $out)"; return 1; } ;;
    mxcutover-warm|mxcutover-warmB)
      local word code cpu_ms
      echo run >&"${WARM_IN[$tool]}"
      read -r -t "$RUN_TIMEOUT" word code cpu_ms <&"${WARM_OUT[$tool]}" || true
      [ "${word:-}" = done ] && [ "${code:-}" = 0 ] \
        || { tail -20 "$DIR/out.$tool.log" >&2; log "$tool failed (answer '${word:-} ${code:-}', log: $DIR/out.$tool.log)"; return 1; }
      echo "$(echo "scale=2; $cpu_ms / 1000" | bc) 0" >> "$cpu" ;;
    mbsync)
      printf '%s\n' "${USERS[@]}" | timeout "$RUN_TIMEOUT" xargs -P "$PARALLEL" -I{} /usr/bin/time -f '%U %S' -a -o "$cpu" \
        mbsync -q -c "$DIR/mbsyncrc" {} > "$out" 2>&1 || { tail -20 "$out" >&2; log "$tool failed (log: $out)"; return 1; } ;;
    doveadm)
      printf '%s\n' "${USERS[@]}" | timeout "$RUN_TIMEOUT" xargs -P "$PARALLEL" -I{} /usr/bin/time -f '%U %S' -a -o "$cpu" \
        doveadm -c "$PAIR/new/dovecot.conf" -o imapc_host=127.0.0.1 -o imapc_port="$WAN_LEGACY" \
          -o imapc_user={} -o imapc_password={}-pw -o imapc_features="rfc822.size fetch-headers modseq" \
          -o mail_prefetch_count=20 backup -R -u {} imapc: > "$out" 2>&1 \
        || { tail -20 "$out" >&2; log "$tool failed (log: $out)"; return 1; } ;;
  esac
  end=$(date +%s.%N)
  p1=$(ticks_of "$PROXY_PID"); l1=$(dovecot_ticks legacy); n1=$(dovecot_ticks new)
  [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; }
  local st; st=$(proxy stats)
  t=$(echo "$st" | cut -d' ' -f3)
  echo "$(echo "$end - $start" | bc) $(grep -E '^[0-9.]+ ' "$cpu" | awk '{c += $1 + $2} END {printf "%.2f", c}') $(cpu_s $((p1 - p0))) $t $(cpu_s $((l1 - l0))) $(cpu_s $((n1 - n0)))"
}

best() { # best CURRENT NEW -> the smaller (CURRENT may be empty)
  if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi
}

# Warm-up on loopback delays (0 ms): the legacy Dovecot builds its caches on the first FETCH of each message,
# and the warm JVMs compile; nobody pays for that in the measured runs. WARMUP copies per tool (0: none). One
# copy (2,000 messages) leaves a warm JVM still compiling: its CPU per copy fell from ~2.3 s to ~1.3 s over the
# next four copies (RESULTS.md, eighth session); the appliance has copied far more than that within its first
# minutes, so three are the default.
# The last warm-up copy of each tool goes through the proxy as the first measured runs will (delay, jitter,
# cap): at 0 ms the proxy never runs its delay and cap code, and its first measured round then paid for the
# JIT (proxy CPU 0.66 s against 0.45-0.51 s, and every tool's first round 0.5-1.5 s slower).
WARMUP=${WARMUP:-3}
FIRST_DELAY=${DELAYS%% *}
for tool in $TOOLS; do
  for ((w = 1; w <= WARMUP; w++)); do
    if [ "$w" = "$WARMUP" ]; then
      proxy set "$FIRST_DELAY" "$JITTER" "$RATE_MBIT" > /dev/null
    else
      proxy set 0 0 0 > /dev/null
    fi
    empty_target
    log "$tool: warm-up copy $w of $WARMUP (not measured)"
    run_tool "$tool" > /dev/null || die "$tool: the warm-up copy failed"
  done
done

TABLES=$DIR/tables.txt
: > "$TABLES"
for delay in $DELAYS; do
  proxy set "$delay" "$JITTER" "$RATE_MBIT" > /dev/null
  declare -A FULL=() RERUN=() CPU=() RCPU=() PCPU=() RPCPU=() TURNS=() RTURNS=() COPIED=() ROUNDS=() LCPU=() NCPU=()
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  for round in $(seq 1 "$REPEAT"); do
    for tool in $TOOLS; do
      empty_target
      log "one-way ${delay} ms: $tool full copy (round $round, load $(cut -d' ' -f1-3 /proc/loadavg))"
      read -r s cpu pc turns lc nc < <(run_tool "$tool") || die "$tool: full copy failed at one-way delay $delay ms"
      [ -n "${s:-}" ] || die "$tool: full copy failed at one-way delay $delay ms"
      log "  $s s; tool CPU $cpu s; proxy CPU $pc s; legacy Dovecot CPU $lc s; new Dovecot CPU $nc s; $turns turns"
      ROUNDS[$tool]="${ROUNDS[$tool]:-}${ROUNDS[$tool]:+ / }$s"
      FULL[$tool]=$(best "${FULL[$tool]:-}" "$s"); CPU[$tool]=$(best "${CPU[$tool]:-}" "$cpu")
      PCPU[$tool]=$(best "${PCPU[$tool]:-}" "$pc"); TURNS[$tool]=$(best "${TURNS[$tool]:-}" "$turns")
      LCPU[$tool]=$(best "${LCPU[$tool]:-}" "$lc"); NCPU[$tool]=$(best "${NCPU[$tool]:-}" "$nc")
      COPIED[$tool]=$(target_count)
      [ "${COPIED[$tool]}" = "$TOTAL_MSGS" ] || log "  WARNING: $tool left ${COPIED[$tool]} of $TOTAL_MSGS messages on the target"
      read -r s cpu pc turns lc nc < <(run_tool "$tool") || die "$tool: re-run failed at one-way delay $delay ms"
      [ -n "${s:-}" ] || die "$tool: re-run failed at one-way delay $delay ms"
      log "  re-run $s s; tool CPU $cpu s; proxy CPU $pc s; $turns turns"
      RERUN[$tool]=$(best "${RERUN[$tool]:-}" "$s"); RCPU[$tool]=$(best "${RCPU[$tool]:-}" "$cpu")
      RPCPU[$tool]=$(best "${RPCPU[$tool]:-}" "$pc"); RTURNS[$tool]=$(best "${RTURNS[$tool]:-}" "$turns")
    done
  done
  {
    printf '\nOne-way delay %s ms (RTT %s ms), jitter 0-%s ms, bandwidth cap %s; %d x %d = %d messages, %.1f MiB, %d in parallel\n' \
      "$delay" "$(echo "$delay * 2" | bc)" "$JITTER" "$([ "$RATE_MBIT" = 0 ] && echo none || echo "$RATE_MBIT Mbit/s")" \
      "$MAILBOXES" "$MESSAGES" "$TOTAL_MSGS" "$(echo "$TOTAL_BYTES / 1048576" | bc -l)" "$PARALLEL"
    printf 'best of %d, tools alternating; load average %s at the start, %s at the end\n' "$REPEAT" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-16s %7s %7s %6s %9s %7s %8s %8s %6s %6s %8s %6s %7s %8s %8s %s\n' tool full_s msgs/s MB/s on_target rerun_s vs_mbsync vs_doveadm cpu_s proxy_s rerun_cpu turns rturns legacy_s new_s rounds
    for tool in $TOOLS; do
      s=${FULL[$tool]}
      vm="-"; vd="-"
      [ -n "${FULL[mbsync]:-}" ] && vm=$(printf '%.2fx' "$(echo "${FULL[mbsync]} / $s" | bc -l)")
      [ -n "${FULL[doveadm]:-}" ] && vd=$(printf '%.2fx' "$(echo "${FULL[doveadm]} / $s" | bc -l)")
      printf '%-16s %7.2f %7.0f %6.1f %9d %7.2f %8s %8s %6.2f %6.2f %8.2f %6d %7d %8.2f %8.2f %s\n' "$tool" "$s" \
        "$(echo "$TOTAL_MSGS / $s" | bc -l)" "$(echo "$TOTAL_BYTES / 1000000 / $s" | bc -l)" "${COPIED[$tool]}" \
        "${RERUN[$tool]}" "$vm" "$vd" "${CPU[$tool]}" "${PCPU[$tool]}" "${RCPU[$tool]}" "${TURNS[$tool]}" "${RTURNS[$tool]}" \
        "${LCPU[$tool]}" "${NCPU[$tool]}" "${ROUNDS[$tool]}"
    done
  } | tee -a "$TABLES"
  unset FULL RERUN CPU RCPU PCPU RPCPU TURNS RTURNS COPIED ROUNDS LCPU NCPU
done
log "tables also in $TABLES"
