# Sourced by the bench scripts (bench/*/run.sh and the campaigns): runs their Maven builds so that a
# fresh clone works and a failure says what failed.
#
#   . "$ROOT/bench/build.sh"
#   bench_mvn CHECKOUT LOG ARGS...   e.g. bench_mvn "$ROOT" "$WORK/build.log" -pl relay -am package -DskipTests
#
# Runs `mvn -B -o ARGS` in CHECKOUT with its output in LOG. Offline first (fast, and what a machine
# with a full local repository wants); when that fails (a fresh machine whose local repository lacks a
# plugin the bench needs, e.g. maven-dependency-plugin for dependency:build-classpath, or a dependency),
# once more online, which downloads what is missing. When that fails too, prints the command and the
# last lines of its output and returns 1, so a script under `set -e` stops with the reason on screen
# instead of silently. Nothing is installed into the local repository (no `mvn install`: other
# checkouts share it); the bench scripts run from the modules' target/ directories.

bench_mvn() { # CHECKOUT LOG ARGS...
  local dir=$1 log=$2
  shift 2
  command -v mvn >/dev/null || { echo "bench: Maven (mvn) is not installed; install it (README: JDK 17+ and Maven) and retry" >&2; return 1; }
  mkdir -p "$(dirname "$log")"
  if (cd "$dir" && mvn -B -o "$@") >"$log" 2>&1; then return 0; fi
  echo "bench: offline build failed (first errors below); retrying online: mvn -B $*" >&2
  grep -m 3 '\[ERROR\]' "$log" | sed 's/^/bench:   /' >&2 || true
  if (cd "$dir" && mvn -B "$@") >"$log" 2>&1; then return 0; fi
  echo "bench: the build failed in $dir: mvn -B $*" >&2
  echo "bench: its output ($log), last 60 lines:" >&2
  tail -60 "$log" >&2
  return 1
}

# bench_need WHAT BINARY... : fails with the package to install when a binary is missing.
bench_need() { # PACKAGE-HINT BINARY...
  local hint=$1 b
  shift
  for b in "$@"; do
    if ! command -v "$b" >/dev/null 2>&1 && [ ! -x "$b" ]; then
      echo "bench: $b is missing ($hint)" >&2
      return 1
    fi
  done
}

# bench_need_space DIR MESSAGES WHAT : fails before any corpus is written when DIR's file system has less
# room than the run needs: MESSAGES on legacy plus their copies on new (and mbsync's or doveadm's state),
# estimated per message at 200 KB for the default size mix and 16 KB for CORPUS_MIX=small, plus 1 GiB.
# A bench that fills the disk fails in the middle, and so does everything else on the machine.
bench_need_space() { # DIR MESSAGES WHAT
  local dir=$1 messages=$2 what=$3 per=200 need free
  [ "${CORPUS_MIX:-}" = small ] && per=16
  need=$(( messages * per / 1024 + 1024 ))   # MiB
  free=$(df -Pm "$dir" | awk 'NR==2 {print $4}')
  if [ "$free" -lt "$need" ]; then
    echo "bench: $what needs about $need MiB free in $dir and $free MiB are; free some room (an earlier run's BENCH_DIR kept with KEEP=1?) or use fewer MAILBOXES/MESSAGES, or another BENCH_DIR" >&2
    return 1
  fi
}

# bench_drop_mail PAIR : called from a bench's EXIT trap once the pair is stopped. Removes the pair's
# Maildirs (a 10 x 2,000 corpus is ~3.5 GB on the two servers) unless KEEP=1, and says so; the logs,
# tables and configuration in BENCH_DIR stay.
bench_drop_mail() { # PAIR
  local pair=$1 size
  [ -d "$pair" ] || return 0
  if [ "${KEEP:-0}" = 1 ]; then
    echo "bench: KEEP=1: the mailboxes stay in $pair ($(du -sh "$pair" 2>/dev/null | cut -f1)); rm -rf it when done" >&2
    return 0
  fi
  size=$(du -sh "$pair" 2>/dev/null | cut -f1)
  rm -rf "$pair"
  echo "bench: removed the bench's mailboxes in $pair ($size; KEEP=1 keeps them)" >&2
}
