#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0
"""UDP traffic for the session tests.

  session_traffic.py flows ADDR PORT N BASE [reverse]
        one datagram from each of N sockets, source ports BASE..BASE+N-1
        (in reverse order with "reverse"), to ADDR:PORT: N new flows
  session_traffic.py stream ADDR PORT RATE BASE SPAN
        until killed, RATE new flows a second to ADDR:PORT, a datagram from
        each source port of BASE..BASE+SPAN-1 in turn (one socket at a time)
  session_traffic.py burst ADDR PORT N SPORT
        N datagrams from source port SPORT to ADDR:PORT, back to back: one
        flow
  session_traffic.py echo-server PORT
        answer every datagram on PORT with the same datagram (until killed)
  session_traffic.py echo ADDR PORT N [SIZE]
        N datagrams (of SIZE bytes) to ADDR:PORT from one socket; exit 0
        if all N answers came back whole
  session_traffic.py ttl ADDR PORT
        from one socket: a datagram with TTL 64 (its flow's session forms),
        then one with TTL 1 (the session's fast path must answer it)
  session_traffic.py big ADDR PORT SIZE
        from one socket: a small datagram, then one of SIZE bytes with DF
        whatever the path MTU (IP_PMTUDISC_PROBE)
"""
import socket
import sys
import time

IP_MTU_DISCOVER = 10
IP_PMTUDISC_PROBE = 3


def flows(addr, port, n, base, order):
    socks = []
    for i in order(range(n)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", base + i))
        s.sendto(b"flow %d" % i, (addr, port))
        socks.append(s)
        # A short pause now and then: the receiving side is a VM too.
        if len(socks) % 50 == 0:
            time.sleep(0.05)
    time.sleep(0.2)
    for s in socks:
        s.close()
    return 0


def stream(addr, port, rate, base, span):
    i = 0
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # The test takes links down and routes away under the stream:
            # a flow that cannot be sent is skipped.
            try:
                s.bind(("0.0.0.0", base + i))
                s.sendto(b"stream %d" % i, (addr, port))
            except OSError:
                pass
        i = (i + 1) % span
        time.sleep(1 / rate)


def burst(addr, port, n, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    for i in range(n):
        s.sendto(b"burst %d" % i, (addr, port))
    return 0


def echo_server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def echo(addr, port, n, size=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    got = 0
    for i in range(n):
        msg = (b"echo %d " % i).ljust(size, b"x")
        for _ in range(5):
            s.sendto(msg, (addr, port))
            try:
                if s.recv(65535) == msg:
                    got += 1
                    break
            except socket.timeout:
                continue
    print("echo: %d of %d answered" % (got, n))
    return 0 if got == n else 1


def one_socket():
    """Unconnected: ICMP errors about its datagrams are not reported."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    return s


def ttl(addr, port):
    s = one_socket()
    s.sendto(b"first", (addr, port))
    time.sleep(0.5)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
    s.sendto(b"ttl 1", (addr, port))
    time.sleep(0.5)
    return 0


def big(addr, port, size):
    s = one_socket()
    s.sendto(b"first", (addr, port))
    time.sleep(0.5)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)
    s.sendto(b"x" * size, (addr, port))
    time.sleep(0.5)
    return 0


def main(argv):
    cmd = argv[1]
    if cmd == "flows":
        order = reversed if argv[6:] == ["reverse"] else iter
        return flows(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), order)
    if cmd == "stream":
        return stream(argv[2], int(argv[3]), float(argv[4]), int(argv[5]),
                      int(argv[6]))
    if cmd == "burst":
        return burst(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    if cmd == "echo-server":
        return echo_server(int(argv[2]))
    if cmd == "echo":
        return echo(argv[2], int(argv[3]), int(argv[4]),
                    int(argv[5]) if len(argv) > 5 else 0)
    if cmd == "ttl":
        return ttl(argv[2], int(argv[3]))
    if cmd == "big":
        return big(argv[2], int(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
