#!/usr/bin/env bash
# Relay benchmark: mxcutover's relay vs a Postfix relay configured the same way (primary MX for
# example.test, relay:[127.0.0.1]:sink, no MX lookups, fsync before 250), both relaying to the same
# smtp-sink, driven by smtp-source at concurrency 1, 10, 50 with 5 KB and 100 KB messages.
# Prints accepted msgs/s (smtp-source wall time) and end-to-end msgs/s (until the queue is empty)
# for both, and the ratio. Then heap and RSS of the relay while 20 clients send 50 MB each.
#
#   bench/relay/run.sh            (from the repository root; builds the relay module into relay/target first)
#   N5K=3000 N100K=1000 bench/relay/run.sh    (message counts per run)
#   WARMUP_ROUNDS=3 bench/relay/run.sh        (warm-up rounds through the matrix, both servers, not measured)
#   WARMUP_MX=20000 bench/relay/run.sh        (then that many more 5 KB messages to the relay alone, at the first
#                                              concurrency: with STARTTLS its JIT was still compiling after 9,000)
#   REPEAT=2 bench/relay/run.sh               (alternating runs per cell; the table shows the best of each)
#   TLS=1 bench/relay/run.sh                  (STARTTLS on both: the same RSA 2048 certificate, TLS 1.2-1.3; the
#                                              client is bench/relay/smtp-load.py, smtp-source speaks no TLS)
#   TLS=1 CLIENT=java bench/relay/run.sh      (the STARTTLS client is bench/relay/SmtpLoad.java, BoringSSL through
#                                              Conscrypt, instead of smtp-load.py: ~2 ms less CPU per message,
#                                              left to the servers on a small box)
#   TLS=1 TLS_PROVIDER=jdk bench/relay/run.sh   (the relay's STARTTLS in the JDK's TLS instead of BoringSSL)
#   MX_JAVA_OPTS="-XX:..." bench/relay/run.sh   (JVM options of the relay)
#   MEMORY=0 bench/relay/run.sh               (skip the 20 x 50 MB memory run)
# Besides msgs/s the table shows each server's CPU per accepted message (ms, user + system: the relay's JVM;
# Postfix's master, its live processes and the ones that exited), their ratio (Postfix's over the relay's: how
# many times the mail the relay moves on the same CPU, whatever the load client leaves over on a small box),
# and raw.txt the load average of every run.
#
# The relay logs at INFO to a file through an async appender (bench/relay/logback-bench.xml), as in
# production; Postfix writes its maillog.
#
# Loopback only, free ports, every process started here is stopped by its PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench/relay/target/run}
N5K=${N5K:-3000}
N100K=${N100K:-1000}
CONCURRENCY=${CONCURRENCY:-"1 10 50"}
WORKERS=${WORKERS:-16}
REPEAT=${REPEAT:-2}
TLS=${TLS:-0}
MEMORY=${MEMORY:-1}
PIDS=()

die() { echo "bench: $*" >&2; exit 1; }
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/postfix/etc/main.cf" ] && postfix -c "$WORK/postfix/etc" stop >/dev/null 2>&1 || true
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # port, what
  for _ in $(seq 1 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$2 did not listen on port $1"
}
now() { date +%s.%N; }

for b in /usr/sbin/postfix /usr/sbin/smtp-source /usr/sbin/smtp-sink; do [ -x "$b" ] || die "$b missing (apt-get install postfix)"; done
command -v jstat >/dev/null || die "jstat missing (a JDK 17+, not a JRE)"
[ "$TLS" = 0 ] || command -v openssl >/dev/null || die "openssl missing (apt-get install openssl)"

rm -rf "$WORK"; mkdir -p "$WORK"
echo "bench: building relay (output in $WORK/build.log)" >&2
# package, not install: the local Maven repository is shared, and the relay runs from target/.
# bench_mvn (bench/build.sh): offline first, online when that fails; on failure it prints the output.
. "$ROOT/bench/build.sh"
bench_mvn "$ROOT" "$WORK/build.log" -pl relay -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/relay/target/test-classes:$ROOT/relay/target/classes:$(cat "$WORK/cp.txt")"
CLIENT=${CLIENT:-python}
case $CLIENT in
  python) ;;
  java)
    [ "$TLS" = 1 ] || die "CLIENT=java is the STARTTLS client; without TLS=1 smtp-source is the client"
    mkdir -p "$WORK/client"
    javac -d "$WORK/client" -cp "$CP" "$ROOT/bench/relay/SmtpLoad.java" || die "javac bench/relay/SmtpLoad.java failed"
    # one client JVM for the whole bench (started below, once the certificate exists), warmed by the warm-up
    # rounds; its pipes on fds 7 and 8, which the subshells that measure a run inherit
    ;;
  *) die "CLIENT must be python or java, not '$CLIENT'" ;;
esac

# ---- TLS: one certificate for both servers -------------------------------------------------
TLS_PASS=bench-tls-pw
if [ "$TLS" = 1 ]; then
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" -days 2 \
    -subj "/CN=mx.bench.test" >"$WORK/tls/openssl.log" 2>&1 || die "openssl req failed: $(cat "$WORK/tls/openssl.log")"
  openssl pkcs12 -export -in "$WORK/tls/cert.pem" -inkey "$WORK/tls/key.pem" -out "$WORK/tls/relay.p12" \
    -passout pass:"$TLS_PASS" >>"$WORK/tls/openssl.log" 2>&1 || die "openssl pkcs12 failed: $(cat "$WORK/tls/openssl.log")"
  chmod 644 "$WORK/tls/"*
fi
if [ "$CLIENT" = java ]; then
  coproc LOADC { exec java -XX:+UseSerialGC -cp "$WORK/client:$CP" SmtpLoad --serve --starttls "$WORK/tls/cert.pem" 2>>"$WORK/source.err"; }
  PIDS+=("$LOADC_PID")
  exec 7>&"${LOADC[1]}" 8<&"${LOADC[0]}"
fi

# ---- the sink both relays deliver to ------------------------------------------------------
SINK=$(free_port)
SINK_USER=$(id -un); [ "$(id -u)" = 0 ] && SINK_USER=nobody
smtp-sink -u "$SINK_USER" -m 200 127.0.0.1:"$SINK" 512 >"$WORK/sink.log" 2>&1 &
PIDS+=($!)
wait_port "$SINK" smtp-sink

# ---- Postfix as primary-MX relay ----------------------------------------------------------
PF_PORT=$(free_port)
pfdir=$WORK/postfix
mkdir -p "$pfdir/etc" "$pfdir/queue" "$pfdir/data"
chown postfix "$pfdir/data"; chmod 700 "$pfdir/data"
for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
  install -d -o postfix -m 700 "$pfdir/queue/$q"
done
install -d -o postfix -g postdrop -m 730 "$pfdir/queue/maildrop"
install -d -o postfix -g postdrop -m 710 "$pfdir/queue/public"
install -d -o root -m 755 "$pfdir/queue/pid"
touch "$pfdir/queue/quick-start"
cat >"$pfdir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pfdir/queue
data_directory = $pfdir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $pfdir/maillog
maillog_file_prefixes = $pfdir
myhostname = mx.postfix-bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# Primary MX for example.test (STANDARD_CONFIGURATION_README): relay_domains + transport_maps with [] (no MX lookup)
relay_domains = example.test
transport_maps = inline:{ example.test=relay:[127.0.0.1]:$SINK }
smtpd_relay_restrictions = reject_unauth_destination
relay_recipient_maps =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
message_size_limit = 60000000
default_process_limit = 200
relay_destination_concurrency_limit = $WORKERS
CF
if [ "$TLS" = 1 ]; then
  # The relay's STARTTLS: TLS 1.2 and 1.3 (intake.TlsSockets), the JDK's default ciphers; Postfix the same
  # protocols with its defaults. Outbound both deliver in plain text (the sink offers no STARTTLS).
  cat >>"$pfdir/etc/main.cf" <<CF
smtpd_tls_security_level = may
smtpd_tls_cert_file = $WORK/tls/cert.pem
smtpd_tls_key_file = $WORK/tls/key.pem
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_loglevel = 0
smtpd_tls_session_cache_database = btree:$pfdir/data/smtpd_scache
CF
fi
cat >"$pfdir/etc/master.cf" <<CF
127.0.0.1:$PF_PORT inet n  -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
CF
postfix -c "$pfdir/etc" start >"$WORK/postfix-start.log" 2>&1 || die "postfix did not start: $(cat "$WORK/postfix-start.log")"
wait_port "$PF_PORT" postfix
PF_QUEUE="$pfdir/queue"

# ---- mxcutover relay (child JVM, same spool disk) -----------------------------------------
MX_PORT=$(free_port)
start_mx() { # heap, extra args...
  local heap=$1; shift
  rm -rf "$WORK/mx-spool" "$WORK/mx.port"
  [ "$TLS" = 1 ] && set -- "$@" "tls=$WORK/tls/relay.p12:$TLS_PASS" "tlsProvider=${TLS_PROVIDER:-auto}"
  # setsid: its own session, hence its own scheduler autogroup (kernel.sched_autogroup_enabled), as Postfix's
  # master has (it daemonizes); otherwise the relay shares one CPU share with this script, smtp-source,
  # smtp-sink and whatever else the calling shell runs, while Postfix has a whole share to itself.
  # shellcheck disable=SC2086 # MX_JAVA_OPTS: several words on purpose
  setsid java "-Xmx$heap" -XX:+UseG1GC ${MX_JAVA_OPTS:-} -Dlogback.configurationFile="$ROOT/bench/relay/logback-bench.xml" \
    -Dbench.log="$WORK/mx-mail.log" -cp "$CP" io.mxcutover.relay.testing.RelayProcessMain \
    "$WORK/mx-spool" "127.0.0.1:$SINK" "$WORK/mx.port" "workers=$WORKERS" "listen=$MX_PORT" "$@" \
    >"$WORK/mx.log" 2>&1 &
  MX_PID=$!
  PIDS+=($MX_PID)
  wait_port "$MX_PORT" "mxcutover relay"
}
stop_mx() { kill "$MX_PID" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$MX_PID" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$MX_PID" 2>/dev/null || true; }

queued() { # directory list
  find "$@" -type f 2>/dev/null | wc -l
}
wait_empty() { # max seconds, dirs...
  local max=$1; shift
  local deadline=$(( $(date +%s) + max ))
  while [ "$(queued "$@")" -gt 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timeout"; return 1; }
    sleep 0.05
  done
}

# CPU ticks (user + system) so far of the relay's JVM, or of Postfix: its master's own and waited-for
# children's, plus every live child's.
cpu_ticks() { # mx|postfix
  if [ "$1" = mx ]; then awk '{print $14 + $15}' "/proc/$MX_PID/stat"; return; fi
  local master t c
  master=$(head -1 "$PF_QUEUE/pid/master.pid" | tr -d ' ')
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat")
  for c in $(pgrep -P "$master" || true); do t=$((t + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
TICK=$(getconf CLK_TCK)

run_one() { # server (mx|postfix), port, n, concurrency, size, queue dirs... -> "acc/s e2e/s cpu_ms_per_msg"
  local who=$1 port=$2 n=$3 c=$4 size=$5; shift 5
  local t0 t1 t2 c0 c1 sent failed resumed
  c0=$(cpu_ticks "$who")
  if [ "$TLS" = 1 ]; then
    if [ "$CLIENT" = java ]; then
      echo "127.0.0.1:$port $c $n $size" >&7
      read -r -t 600 t0 t1 sent failed resumed <&8 || true
    else
      read -r t0 t1 sent failed resumed < <(python3 "$ROOT/bench/relay/smtp-load.py" -s "$c" -m "$n" -l "$size" \
        --starttls "$WORK/tls/cert.pem" 127.0.0.1:"$port" 2>>"$WORK/source.err" || true)
    fi
    [ "${sent:-0}" = "$n" ] || die "$([ "$CLIENT" = java ] && echo SmtpLoad.java || echo smtp-load.py): ${sent:-0} of $n messages accepted by $who (see $WORK/source.err)"
    echo "$who c=$c size=$size resumed TLS sessions $resumed of $n" >>"$WORK/tls-resumed.txt"
  else
    t0=$(now)
    smtp-source -s "$c" -m "$n" -l "$size" -f alice@sender.test -t bob@example.test -M client.bench.test \
      127.0.0.1:"$port" >/dev/null 2>>"$WORK/source.err"
    t1=$(now)
  fi
  wait_empty 600 "$@" >/dev/null
  t2=$(now)
  c1=$(cpu_ticks "$who")
  python3 -c "print(f'{$n/($t1-$t0):.0f} {$n/($t2-$t0):.0f} {($c1-$c0)*1000/$TICK/$n:.2f}')"
}

# Warm-up (JIT, page cache) for both, through the whole matrix: a long-running relay is measured,
# not a JVM still compiling (-XX:+PrintCompilation showed compilations going on for ~15,000
# messages across the concurrencies and sizes below).
WARMUP_ROUNDS=${WARMUP_ROUNDS:-3}
start_mx 1g
echo "bench: warm-up, $WARMUP_ROUNDS round(s) of the matrix for both servers" >&2
for _ in $(seq 1 "$WARMUP_ROUNDS"); do
  for c in $CONCURRENCY; do
    for ws in 5000 100000; do
      wn=1000; [ "$ws" = 100000 ] && wn=300
      run_one mx "$MX_PORT" "$wn" "$c" "$ws" "$WORK/mx-spool/incoming" "$WORK/mx-spool/active" "$WORK/mx-spool/deferred" >/dev/null
      run_one postfix "$PF_PORT" "$wn" "$c" "$ws" "$PF_QUEUE/incoming" "$PF_QUEUE/active" "$PF_QUEUE/deferred" "$PF_QUEUE/maildrop" >/dev/null
    done
  done
done

if [ "${WARMUP_MX:-0}" -gt 0 ]; then
  echo "bench: warm-up, $WARMUP_MX more messages to the relay" >&2
  run_one mx "$MX_PORT" "$WARMUP_MX" "${CONCURRENCY%% *}" 5000 "$WORK/mx-spool/incoming" "$WORK/mx-spool/active" "$WORK/mx-spool/deferred" >/dev/null
fi

echo "load average before the measured runs: $(cut -d' ' -f1-3 /proc/loadavg); TLS=$TLS" >>"$WORK/raw.txt"
printf '\n%-7s %-5s %8s | %14s %14s %8s | %14s %14s %8s | %9s %9s %9s\n' size conc msgs "postfix acc/s" "postfix e2e/s" "pf ms/m" \
  "mxcut acc/s" "mxcut e2e/s" "mx ms/m" "acc ratio" "e2e ratio" "cpu ratio"
for size in 5000 100000; do
  n=$N5K; [ "$size" = 100000 ] && n=$N100K
  for c in $CONCURRENCY; do
    # REPEAT alternating runs (Postfix, relay, Postfix, relay, ...); the best of each is shown, so
    # a load burst from elsewhere on the machine hitting one run does not decide the ratio.
    pa=0; pe=0; ma=0; me=0; pcpu=; mcpu=
    for _ in $(seq 1 "$REPEAT"); do
      read -r a e pc < <(run_one postfix "$PF_PORT" "$n" "$c" "$size" "$PF_QUEUE/incoming" "$PF_QUEUE/active" "$PF_QUEUE/deferred" "$PF_QUEUE/maildrop")
      [ "$a" -gt "$pa" ] && pa=$a; [ "$e" -gt "$pe" ] && pe=$e
      [ -z "$pcpu" ] || [ "$(echo "$pc < $pcpu" | bc)" = 1 ] && pcpu=$pc
      raw="$((size/1000))KB c=$c postfix $a/$e $pc ms"
      read -r a e mc < <(run_one mx "$MX_PORT" "$n" "$c" "$size" "$WORK/mx-spool/incoming" "$WORK/mx-spool/active" "$WORK/mx-spool/deferred")
      [ "$a" -gt "$ma" ] && ma=$a; [ "$e" -gt "$me" ] && me=$e
      [ -z "$mcpu" ] || [ "$(echo "$mc < $mcpu" | bc)" = 1 ] && mcpu=$mc
      echo "$raw mxcutover $a/$e $mc ms (accepted/e2e msgs/s, CPU per message) ratio $(python3 -c "print(f'{$a/$(echo "$raw" | awk '{print $4}' | cut -d/ -f1):.2f}')") load $(cut -d' ' -f1 /proc/loadavg)" >>"$WORK/raw.txt"
    done
    printf '%-7s %-5s %8s | %14s %14s %8s | %14s %14s %8s | %9s %9s %9s\n' "$((size/1000))KB" "$c" "$n" "$pa" "$pe" "$pcpu" "$ma" "$me" "$mcpu" \
      "$(python3 -c "print(f'{$ma/$pa:.2f}x')")" "$(python3 -c "print(f'{$me/$pe:.2f}x')")" "$(python3 -c "print(f'{$pcpu/$mcpu:.2f}x')")"
  done
done
echo "(best of $REPEAT alternating runs per cell, the CPU per message too; every run: $WORK/raw.txt)"
stop_mx
grep -h "commits in" "$WORK/mx.log" | tail -1 | sed 's/^/group commit (whole run): /' || true
rejected=$(grep -c "reject\|error" "$WORK/source.err" 2>/dev/null || true)
echo "smtp-source errors/rejections: ${rejected:-0}"

# ---- memory: 20 clients x 50 MB at once, relay heap capped at 256 MB -----------------------
[ "$MEMORY" = 1 ] || exit 0
start_mx 256m "maxSize=60000000"
max_rss=0; max_heap=0
(
  smtp-source -s 20 -m 20 -l 52428800 -f alice@sender.test -t bob@example.test 127.0.0.1:"$MX_PORT" \
    >/dev/null 2>>"$WORK/source.err"
) &
SRC=$!
PIDS+=($SRC)
while kill -0 "$SRC" 2>/dev/null || [ "$(queued "$WORK/mx-spool/incoming" "$WORK/mx-spool/active" "$WORK/mx-spool/deferred")" -gt 0 ]; do
  rss=$(ps -o rss= -p "$MX_PID" | tr -d ' ')
  [ -n "$rss" ] && [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  heap=$(jstat -gc "$MX_PID" 2>/dev/null | awk 'NR==2 {printf "%d", ($3+$4+$6+$8)}')
  [ -n "$heap" ] && [ "$heap" -gt "$max_heap" ] && max_heap=$heap
  sleep 0.2
done
wait "$SRC" || true
echo
echo "memory, 20 clients x 50 MB concurrently (relay -Xmx256m): max RSS $((max_rss/1024)) MB, max heap used $((max_heap/1024)) MB"
stop_mx
