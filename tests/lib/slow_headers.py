#!/usr/bin/env python3
"""slow_headers: hold PER connections from each source address to ADDR:PORT, each sending one byte of a
never-ending request header every INTERVAL_S seconds, for DURATION_S seconds; a connection the peer closes
is opened again. Writes READY_FILE once the first round is opened, then prints a JSON summary: how long
each connection lived (from its connect to the peer's close, or to the end for those still open).

Usage: slow_headers.py ADDR PORT PER DURATION_S INTERVAL_S READY_FILE SRC[,SRC...]
Bounded: at most 64 sources, 64 connections each, 60 s."""
import json
import selectors
import socket
import sys
import time

HEADER = b"GET /v1/info HTTP/1.1\r\nHost: agent\r\nX-Pad: " + b"a" * 100000


def main():
    addr, port, per, duration_s, interval_s, ready_file, sources = sys.argv[1:8]
    port, per = int(port), min(int(per), 64)
    duration_s, interval_s = min(float(duration_s), 60.0), float(interval_s)
    sources = sources.split(",")[:64]
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> [source, connect time, bytes sent, next send time]
    lived = []  # seconds from connect to the peer's close
    connects = 0
    connect_failed = 0

    def open_one(src):
        nonlocal connects, connect_failed
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.bind((src, 0))
            s.connect((addr, port))
        except OSError:
            connect_failed += 1
            s.close()
            return
        connects += 1
        s.setblocking(False)
        now = time.monotonic()
        conns[s] = [src, now, 0, now]
        sel.register(s, selectors.EVENT_READ)

    def closed(s):
        src, t0 = conns.pop(s)[:2]
        lived.append(time.monotonic() - t0)
        sel.unregister(s)
        s.close()
        return src

    for src in sources:
        for _ in range(per):
            open_one(src)
    with open(ready_file, "w") as f:
        f.write("%d\n" % len(conns))
    end = time.monotonic() + duration_s
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                open_one(closed(s))
        now = time.monotonic()
        for s, st in list(conns.items()):
            if now < st[3]:
                continue
            try:
                s.send(HEADER[st[2]:st[2] + 1])
                st[2] += 1
                st[3] = now + interval_s
            except OSError:
                open_one(closed(s))
        # Keep PER open from every source: a connect refused a moment ago is tried again.
        for src in sources:
            missing = per - sum(1 for st in conns.values() if st[0] == src)
            for _ in range(missing):
                open_one(src)
    now = time.monotonic()
    still = [now - st[1] for st in conns.values()]
    for s in list(conns):
        s.close()
    print(json.dumps({
        "connects": connects,
        "connect_failed": connect_failed,
        "closed_by_peer": len(lived),
        "closed_after_1s": sum(1 for t in lived if t >= 1.0),
        "earliest_late_close_s": round(min((t for t in lived if t >= 1.0), default=-1), 3),
        "latest_close_s": round(max(lived, default=-1), 3),
        "still_open": len(still),
        "oldest_open_s": round(max(still, default=0), 3),
        "longest_life_s": round(max(lived + still, default=0), 3),
    }))


if __name__ == "__main__":
    main()
