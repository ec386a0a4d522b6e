#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""UDP transfer with every payload checked.

  udp_check.py recv PORT N     receive N datagrams; exit 0 if all N
                               arrived intact (each once)
  udp_check.py send ADDR PORT N

Datagram i carries i and a payload derived from it (1200 bytes), so a
corrupted, truncated or duplicated datagram is seen.  The receiver gives up
2 s after the last datagram (5 s before the first).
"""
import hashlib
import socket
import sys
import time


def payload(i):
    return i.to_bytes(4, "big") + hashlib.sha256(b"%d" % i).digest() * 37 + b"ngre"


def recv(port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    print("ready", flush=True)
    s.settimeout(10)
    seen, bad = set(), 0
    try:
        while len(seen) < n:
            data = s.recv(65535)
            i = int.from_bytes(data[:4], "big")
            if data != payload(i) or i in seen:
                bad += 1
            seen.add(i)
            s.settimeout(2)
    except socket.timeout:
        pass
    print("received %d of %d, %d bad" % (len(seen), n, bad))
    return 0 if len(seen) == n and bad == 0 else 1


def send(addr, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        s.sendto(payload(i), (addr, port))
        time.sleep(0.002)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        sys.exit(recv(int(sys.argv[2]), int(sys.argv[3])))
    sys.exit(send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
