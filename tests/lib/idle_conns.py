#!/usr/bin/env python3
"""idle_conns: open N idle TCP connections (no request) to ADDR:PORT from the given source addresses
in turn, write READY_FILE once all are opened, hold them HOLD_S seconds, and print a JSON summary of
when the peer closed them (seconds after their connect).

Usage: idle_conns.py ADDR PORT N HOLD_S READY_FILE SRC[,SRC...]
Bounded: at most 5000 connections, at most 60 s held."""
import json
import resource
import selectors
import socket
import sys
import time


def main():
    addr, port, count, hold_s, ready_file, sources = sys.argv[1:7]
    port, count, hold_s = int(port), min(int(count), 5000), min(float(hold_s), 60.0)
    sources = sources.split(",")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))
    sel = selectors.DefaultSelector()
    opened_at = {}
    closed_after = []
    failed = 0

    def collect(timeout):
        """Note the connections the peer closed (EOF or reset), with how long after their connect."""
        for key, _ in sel.select(timeout=timeout):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                continue
            closed_after.append(time.monotonic() - opened_at.pop(s))
            sel.unregister(s)
            s.close()

    start = time.monotonic()
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(3)
        try:
            s.bind((sources[i % len(sources)], 0))
            s.connect((addr, port))
        except OSError:
            failed += 1
            s.close()
            continue
        s.setblocking(False)
        opened_at[s] = time.monotonic()
        sel.register(s, selectors.EVENT_READ)
        collect(0)
    open_s = time.monotonic() - start
    with open(ready_file, "w") as f:
        f.write("%d\n" % (len(opened_at) + len(closed_after)))
    deadline = time.monotonic() + hold_s
    while opened_at and time.monotonic() < deadline:
        collect(0.1)
    still_open = len(opened_at)
    for s in list(opened_at):
        s.close()
    closed_after.sort()
    print(json.dumps({
        "opened": len(closed_after) + still_open,
        "failed": failed,
        "open_s": round(open_s, 3),
        "closed_within_1s": sum(1 for t in closed_after if t < 1.0),
        "closed_later": sum(1 for t in closed_after if t >= 1.0),
        "latest_close_s": round(closed_after[-1], 3) if closed_after else None,
        "earliest_late_close_s": round(min((t for t in closed_after if t >= 1.0), default=-1), 3),
        "still_open": still_open,
    }))


if __name__ == "__main__":
    main()
