#!/usr/bin/env python3
"""Hottest methods of a JFR recording (jdk.ExecutionSample): self (top frame) and total (anywhere in the stack).
Usage: jfr-top.py REC.jfr [N]"""
import collections, json, subprocess, sys

rec = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", rec],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
self_c, total_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
for e in events:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames]
    if names:
        self_c[names[0]] += 1
    for m in set(names):
        total_c[m] += 1
    t = e["values"].get("sampledThread") or {}
    threads[(t.get("javaName") or "?").split("-")[0]] += 1
total = len(events)
print(f"{total} samples")
print("threads:", ", ".join(f"{k} {v * 100 // max(total, 1)}%" for k, v in threads.most_common(8)))
print(f"\n{'self%':>6}  method")
for m, c in self_c.most_common(n):
    print(f"{c * 100.0 / total:6.1f}  {m}")
print(f"\n{'total%':>6}  method")
for m, c in total_c.most_common(n):
    print(f"{c * 100.0 / total:6.1f}  {m}")
