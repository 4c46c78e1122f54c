#!/usr/bin/env python3
"""Writes many small mailboxes straight into the legacy Dovecot's Maildirs (Maildir++, '.' layout) and its passwd
files (legacy and new), for bench/scale/run.sh.

usage: gen-small.py PAIR_DIR MAILBOXES MESSAGES
Users scale00001.. with password <login>-pw. Per mailbox: MESSAGES text messages of 1.5-6 KB, 80 % in INBOX and
20 % in Archive, half of them \\Seen. Deterministic (seeded). Prints the messages and bytes written.
"""
import os
import random
import sys

pair, mailboxes, messages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(16)
words = ('mailbox migration cutover relay legacy server message folder archive invoice meeting '
         'report quarter budget schedule customer ticket update review draft final notes').split()
total_msgs = total_bytes = 0
root = os.path.join(pair, 'legacy', 'mail')
passwd = []
for m in range(1, mailboxes + 1):
    user = 'scale%05d' % m
    passwd.append('%s:{PLAIN}%s-pw::::::\n' % (user, user))
    home = os.path.join(root, user, 'Maildir')
    folders = {'INBOX': home, 'Archive': os.path.join(home, '.Archive')}
    for d in folders.values():
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
    for i in range(messages):
        size = rnd.randint(1500, 6000)
        body = []
        n = 0
        while n < size:
            line = ' '.join(rnd.choice(words) for _ in range(12)) + '\n'
            body.append(line)
            n += len(line)
        date = 1_600_000_000 + m * 100_000 + i * 600
        text = ('Date: Tue, 01 Sep 2020 10:00:00 +0000\n'
                'From: <sender%d@elsewhere.example>\n'
                'To: <%s@example.test>\n'
                'Subject: scale message %d of %s\n'
                'Message-ID: <scale.%d.%s@bench.example>\n'
                'MIME-Version: 1.0\n'
                'Content-Type: text/plain; charset=UTF-8\n\n' % (i % 50, user, i, user, i, user)) + ''.join(body)
        data = text.encode('utf-8')
        folder = 'INBOX' if rnd.random() < 0.8 else 'Archive'
        flags = 'S' if rnd.random() < 0.5 else ''
        name = '%d.M%dP%d.scale,S=%d:2,%s' % (date, i, m, len(data), flags)
        path = os.path.join(folders[folder], 'cur', name)
        with open(path, 'wb') as out:
            out.write(data)
        os.utime(path, (date, date))
        total_msgs += 1
        total_bytes += len(data)
for side in ('legacy', 'new'):
    with open(os.path.join(pair, side, 'passwd'), 'a') as f:
        f.writelines(passwd)
os.system('chown -R 65534:65534 ' + root)
print(total_msgs, total_bytes)
