#!/usr/bin/env bash
# Scale-out benchmark (issue 16): many small mailboxes copied by 1, 2 and 3 appliance nodes sharing one
# PostgreSQL database, and by one node on SQLite, at equal total parallelism (PARALLEL mailboxes at once in all,
# split evenly over the nodes). Each node is the shaded jar's `server` with a YAML of its own (own ports, node.id,
# spool, state dir), the same plan, the same credential key and the same store.url, as in production.
#
#   bench/scale/run.sh                                # 5,000 mailboxes x 20 messages, PARALLEL=6
#   MAILBOXES=500 MESSAGES=10 bench/scale/run.sh      # shrunk, for a loaded machine
#   RUNS="pg:1 pg:3" bench/scale/run.sh               # only some runs (engine:nodes)
#
# Per run: wall time from the mailbox import to every legacy message on new (counted in new's Maildirs), mailboxes/s, messages/s, the
# CPU seconds of the nodes' JVMs, of PostgreSQL and of each Dovecot, and the database's share of the time:
# PostgreSQL's own count of the time its sessions spent executing statements for this database
# (pg_stat_database.active_time, ms) over the copy workers' time (wall x PARALLEL). Client-side JDBC time
# (network, pool waits) is not in it. For SQLite (in-process) there is no such count: "n/a".
# Every run starts from an empty new server and a fresh database; the legacy corpus is generated once
# (bench/scale/gen-small.py) on the bench Dovecot pair (bench/sync/dovecot-pair.sh) and indexed before the runs.
# Bounded: RUN_TIMEOUT seconds per run (default 1800), START_TIMEOUT per node start (default 240).
# Prints a table (also in $BENCH_DIR/results.txt); exits non-zero naming the step that failed.
set -euo pipefail
MAILBOXES=${MAILBOXES:-5000}
MESSAGES=${MESSAGES:-20}
PARALLEL=${PARALLEL:-6}
RUNS=${RUNS:-"sqlite:1 pg:1 pg:2 pg:3"}
RUN_TIMEOUT=${RUN_TIMEOUT:-1800}
START_TIMEOUT=${START_TIMEOUT:-240}
HEAP=${HEAP:-384m}
DIR=${BENCH_DIR:-/tmp/mxcutover-bench-scale}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/../build.sh"   # bench_drop_mail
JAR=$REPO/appliance/target/mxcutover.jar
ADMIN_HASH='$2a$04$14O.mTLGnwSz.X7IZtF06.p11ksWb17Gya9OtH51gEK8i.s16Blwq' # admin-test-pw
AUTH=admin:admin-test-pw

STEP="starting"
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
step() { STEP=$*; log "$*"; }
fail() { log "FAILED at: $STEP: $*"; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || log "FAILED at: $STEP (exit $rc)"' EXIT

for tool in java python3 curl psql sqlite3 /usr/sbin/dovecot doveadm bc; do
  command -v "$tool" >/dev/null || fail "missing $tool (it/servers.sh install installs the servers; apt-get install curl sqlite3 bc)"
done
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# --- build (a fresh clone has no jar) ---
if [ ! -f "$JAR" ] || [ "${BUILD:-0}" = 1 ]; then
  step "building the appliance jar (mvn -o package -DskipTests)"
  (cd "$REPO" && mvn -B -q -o -pl appliance -am package -DskipTests >"$DIR/build.log" 2>&1) \
    || { tail -30 "$DIR/build.log" >&2; fail "see $DIR/build.log"; }
fi

# --- servers: the Dovecot pair and PostgreSQL, stopped on exit ---
PAIR=$DIR/pair
PG=$DIR/pg
NODE_PIDS=()
cleanup() {
  for p in "${NODE_PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  "$HERE/../sync/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
  [ -f "$PG/servers.env" ] && "$REPO/it/servers.sh" stop "$PG" >/dev/null 2>&1 || true
  bench_drop_mail "$PAIR"
}
trap 'rc=$?; cleanup; [ $rc -eq 0 ] || log "FAILED at: $STEP (exit $rc)"' EXIT
"$HERE/../sync/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
[ -f "$PG/servers.env" ] && "$REPO/it/servers.sh" stop "$PG" >/dev/null 2>&1 || true
rm -rf "$PAIR" "$PG" "$DIR"/run-*
step "starting the Dovecot pair"
"$HERE/../sync/dovecot-pair.sh" start "$PAIR" >/dev/null || fail "dovecot-pair.sh start"
# shellcheck disable=SC1091
. "$PAIR/pair.env"
step "generating $MAILBOXES x $MESSAGES messages on legacy"
read -r TOTAL_MSGS TOTAL_BYTES < <(python3 "$HERE/gen-small.py" "$PAIR" "$MAILBOXES" "$MESSAGES")
log "corpus: $TOTAL_MSGS messages, $((TOTAL_BYTES / 1048576)) MiB"
step "indexing legacy once (no run pays for it)"
doveadm -c "$PAIR/legacy/dovecot.conf" mailbox status -A messages '*' >/dev/null
step "starting PostgreSQL (it/servers.sh pg-start)"
"$REPO/it/servers.sh" pg-start "$PG" >"$DIR/pg-start.log" 2>&1 || { cat "$DIR/pg-start.log" >&2; fail "pg-start"; }
# shellcheck disable=SC1091
. "$PG/servers.env"
export PGPASSWORD=$PG_PASSWORD
psql_db() { psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$1" -tAq -v ON_ERROR_STOP=1 -c "$2"; }

{ echo "address,legacy_login,legacy_password,new_login,new_password"
  for m in $(seq 1 "$MAILBOXES"); do u=$(printf 'scale%05d' "$m"); echo "$u@example.test,$u,$u-pw,$u,$u-pw"; done
} >"$DIR/mailboxes.csv"
cat >"$DIR/plan.yml" <<PLAN
domains:
  - name: example.test
    legacy: { smtp: [ "127.0.0.1:1" ], imap: "imap://127.0.0.1:$LEGACY_PORT" }
    new: { smtp: [ "127.0.0.1:2" ], imap: "imap://127.0.0.1:$NEW_PORT", mx: [ mx1.new.example ] }
PLAN
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }

# cpu_of PID [children]: CPU seconds of a process (user + system), plus its live children and the dead ones it
# waited for when "children" is given (a Dovecot or PostgreSQL master: its workers).
cpu_of() {
  local pid=$1 ticks c
  [ -r "/proc/$pid/stat" ] || { echo 0; return; }
  if [ "${2:-}" = children ]; then
    ticks=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat")
    for c in $(pgrep -P "$pid" || true); do
      ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
    done
  else
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  fi
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
pg_pid() { cat "$PG/postgres/server.pid"; }
on_new() { find "$PAIR/new/mail" -type f -regex '.*/\(cur\|new\)/[^/]*' | wc -l; } # messages only (not Dovecot's index files)

RESULTS=$DIR/results.txt
printf '%-8s %5s %8s %9s %8s %9s %10s %8s %8s %8s %8s %9s %8s %s\n' engine nodes par/node mailboxes wall_s mbox/s msgs/s \
  jvm_cpu pg_cpu leg_cpu new_cpu db_active db_share load >"$RESULTS"

run() { # run ENGINE NODES
  local engine=$1 n=$2 name="$1-$2" per=$((PARALLEL / $2)) i db="" url="" t0 t1 done_count=0
  [ "$per" -ge 1 ] || fail "PARALLEL=$PARALLEL is less than $n nodes"
  local run=$DIR/run-$name
  step "run $name: $n node(s) on $engine, $per mailbox(es) at once each"
  rm -rf "$PAIR/new/mail/"* && chown 65534:65534 "$PAIR/new/mail"
  mkdir -p "$run"
  if [ "$engine" = pg ]; then
    db="scale_${n}_$$"
    psql_db postgres "CREATE DATABASE $db OWNER $PG_USER" >/dev/null || fail "CREATE DATABASE $db"
    url="jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
    printf '%s\n' "$PG_PASSWORD" >"$run/pg-password"; chmod 600 "$run/pg-password"
  fi
  local pids=() ports=()
  for i in $(seq 1 "$n"); do
    local home=$run/node$i api admin
    api=$(free_port); admin=$(free_port)
    mkdir -p "$home/state"
    # The same credential key on every node: the first node's, copied (made here by node 1's first start).
    [ "$i" -eq 1 ] || cp "$run/node1/state/sync.key" "$home/state/sync.key"
    local store="store:
  path: $home/state/mxcutover.db"
    if [ "$engine" = pg ]; then store="$store
  url: \"$url\"
  user: $PG_USER
  passwordFile: $run/pg-password
  maxPoolSize: $((per + 4))"; fi
    cat >"$home/mxcutover.yml" <<YML
plan: $DIR/plan.yml
node:
  id: node$i
  address: "http://127.0.0.1:$api"
$store
users:
  - name: admin
    role: ADMIN
    passwordHash: "$ADMIN_HASH"
relay:
  listen: 127.0.0.1
  port: 0
  spool: $home/spool
dns:
  enabled: false
sync:
  parallelMailboxes: $per
  intervalSeconds: 5
  idle: false
  keyFile: $home/state/sync.key
  tempDir: $home/sync-tmp
server:
  applicationConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: $api
  adminConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: $admin
  requestLog:
    appenders: []
logging:
  level: WARN
YML
    java "-Xmx$HEAP" -XX:+UseSerialGC -jar "$JAR" server "$home/mxcutover.yml" >"$home/appliance.log" 2>&1 &
    pids+=($!); NODE_PIDS+=($!); ports+=("$api")
    # Node 1 alone first: it makes the key file the others copy.
    if [ "$i" -eq 1 ]; then await_node "$home" "$api" "${pids[0]}"; fi
  done
  for i in $(seq 2 "$n"); do await_node "$run/node$i" "${ports[$((i - 1))]}" "${pids[$((i - 1))]}"; done

  local load0 jvm0=0 pg0=0 l0 n0 act0=0 p
  load0=$(cut -d' ' -f1 /proc/loadavg)
  for p in "${pids[@]}"; do jvm0=$(echo "$jvm0 + $(cpu_of "$p")" | bc); done
  [ "$engine" = pg ] && pg0=$(cpu_of "$(pg_pid)" children) && act0=$(psql_db "$db" "SELECT active_time FROM pg_stat_database WHERE datname = '$db'")
  l0=$(cpu_of "$(cat "$PAIR/legacy/run/master.pid")" children); n0=$(cpu_of "$(cat "$PAIR/new/run/master.pid")" children)
  t0=$(date +%s.%N)
  curl -sS -f -u "$AUTH" -H 'Content-Type: text/csv' --data-binary "@$DIR/mailboxes.csv" \
    "http://127.0.0.1:${ports[0]}/api/v1/mailboxes" >"$run/import.json" || fail "import of the mailboxes"
  local deadline=$(( $(date +%s) + RUN_TIMEOUT ))
  while :; do
    # Done when every legacy message is on new (both engines alike: SQLite's file is locked to other readers).
    done_count=$(on_new)
    [ "$done_count" -ge "$TOTAL_MSGS" ] && break
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a node died (pid $p); logs in $run"; done
    [ "$(date +%s)" -lt "$deadline" ] || fail "$done_count of $TOTAL_MSGS messages on new after ${RUN_TIMEOUT}s"
    sleep 1
  done
  t1=$(date +%s.%N)
  local jvm1=0 pg1=0 l1 n1 act1=0 load1
  for p in "${pids[@]}"; do jvm1=$(echo "$jvm1 + $(cpu_of "$p")" | bc); done
  [ "$engine" = pg ] && pg1=$(cpu_of "$(pg_pid)" children) && act1=$(psql_db "$db" "SELECT active_time FROM pg_stat_database WHERE datname = '$db'")
  l1=$(cpu_of "$(cat "$PAIR/legacy/run/master.pid")" children); n1=$(cpu_of "$(cat "$PAIR/new/run/master.pid")" children)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  local copied; copied=$(on_new)
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for i in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  NODE_PIDS=()
  [ "$copied" -eq "$TOTAL_MSGS" ] || fail "run $name: $copied messages on new, legacy has $TOTAL_MSGS"
  local wall mbs msgs share act
  wall=$(echo "$t1 - $t0" | bc)
  mbs=$(awk -v a="$MAILBOXES" -v w="$wall" 'BEGIN { printf "%.2f", a / w }')
  msgs=$(awk -v a="$TOTAL_MSGS" -v w="$wall" 'BEGIN { printf "%.1f", a / w }')
  if [ "$engine" = pg ]; then
    act=$(awk -v a="$act0" -v b="$act1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    share=$(awk -v a="$act" -v w="$wall" -v p="$PARALLEL" 'BEGIN { printf "%.1f%%", 100 * a / (w * p) }')
  else act=n/a; share=n/a; fi
  printf '%-8s %5s %8s %9s %8.1f %9s %10s %8.1f %8.1f %8.1f %8.1f %9s %8s %s\n' "$engine" "$n" "$per" "$MAILBOXES" "$wall" \
    "$mbs" "$msgs" "$(echo "$jvm1 - $jvm0" | bc)" "$(echo "$pg1 - $pg0" | bc)" "$(echo "$l1 - $l0" | bc)" \
    "$(echo "$n1 - $n0" | bc)" "$act" "$share" "$load0-$load1" | tee -a "$RESULTS"
}

await_node() { # await_node HOME PORT PID
  local deadline=$(( $(date +%s) + START_TIMEOUT ))
  until curl -s -f -u "$AUTH" "http://127.0.0.1:$2/api/v1/status" >/dev/null 2>&1; do
    kill -0 "$3" 2>/dev/null || { tail -30 "$1/appliance.log" >&2; fail "node in $1 exited at start"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -30 "$1/appliance.log" >&2; fail "node in $1 not answering after ${START_TIMEOUT}s"; }
    sleep 1
  done
}

for r in $RUNS; do run "${r%%:*}" "${r##*:}"; done
step "done"
echo
echo "$MAILBOXES mailboxes x $MESSAGES messages ($TOTAL_MSGS, $((TOTAL_BYTES / 1048576)) MiB), PARALLEL=$PARALLEL in all," \
  "$(nproc) cores; runs: $RUNS"
cat "$RESULTS"
# Ratios: each PostgreSQL run to one PostgreSQL node, and one PostgreSQL node to one SQLite node (mailboxes/s).
awk 'NR > 1 { r[$1 ":" $2] = $6 } END {
  if (r["pg:1"] > 0) for (k in r) if (k ~ /^pg:/ && k != "pg:1") printf "ratio %s / pg:1 = %.2f\n", k, r[k] / r["pg:1"];
  if (r["sqlite:1"] > 0 && r["pg:1"] > 0) printf "ratio pg:1 / sqlite:1 = %.2f\n", r["pg:1"] / r["sqlite:1"] }' "$RESULTS" \
  | sort | tee -a "$RESULTS"
