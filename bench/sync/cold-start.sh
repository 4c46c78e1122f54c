#!/usr/bin/env bash
# Cold start of the one-shot CLI as users run it: `./mxcutover sync` (the launcher, the appliance jar, its real
# state store), re-run with nothing new, Java 17 with the launcher's AppCDS archive against Java 25 with its AOT
# cache (JEP 483/514), and each without its archive. Same Dovecot pair and corpus as run.sh (dovecot-pair.sh,
# gen-corpus.py); one full copy first (unmeasured), then REPEAT rounds alternating the variants.
#
#   bench/sync/cold-start.sh                                   # 10 x 2000 messages, 4 in parallel, 5 rounds
#   MAILBOXES=4 MESSAGES=200 REPEAT=3 bench/sync/cold-start.sh
#   JAVA25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/sync/cold-start.sh
#   KEEP=1 bench/sync/cold-start.sh       # keep the pair's mailboxes (removed at the end otherwise)
#   REUSE=1 bench/sync/cold-start.sh      # the pair, corpus, state and archives an earlier KEEP=1 run left in BENCH_DIR
#   VARIANTS="java17-appcds baseline" BASELINE=/tmp/old/mxcutover bench/sync/cold-start.sh
#                                         # A/B against another build: BASELINE is its launcher, with its jar in
#                                         # appliance/target beside it (a worktree of an older commit, built);
#                                         # both run with Java 17 + AppCDS, alternating, on the same corpus
#
# Prints per variant the best and median wall seconds and CPU seconds (user + system, all threads and the
# launcher's shell) of a re-run. The first sync after a build writes the archive (training run): its time is
# printed too. The jar is appliance/target/mxcutover.jar as it is (built here if missing).
set -euo pipefail
MAILBOXES=${MAILBOXES:-10}
MESSAGES=${MESSAGES:-2000}
PARALLEL=${PARALLEL:-4}
REPEAT=${REPEAT:-5}
JAVA17=${JAVA17:-$(readlink -f "$(command -v java)")}
JAVA25=${JAVA25:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
DIR=${BENCH_DIR:-/tmp/mxcutover-bench-cold}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/../build.sh"
bench_need "it/servers.sh install" /usr/sbin/dovecot doveadm python3 bc /usr/bin/time
[ -n "$JAVA25" ] && [ -x "$JAVA25" ] || { echo "cold-start: no Java 25 (set JAVA25=/path/to/bin/java)" >&2; exit 1; }
mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd)
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# The launcher and its jar are copied to $DIR/app and run from there: the copy has no sources, so the launcher
# never rebuilds it mid-run, and the archives it writes next to the jar are the bench's own.
REUSE=${REUSE:-0}
if [ "$REUSE" = 1 ]; then
  [ -f "$DIR/app/appliance/target/mxcutover.jar" ] && [ -d "$DIR/pair/legacy/mail" ] \
    || { echo "cold-start: REUSE=1 but $DIR holds no earlier run" >&2; exit 1; }
elif [ ! -f "$REPO/appliance/target/mxcutover.jar" ]; then
  log "building the appliance jar (output in $DIR/build.log)"
  bench_mvn "$REPO" "$DIR/build.log" -Dmaven.test.skip=true package
fi
if [ "$REUSE" = 0 ]; then
  rm -rf "$DIR/app"; mkdir -p "$DIR/app/appliance/target"
  cp "$REPO/mxcutover" "$DIR/app/"; cp "$REPO/appliance/target/mxcutover.jar" "$DIR/app/appliance/target/"
fi
BASELINE=${BASELINE:-}
if [ -n "$BASELINE" ]; then
  [ -x "$BASELINE" ] && [ -f "$(dirname "$BASELINE")/appliance/target/mxcutover.jar" ] \
    || { echo "cold-start: BASELINE=$BASELINE is not a launcher with appliance/target/mxcutover.jar beside it" >&2; exit 1; }
  rm -rf "$DIR/app-baseline"; mkdir -p "$DIR/app-baseline/appliance/target"
  cp "$BASELINE" "$DIR/app-baseline/"
  cp "$(dirname "$BASELINE")/appliance/target/mxcutover.jar" "$DIR/app-baseline/appliance/target/"
fi
jar=$DIR/app/appliance/target/mxcutover.jar
CORPUS=$("$REPO/sync/src/test/corpus/fetch.sh")
PAIR=$DIR/pair
"$HERE/dovecot-pair.sh" stop "$PAIR" 2>/dev/null || true
[ "$REUSE" = 1 ] || rm -rf "$PAIR" "$DIR"/state.db*
[ "$REUSE" = 1 ] || bench_need_space "$DIR" $((MAILBOXES * MESSAGES)) "a $MAILBOXES x $MESSAGES corpus"
if [ "$REUSE" = 1 ] && { [ ! -f "$DIR/corpus.txt" ] || [ ! -d "$PAIR/legacy/mail" ]; }; then
  echo "cold-start.sh: REUSE=1 needs an earlier run's pair in $PAIR: run once with KEEP=1 first" >&2
  exit 1
fi
"$HERE/dovecot-pair.sh" start "$PAIR" >/dev/null
trap '"$HERE/dovecot-pair.sh" stop "$PAIR" || true; bench_drop_mail "$PAIR"' EXIT
. "$PAIR/pair.env"
USERS=()
for m in $(seq 1 "$MAILBOXES"); do u=$(printf 'bench%02d' "$m"); USERS+=("$u"); "$HERE/dovecot-pair.sh" adduser "$PAIR" "$u" "$u-pw"; done
if [ "$REUSE" = 1 ]; then
  read -r TOTAL_MSGS TOTAL_BYTES < "$DIR/corpus.txt"
else
  log "generating $MAILBOXES x $MESSAGES messages on legacy"
  python3 "$HERE/gen-corpus.py" "$CORPUS" "$PAIR/legacy/mail" "$MAILBOXES" "$MESSAGES" > "$DIR/corpus.txt"
  read -r TOTAL_MSGS TOTAL_BYTES < "$DIR/corpus.txt"
fi
for u in "${USERS[@]}"; do doveadm -c "$PAIR/legacy/dovecot.conf" mailbox status -u "$u" messages '*' >/dev/null; done
{ echo "address,legacy_login,legacy_password,new_login,new_password"
  for u in "${USERS[@]}"; do echo "$u@example.test,$u,$u-pw,$u,$u-pw"; done; } > "$DIR/mailboxes.csv"
ARGS=(sync --legacy "imap://127.0.0.1:$LEGACY_PORT" --new "imap://127.0.0.1:$NEW_PORT" --csv "$DIR/mailboxes.csv"
  --state "$DIR/state.db" --parallel "$PARALLEL")

# variant NAME -> runs ./mxcutover sync once; prints "wall_s cpu_s" (CPU of the launcher and everything it ran)
variant() {
  local name=$1 t0 t1 env=() app=$DIR/app
  case $name in
    java17-appcds) env=(MXCUTOVER_SYNC_JAVA="$JAVA17") ;;
    # "none": the JDK's default CDS archive only (as before the launcher had archives): the later option wins
    java17-none) env=(MXCUTOVER_SYNC_JAVA="$JAVA17" MXCUTOVER_JAR="$jar"
      MXCUTOVER_JAVA_OPTS="-XX:SharedArchiveFile=$(dirname "$(dirname "$JAVA17")")/lib/server/classes.jsa") ;;
    java25-aot) env=(MXCUTOVER_SYNC_JAVA="$JAVA25") ;;
    java25-none) env=(MXCUTOVER_SYNC_JAVA="$JAVA25" MXCUTOVER_JAR="$jar" MXCUTOVER_JAVA_OPTS="-XX:AOTMode=off") ;;
    baseline) env=(MXCUTOVER_SYNC_JAVA="$JAVA17"); app=$DIR/app-baseline ;;
  esac
  t0=$(date +%s.%N)
  env "${env[@]}" /usr/bin/time -f '%U %S' -o "$DIR/time.txt" "$app/mxcutover" "${ARGS[@]}" >"$DIR/out.$name.log" 2>&1 \
    || { echo "cold-start: $name failed:" >&2; tail -20 "$DIR/out.$name.log" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc) $(awk '{printf "%.2f", $1 + $2}' "$DIR/time.txt")"
}

empty_target() { rm -rf "$PAIR/new/mail/"* "$DIR"/state.db*; chown -R 65534:65534 "$PAIR/new/mail"; }
# The first sync after a build writes the archive; for a user that is the full copy, so each variant's archive is
# written by a full copy here too.
VARIANTS=${VARIANTS:-"java17-appcds java25-aot java17-none java25-none${BASELINE:+ baseline}"}
declare -A WALL CPUS FIRST
[ "$REUSE" = 1 ] || rm -rf "${jar%.jar}"-sync-*.jsa "${jar%.jar}"-sync-*.aot "${jar%.jar}"-native
for v in java25-aot java17-appcds ${BASELINE:+baseline}; do
  [ "$REUSE" = 0 ] || break
  case " $VARIANTS " in *" $v "*) ;; *) [ "$v" = java17-appcds ] || continue ;; esac
  empty_target
  log "$v: full copy, the first sync after the build (writes the archive)"
  read -r w c < <(variant "$v")
  FIRST[$v]="full copy $w s wall, $c s CPU"
  log "$v: ${FIRST[$v]}"
done
[ -f "$jar" ] || { echo "cold-start: $jar was not built" >&2; exit 1; }
ls -la "${jar%.jar}"-sync-* >&2 || true
for round in $(seq 1 "$REPEAT"); do
  for v in $VARIANTS; do
    read -r w c < <(variant "$v")
    WALL[$v]="${WALL[$v]:-} $w"; CPUS[$v]="${CPUS[$v]:-} $c"
    log "$v round $round: $w s wall, $c s CPU (load $(cut -d' ' -f1-3 /proc/loadavg))"
  done
done
stats() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[1], a[int((NR+1)/2)]}'; }
printf '\nCorpus: %d mailboxes x %d messages = %d messages, %.1f MiB; re-run with nothing new, %d in parallel; %d rounds\n' \
  "$MAILBOXES" "$MESSAGES" "$TOTAL_MSGS" "$(echo "$TOTAL_BYTES / 1048576" | bc -l)" "$PARALLEL" "$REPEAT"
ls -la "${jar%.jar}"-sync-*
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); Java 17: $JAVA17; Java 25: $JAVA25"
printf '%-15s %10s %10s %10s %10s   %s\n' variant best_s median_s best_cpu median_cpu "first run after the build (writes the archive)"
for v in $VARIANTS; do
  read -r wb wm < <(echo "${WALL[$v]}" | stats)
  read -r cb cm < <(echo "${CPUS[$v]}" | stats)
  printf '%-15s %10s %10s %10s %10s   %s\n' "$v" "$wb" "$wm" "$cb" "$cm" "${FIRST[$v]:--}"
done
