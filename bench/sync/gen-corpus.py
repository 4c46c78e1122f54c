#!/usr/bin/env python3
"""Writes the benchmark corpus straight into the legacy Dovecot's Maildirs (Maildir++, '.' layout).

usage: gen-corpus.py CORPUS_DIR MAIL_ROOT MAILBOXES MESSAGES
Size mix per mailbox: ~72 % SpamAssassin messages as they are (mostly under 10 KB), ~27 %
padded with a base64 block to a log-uniform size between 10 KB and 1 MB, ~0.5 % between 1 and
10 MB. 80 % INBOX, 10 % Sent, 10 % Archive. Deterministic (seeded). Prints messages and bytes.
CORPUS_MIX=small in the environment: every message a SpamAssassin message as it is (none padded; ~5 KB
on average), for corpora of many messages whose cost is per message, not per byte.
EXTRA_FOLDERS=N in the environment: N more folders per mailbox (Projects.P01...), which share the Archive's
10 % with it, for the cost per folder (wan.sh subscribes every folder of such a corpus).
"""
import json, os, random, sys, base64, math

corpus_dir, mail_root, mailboxes, messages = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
texts = []
for root, _, files in os.walk(corpus_dir):
    for f in sorted(files):
        if f.endswith('.json'):
            t = json.load(open(os.path.join(root, f), encoding='utf-8'))['text']
            if t.startswith('From '):
                t = t[t.index('\n') + 1:]
            texts.append(t.encode('latin-1', errors='replace'))
texts.sort()
rnd = random.Random(42)
small = os.environ.get('CORPUS_MIX') == 'small'
extra = int(os.environ.get('EXTRA_FOLDERS', '0'))
total_msgs = total_bytes = 0
for m in range(1, mailboxes + 1):
    user = 'bench%02d' % m
    home = os.path.join(mail_root, user, 'Maildir')
    folders = {'INBOX': home, 'Sent': os.path.join(home, '.Sent'), 'Archive': os.path.join(home, '.Archive')}
    for k in range(1, extra + 1):
        folders['Projects.P%02d' % k] = os.path.join(home, '.Projects.P%02d' % k)
    archives = ['Archive'] + ['Projects.P%02d' % k for k in range(1, extra + 1)]
    for d in folders.values():
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
    for i in range(messages):
        base = texts[(m * 977 + i) % len(texts)]
        r = rnd.random()
        if r < 0.72 or small:
            target = 0
        elif r < 0.995:
            target = int(math.exp(rnd.uniform(math.log(10_000), math.log(1_000_000))))
        else:
            target = rnd.randint(1_000_000, 10_000_000)
        body = base
        if target > len(base):
            raw = rnd.randbytes((target - len(base)) * 3 // 4)
            b64 = base64.encodebytes(raw)
            body = base + b'\n--- attachment ---\n' + b64
        f = rnd.random()
        folder = 'INBOX' if f < 0.8 else ('Sent' if f < 0.9 else archives[i % len(archives)])
        date = 1_000_000_000 + m * 10_000_000 + i * 600
        flags = 'S' if rnd.random() < 0.7 else ''
        name = '%d.M%dP%d.bench,S=%d:2,%s' % (date, i, m, len(body), flags)
        path = os.path.join(folders[folder], 'cur', name)
        with open(path, 'wb') as out:
            out.write(body)
        os.utime(path, (date, date))
        total_msgs += 1
        total_bytes += len(body)
os.system('chown -R 65534:65534 ' + mail_root)
print(total_msgs, total_bytes)
