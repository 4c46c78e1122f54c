#!/usr/bin/env bash
# SMTP fuzz run: seeded hostile sessions (malformed commands, huge lines, NUL and 8-bit bytes, pipelining and
# BDAT abuse, half-closed sockets, TLS handshake garbage) against a relay with STARTTLS on
# (io.mxcutover.relay.testing.SmtpFuzz; RelayFuzzTest is its 300-case version). Then checks that the relay still
# takes a clean message and delivered everything it acknowledged. Prints cases, replies per class, violations
# (must be 0), acknowledged messages. Exit 1 on any violation.
#
#   bench/relay/fuzz.sh                      (from the repository root; 20,000 cases, seed 1)
#   bench/relay/fuzz.sh cases=100000 seed=42
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench/relay/target/fuzz}
rm -rf "$WORK"; mkdir -p "$WORK"
echo "smtp fuzz: building relay (test classes)" >&2
. "$ROOT/bench/build.sh"   # bench_mvn: offline, else online; prints the output on failure
bench_mvn "$ROOT" "$WORK/build.log" -pl relay test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/relay/target/test-classes:$ROOT/relay/target/classes:$(cat "$WORK/cp.txt")"
exec java -cp "$CP" -Dlogback.configurationFile="$ROOT/bench/relay/logback-bench.xml" -Dbench.log="$WORK/java.log" \
  io.mxcutover.relay.testing.SmtpFuzz "$@"
