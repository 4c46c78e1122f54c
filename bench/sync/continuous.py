#!/usr/bin/env python3
"""Helpers of bench/sync/continuous.sh (no third-party modules).

  continuous.py gen MAIL_ROOT USERS HISTORY
      legacy Maildir++ mailboxes bench0001..: INBOX, INBOX.Sent, INBOX.Archive, INBOX.Drafts with HISTORY
      messages in all (half in INBOX), small synthetic messages.
  continuous.py deliver LMTP_PORT NEW_MAIL_ROOT USERS DURATION RATE DRAIN SEED OUT
      delivers RATE messages/s for DURATION s to random users through the legacy LMTP, each with a unique
      X-Bench-Id header; a poller thread lists the new server's INBOX Maildir (cur/ and new/) of every user with
      a message still missing, every 0.2 s, and reads the head of each new file: the lag of a message is the
      time from LMTP's 250 (on legacy's disk) to its file appearing on new. After DURATION it waits up to DRAIN s
      for the missing ones. Writes every lag (s) to OUT, one per line ("missing" for one never seen), and prints
      "delivered arrived missing p50 p99 max mean" on stdout.
"""
import os
import random
import smtplib
import sys
import threading
import time

FOLDERS = ["", ".Sent", ".Archive", ".Drafts"]


def user(i):
    return "bench%04d" % i


def message(ident, subject, body_lines=8):
    body = "".join("line %d of a small bench message %s\r\n" % (n, ident) for n in range(body_lines))
    return ("From: sender@example.test\r\nTo: someone@example.test\r\nSubject: %s\r\n"
            "Date: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: <%s@bench.example.test>\r\n"
            "X-Bench-Id: %s\r\n\r\n%s" % (subject, ident, ident, body)).encode()


def gen(root, users, history):
    now = int(time.time()) - 86400
    for i in range(1, users + 1):
        home = os.path.join(root, user(i), "Maildir")
        shares = [history - 3 * (history // 6), history // 6, history // 6, history // 6]
        for folder, count in zip(FOLDERS, shares):
            d = os.path.join(home, folder) if folder else home
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(d, sub), exist_ok=True)
            for n in range(count):
                ident = "h-%s-%s-%d" % (user(i), folder.strip(".") or "INBOX", n)
                raw = message(ident, "history %d" % n)
                name = "%d.M%dP%d.bench,S=%d:2,S" % (now + n, n, i, len(raw))
                with open(os.path.join(d, "cur", name), "wb") as f:
                    f.write(raw)
        with open(os.path.join(home, "subscriptions"), "w") as f:
            f.write("".join(x.strip(".") + "\n" for x in FOLDERS if x))
    print(users * history)


def deliver(port, new_root, users, duration, rate, drain, seed, out):
    rnd = random.Random(seed)
    pending = {}  # user -> {ident: delivered_at}
    lags = {}  # ident -> lag seconds
    lock = threading.Lock()
    stop = threading.Event()
    seen = {}  # user -> set of file names already read

    def inbox_dirs(u):
        base = os.path.join(new_root, u, "Maildir")
        return [os.path.join(base, s) for s in ("cur", "new")] + \
               [os.path.join(base, "INBOX", s) for s in ("cur", "new")]

    def poll():
        while not stop.is_set():
            with lock:
                todo = [u for u, m in pending.items() if m]
            for u in todo:
                known = seen.setdefault(u, set())
                for d in inbox_dirs(u):
                    try:
                        names = os.listdir(d)
                    except FileNotFoundError:
                        continue
                    for name in names:
                        if name in known:
                            continue
                        known.add(name)
                        try:
                            with open(os.path.join(d, name), "rb") as f:
                                head = f.read(4096)  # after legacy's Return-Path, Delivered-To, Received
                        except FileNotFoundError:
                            known.discard(name)  # moved new/ -> cur/ meanwhile: seen again there
                            continue
                        at = head.find(b"X-Bench-Id: ")
                        if at < 0:
                            continue
                        ident = head[at + 12:head.find(b"\n", at)].strip().decode()  # Dovecot stores LF
                        now = time.time()
                        with lock:
                            t = pending.get(u, {}).pop(ident, None)
                            if t is not None:
                                lags[ident] = now - t
            stop.wait(0.2)

    # Files already there (the history) are not arrivals: mark them seen first.
    for i in range(1, users + 1):
        u = user(i)
        known = seen.setdefault(u, set())
        for d in inbox_dirs(u):
            try:
                known.update(os.listdir(d))
            except FileNotFoundError:
                pass
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    lmtp = smtplib.LMTP("127.0.0.1", port)
    start = time.time()
    k = 0
    delivered = 0
    while True:
        due = start + k / rate
        if due - start >= duration:
            break
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        u = user(rnd.randint(1, users))
        ident = "a-%d-%d" % (seed, k)
        try:
            refused = lmtp.sendmail("sender@example.test", [u], message(ident, "arrival %d" % k))
        except smtplib.SMTPException as e:
            print("LMTP delivery %d to %s failed: %s" % (k, u, e), file=sys.stderr)
            refused = True
        if not refused:
            with lock:
                pending.setdefault(u, {})[ident] = time.time()
            delivered += 1
        k += 1
    lmtp.quit()
    end = time.time() + drain
    while time.time() < end:
        with lock:
            if not any(pending.values()):
                break
        time.sleep(0.2)
    stop.set()
    poller.join()
    with lock:
        missing = sum(len(m) for m in pending.values())
        values = sorted(lags.values())
    with open(out, "w") as f:
        f.writelines("%.3f\n" % v for v in values)
        f.writelines("missing\n" for _ in range(missing))

    def pct(p):
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(p / 100.0 * len(values)))]

    mean = sum(values) / len(values) if values else float("nan")
    print("%d %d %d %.2f %.2f %.2f %.2f" % (delivered, len(values), missing, pct(50), pct(99),
                                             values[-1] if values else float("nan"), mean))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "deliver":
        a = sys.argv[2:]
        deliver(int(a[0]), a[1], int(a[2]), float(a[3]), float(a[4]), float(a[5]), int(a[6]), a[7])
    else:
        sys.exit("usage: continuous.py gen|deliver ...")
