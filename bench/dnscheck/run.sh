#!/usr/bin/env bash
# Benchmark: one poll round of N domains (default 1,000) x 8 resolvers + 1 authoritative server
# on loopback, MX and TXT each (N x 9 x 2 queries), through DnsWatcher.pollDue().
#
#   bench/dnscheck/run.sh [domains] [rounds]
#
# Starts its own NSD (serving N zones d0001.bench.test ...) and one Unbound listening on 8
# ports (8 "resolvers", each forwarding bench.test to NSD, real caching), in
# bench/dnscheck/target/, on free ports of 127.0.0.1; stops both by PID at exit.
# Prints wall time per round (target: < 5 s for 1,000 domains) and memory (heap after GC,
# peak RSS). Round 1 hits cold resolver caches, later rounds warm ones.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/build.sh"
bench_need "it/servers.sh install" /usr/sbin/nsd /usr/sbin/unbound dig python3 java
domains=${1:-1000}
rounds=${2:-3}
work="$here/target"
rm -rf "$work"
mkdir -p "$work/zones" "$work/nsd" "$work/unbound"

free_ports() { # prints N free TCP+UDP ports on 127.0.0.1
  python3 - "$1" <<'PY'
import socket, sys
socks, ports = [], []
while len(ports) < int(sys.argv[1]):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", 0))
    p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        t.close(); continue
    socks += [t, u]; ports.append(p)
print(" ".join(map(str, ports)))
PY
}
read -r -a ports <<<"$(free_ports 10)"
nsd_port=${ports[0]}
control_port=${ports[1]}
resolver_ports=("${ports[@]:2:8}")

pids=()
cleanup() {
  local f
  for f in "$work/nsd/nsd.pid" "$work/unbound/unbound.pid"; do
    [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Zones: each with two MX, an SPF TXT and short TTLs.
{
  cat <<CONF
server:
    ip-address: 127.0.0.1@$nsd_port
    port: $nsd_port
    do-ip6: no
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "$work/nsd/zone.list"
    xfrdfile: "$work/nsd/xfrd.state"
    xfrdir: "$work/nsd"
    pidfile: "$work/nsd/nsd.pid"
    logfile: "$work/nsd/nsd.log"
    server-count: 1
    verbosity: 0
    reuseport: no
remote-control:
    control-enable: no
CONF
  for i in $(seq -f "%04g" 1 "$domains"); do
    z="d$i.bench.test"
    cat >"$work/zones/$z.zone" <<ZONE
\$ORIGIN $z.
\$TTL 300
@  IN SOA ns1.$z. hostmaster.$z. ( 1 3600 600 86400 60 )
   IN NS  ns1.$z.
ns1 IN A  127.0.0.1
@  IN MX  10 mx1.new.example.
@  IN MX  20 mx2.new.example.
@  IN TXT "v=spf1 include:spf.new.example -all"
ZONE
    printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$z" "$work/zones/$z.zone"
  done
} >"$work/nsd/nsd.conf"

{
  cat <<CONF
server:
    port: ${resolver_ports[0]}
    do-ip6: no
    interface-automatic: no
    outgoing-interface: 127.0.0.1
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$work/unbound"
    pidfile: "$work/unbound/unbound.pid"
    logfile: "$work/unbound/unbound.log"
    use-syslog: no
    verbosity: 0
    num-threads: 2
    so-reuseport: no
    module-config: "iterator"
    domain-insecure: "test."
    local-zone: "test." nodefault
    do-not-query-localhost: no
    qname-minimisation: no
    outgoing-range: 1024
    num-queries-per-thread: 2048
CONF
  for p in "${resolver_ports[@]}"; do echo "    interface: 127.0.0.1@$p"; done
  cat <<CONF
forward-zone:
    name: "bench.test."
    forward-addr: 127.0.0.1@$nsd_port
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$nsd_port
remote-control:
    control-enable: no
CONF
} >"$work/unbound/unbound.conf"

echo "Starting NSD ($domains zones) on 127.0.0.1:$nsd_port and Unbound on ports ${resolver_ports[*]}"
/usr/sbin/nsd -c "$work/nsd/nsd.conf"
/usr/sbin/unbound -c "$work/unbound/unbound.conf"
for i in $(seq 1 100); do
  if dig +short +time=1 +tries=1 -p "$nsd_port" @127.0.0.1 "d$(printf %04d "$domains").bench.test" MX | grep -q mx1 &&
     dig +short +time=1 +tries=1 -p "${resolver_ports[7]}" @127.0.0.1 "d0001.bench.test" SOA | grep -q ns1; then
    break
  fi
  [ "$i" = 100 ] && { echo "servers did not come up; see $work/*/*.log" >&2; exit 1; }
  sleep 0.2
done

cd "$repo"
# Compiled in place (no `mvn install`: the local repository is shared); bench_mvn (bench/build.sh) builds
# offline first, online when that fails, and prints the output on failure.
echo "Building dnscheck (output in $work/build.log)"
bench_mvn "$repo" "$work/build.log" -pl dnscheck -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/classpath"
cp_line="$repo/dnscheck/target/classes:$(cat "$work/classpath")"
java -Xmx512m -Dlogback.configurationFile="$here/logback-bench.xml" -cp "$cp_line" "$here/DnsBench.java" "$domains" "$rounds" "$nsd_port" "${resolver_ports[@]}"
