#!/usr/bin/env python3
"""SMTP load client for bench/relay/run.sh's TLS mode: smtp-source's behaviour (one message per
connection, SESSIONS connections at once, no pipelining, a fixed-size body) plus STARTTLS, which
smtp-source does not speak. OpenSSL through Python's ssl module, one client context for all
connections (so a server that issues TLS session tickets gets resumed sessions, as a real sending
MTA with a session cache would), the server's certificate checked against CAFILE (no host name).

usage: smtp-load.py -s SESSIONS -m MESSAGES -l LENGTH [--starttls CAFILE] [-f FROM] [-t TO] HOST:PORT

Prints one line: "<start epoch s> <end epoch s> <messages sent> <failures> <resumed TLS sessions>".
Exit 1 when any message was not accepted with 250 (the reply is on stderr).
"""
import argparse
import socket
import ssl
import sys
import threading
import time


def reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            raise ConnectionError("connection closed; got " + repr(lines))
        lines.append(line)
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]), lines


def expect(f, code, what):
    c, lines = reply(f)
    if c != code:
        raise RuntimeError(f"{what}: expected {code}, got {b''.join(lines)!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-s", type=int, default=1)
    ap.add_argument("-m", type=int, default=1)
    ap.add_argument("-l", type=int, default=100)
    ap.add_argument("-f", default="alice@sender.test")
    ap.add_argument("-t", default="bob@example.test")
    ap.add_argument("--starttls", metavar="CAFILE")
    ap.add_argument("target")
    a = ap.parse_args()
    host, port = a.target.rsplit(":", 1)
    port = int(port)
    ctx = None
    if a.starttls:
        ctx = ssl.create_default_context(cafile=a.starttls)
        ctx.check_hostname = False
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    line = b"La La La " * 8 + b"\r\n"  # 74 bytes, like smtp-source's filler
    body = (line * (a.l // len(line) + 1))[: a.l]
    body = body[: body.rfind(b"\r\n") + 2] if b"\r\n" in body else body + b"\r\n"
    headers = f"From: <{a.f}>\r\nTo: <{a.t}>\r\nSubject: bench\r\n\r\n".encode()
    message = headers + body + b".\r\n"
    lock = threading.Lock()
    state = {"next": 0, "sent": 0, "failed": 0, "resumed": 0}
    sessions = {}  # per thread: the last TLS session, offered again on the next connection

    def one(tid):
        s = socket.create_connection((host, port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            f = s.makefile("rb")
            expect(f, 220, "banner")
            s.sendall(b"EHLO client.bench.test\r\n")
            expect(f, 250, "EHLO")
            if ctx is not None:
                s.sendall(b"STARTTLS\r\n")
                expect(f, 220, "STARTTLS")
                f.close()
                s = ctx.wrap_socket(s, server_hostname=None, session=sessions.get(tid))
                if s.session_reused:
                    with lock:
                        state["resumed"] += 1
                f = s.makefile("rb")
                s.sendall(b"EHLO client.bench.test\r\n")
                expect(f, 250, "EHLO after STARTTLS")
                sessions[tid] = s.session
            s.sendall(f"MAIL FROM:<{a.f}>\r\n".encode())
            expect(f, 250, "MAIL")
            s.sendall(f"RCPT TO:<{a.t}>\r\n".encode())
            expect(f, 250, "RCPT")
            s.sendall(b"DATA\r\n")
            expect(f, 354, "DATA")
            s.sendall(message)
            expect(f, 250, "end of DATA")
            s.sendall(b"QUIT\r\n")
            try:
                reply(f)
            except (ConnectionError, OSError):
                pass
        finally:
            s.close()

    def worker(tid):
        while True:
            with lock:
                if state["next"] >= a.m:
                    return
                state["next"] += 1
            try:
                one(tid)
                with lock:
                    state["sent"] += 1
            except Exception as e:  # noqa: BLE001 - counted and shown, the run goes on
                with lock:
                    state["failed"] += 1
                print(f"smtp-load: {e}", file=sys.stderr)

    start = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.s)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end = time.time()
    print(f"{start:.6f} {end:.6f} {state['sent']} {state['failed']} {state['resumed']}")
    return 1 if state["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
