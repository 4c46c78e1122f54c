#!/usr/bin/env bash
# After the suite: no password the tests configured may appear in any log line the suite wrote.
#
# Passwords: every one the real test servers were given (the Dovecot passwd-files under
# */target/it-servers/*/dovecot-*/{users,master-users}, "name:{PLAIN}password") and the fixed ones in
# it/test-secrets.txt (the API users of appliance/src/test/resources/test.yml, ...).
# Logs: */target/test-logs/*.log: every line from INFO up that the relay, sync, dnscheck and appliance
# tests logged (logback-test.xml of each module; the in-process appliance's file appender in test.yml).
# Prints what it checked; exits 1 naming file, line and which password (never the password itself).
#
#   it/secrets-in-logs.sh            # from the repository's top, after ./run-tests (or mvn verify)
set -euo pipefail
cd "$(dirname "$0")/.."
secrets=$(mktemp)
trap 'rm -f "$secrets"' EXIT
shopt -s nullglob
passwd_files=(*/target/it-servers/*/dovecot-*/users */target/it-servers/*/dovecot-*/master-users)
{
  [ ${#passwd_files[@]} -eq 0 ] || sed -n 's/^[^:#][^:]*:{PLAIN}\([^:]*\).*/\1/p' "${passwd_files[@]}"
  grep -v '^\s*\(#\|$\)' it/test-secrets.txt
} | awk 'length($0) >= 6' | sort -u > "$secrets"
logs=(*/target/test-logs/*.log)
n_secrets=$(wc -l < "$secrets")
n_lines=0
for f in "${logs[@]}"; do n_lines=$((n_lines + $(wc -l < "$f"))); done
if [ "$n_secrets" -eq 0 ] || [ ${#logs[@]} -eq 0 ]; then
  echo "secrets-in-logs: nothing to check ($n_secrets passwords, ${#logs[@]} log files): run the tests first" >&2
  exit 1
fi
hits=$(grep -n -F -f "$secrets" "${logs[@]}" || true)
if [ -n "$hits" ]; then
  echo "secrets-in-logs: FAIL: a password the tests configured is in a log line:" >&2
  while IFS= read -r hit; do
    where=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}
    which=$(grep -F -o -f "$secrets" <<<"${rest#*:}" | head -1)
    echo "  $where line $line: the password of length ${#which} starting '${which:0:2}'" >&2
  done <<<"$hits"
  exit 1
fi
echo "secrets-in-logs: OK: $n_secrets passwords (from ${#passwd_files[@]} passwd-files and it/test-secrets.txt)" \
  "in none of $n_lines log lines of ${#logs[@]} files"
