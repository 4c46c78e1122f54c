#!/usr/bin/env bash
# Kill campaign: 20 SIGKILLs of the relay's JVM at seeded random moments during a 10,000-message load
# from 8 clients (io.mxcutover.relay.testing.KillCampaign; RelayKillCampaignIT is its 3-kill version).
# Prints: kills, acknowledged, delivered, lost (must be 0), duplicates, messages in flight at the kills
# (duplicates must not exceed it), acknowledged messages set aside as corrupt (must be 0). Exit 1 on failure.
#
#   bench/relay/kill-campaign.sh                          (from the repository root)
#   bench/relay/kill-campaign.sh kills=5 messages=2000 seed=7 clients=4 workers=4
#
# Loopback only; the relay children and the recording target are started and stopped by the campaign.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench/relay/target/kill-campaign}
rm -rf "$WORK"; mkdir -p "$WORK"
echo "kill campaign: building relay (test classes)" >&2
# test-compile + build-classpath, not install: the local Maven repository is shared.
. "$ROOT/bench/build.sh"   # bench_mvn: offline, else online; prints the output on failure
bench_mvn "$ROOT" "$WORK/build.log" -pl relay test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/relay/target/test-classes:$ROOT/relay/target/classes:$(cat "$WORK/cp.txt")"
exec java -cp "$CP" -Dlogback.configurationFile="$ROOT/bench/relay/logback-bench.xml" -Dbench.log="$WORK/java.log" \
  io.mxcutover.relay.testing.KillCampaign dir="$WORK/run" "$@"
