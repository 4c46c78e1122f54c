#!/usr/bin/env bash
# Profiles mxcutover's relay under smtp-source load with Java Flight Recorder: where CPU goes
# (execution samples) and where a session waits (file force, socket reads, parks), at one
# concurrency and message size. Uses the classpath bench/relay/run.sh built.
#
#   bench/relay/profile.sh [concurrency] [size] [messages]      e.g. bench/relay/profile.sh 1 5000 3000
#   TLS=1 bench/relay/profile.sh 10 5000 2000   # STARTTLS (RSA 2048, as run.sh's TLS=1), client bench/relay/smtp-load.py
#   WARM=5000 ...   # warm-up messages before the measured load (default 1000)
#   PERF=1 ...   # also `perf record` of the relay's JVM during the measured load: CPU per library (JFR does not
#                # sample native code: the TLS provider, the JVM's GC and compiler, the kernel) and top symbols
#   TLS_PROVIDER=jdk ...   # the relay's STARTTLS in the JDK's TLS instead of BoringSSL (auto, native, jdk)
#   MX_JAVA_OPTS="-XX:..." ...   # JVM options of the relay
#
# Loopback only, free ports; every process started here is stopped by its PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench/relay/target/profile}
C=${1:-1}; SIZE=${2:-5000}; N=${3:-3000}
CPFILE=${CPFILE:-$ROOT/bench/relay/target/run/cp.txt}
[ -f "$CPFILE" ] || { echo "run bench/relay/run.sh once first (it builds the classpath)" >&2; exit 1; }
CP="$ROOT/relay/target/test-classes:$ROOT/relay/target/classes:$(cat "$CPFILE")"
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "no listener on $1" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
TLS=${TLS:-0}
TLSARG=()
# load SESSIONS MESSAGES: one message per connection, as smtp-source; with TLS=1 through STARTTLS
load() {
  if [ "$TLS" = 1 ]; then
    python3 "$ROOT/bench/relay/smtp-load.py" -s "$1" -m "$2" -l "$SIZE" --starttls "$WORK/tls/cert.pem" \
      -f a@sender.test -t bob@example.test 127.0.0.1:"$MX" >/dev/null
  else
    smtp-source -s "$1" -m "$2" -l "$SIZE" -f a@sender.test -t bob@example.test 127.0.0.1:"$MX" >/dev/null
  fi
}
if [ "$TLS" = 1 ]; then
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" -days 2 \
    -subj "/CN=mx.bench.test" >"$WORK/tls/openssl.log" 2>&1
  openssl pkcs12 -export -in "$WORK/tls/cert.pem" -inkey "$WORK/tls/key.pem" -out "$WORK/tls/relay.p12" \
    -passout pass:bench-tls-pw >>"$WORK/tls/openssl.log" 2>&1
  TLSARG=("tls=$WORK/tls/relay.p12:bench-tls-pw" "tlsProvider=${TLS_PROVIDER:-auto}")
fi
SINK=$(free_port); MX=$(free_port)
SINK_USER=$(id -un); [ "$(id -u)" = 0 ] && SINK_USER=nobody
smtp-sink -u "$SINK_USER" -m 200 127.0.0.1:"$SINK" 512 >"$WORK/sink.log" 2>&1 & PIDS+=($!)
wait_port "$SINK"
cat >"$WORK/jfr.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">5 ms</setting></event>
  <event name="jdk.FileForce"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.SocketRead"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">1 ms</setting></event>
  <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">1 ms</setting></event>
  <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">1 ms</setting></event>
  <event name="jdk.ThreadStart"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
JFC
# setsid: own session and scheduler autogroup, as a daemon has (see run.sh)
PERFOPTS=(); [ "${PERF:-0}" = 1 ] && PERFOPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
# shellcheck disable=SC2086 # MX_JAVA_OPTS: several words on purpose
setsid java -Xmx1g -XX:+UseG1GC "${PERFOPTS[@]}" ${MX_JAVA_OPTS:-} -XX:StartFlightRecording=filename="$WORK/relay.jfr",settings="$WORK/jfr.jfc" \
  -cp "$CP" io.mxcutover.relay.testing.RelayProcessMain "$WORK/spool" "127.0.0.1:$SINK" "$WORK/mx.port" \
  workers="${WORKERS:-16}" listen="$MX" "${TLSARG[@]}" >"$WORK/mx.log" 2>&1 & MXPID=$!; PIDS+=($MXPID)
wait_port "$MX"
load 10 "${WARM:-1000}"   # warm-up (WARM messages; the JIT is still compiling after 1,000)
cpu() { awk "{print \$14+\$15}" "/proc/$MXPID/stat"; }   # utime+stime, clock ticks
usr() { awk "{print \$14}" "/proc/$MXPID/stat"; }
while [ "$(find "$WORK/spool/incoming" "$WORK/spool/active" -type f | wc -l)" -gt 0 ]; do sleep 0.1; done
c0=$(cpu); u0=$(usr); t0=$(date +%s.%N)
if [ "${PERF:-0}" = 1 ]; then
  perf record -q -F 997 -g -p "$MXPID" -o "$WORK/perf.data" >"$WORK/perf.log" 2>&1 & PERFPID=$!; PIDS+=($PERFPID)
fi
load "$C" "$N"
t1=$(date +%s.%N)
[ "${PERF:-0}" = 1 ] && { kill -INT "$PERFPID"; wait "$PERFPID" 2>/dev/null || true; }
while [ "$(find "$WORK/spool/incoming" "$WORK/spool/active" -type f | wc -l)" -gt 0 ]; do sleep 0.05; done
c1=$(cpu); u1=$(usr)
python3 -c "print(f'accepted: {$N/($t1-$t0):.0f} msgs/s at c=$C, $SIZE bytes; relay CPU {($c1-$c0)*1000/$(getconf CLK_TCK)/$N:.2f} ms per message (intake + delivery), of which user {($u1-$u0)*1000/$(getconf CLK_TCK)/$N:.2f} ms')"
jcmd "$MXPID" JFR.dump filename="$WORK/relay.jfr" >/dev/null
kill "$MXPID"; wait "$MXPID" 2>/dev/null || true
if [ "${PERF:-0}" = 1 ]; then
  for _ in $(seq 1 50); do [ -s "/tmp/perf-$MXPID.map" ] && break; sleep 0.1; done
  # (|| true: head closing the pipe early would otherwise end the script here, under pipefail, before the rm)
  echo "== perf: CPU samples per library (the relay's JVM, during the measured load) =="
  perf report -i "$WORK/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15 || true
  echo "== perf: CPU samples per thread =="
  perf report -i "$WORK/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -10 || true
  echo "== perf: top symbols =="
  perf report -i "$WORK/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40 || true
  rm -f "/tmp/perf-$MXPID.map"
fi
echo "== top frames (CPU samples, self) =="
jfr print --events jdk.ExecutionSample "$WORK/relay.jfr" | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/,""); sub(/line:.*/,""); print}' | sort | uniq -c | sort -rn | head -25
echo "== top frames (CPU samples, any io.mxcutover or subetha frame) =="
jfr print --events jdk.ExecutionSample "$WORK/relay.jfr" | awk '/stackTrace = \[/{f=1; next} f && /io\.mxcutover|subethamail/{sub(/^[ \t]+/,""); sub(/line:.*/,""); print; f=0} /^\]/{f=0}' | sort | uniq -c | sort -rn | head -20
echo "== waits: total ms and count per event type =="
for e in jdk.FileForce jdk.SocketRead jdk.ThreadPark jdk.JavaMonitorEnter jdk.GarbageCollection; do
  jfr print --events "$e" "$WORK/relay.jfr" | awk -v e="$e" '/duration = /{v=$3; u=$4; if(u=="ms")t+=v; else if(u=="s")t+=v*1000; else if(u=="us")t+=v/1000; n++} END{printf "%-24s %6d events %10.1f ms\n", e, n, t}'
done
echo "recording: $WORK/relay.jfr"
