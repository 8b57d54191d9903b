#!/usr/bin/env python3
"""Tells when addresses enter an ipset, asking the kernel itself: the poller of bench/latency-ab.sh's BanLatency.

Reads IPv4 addresses on stdin, one a line, and asks the kernel about each one not yet seen, every GAP_MICROS,
through one netlink socket (an ipset TEST message and its answer: two system calls, no process of its own to wake,
unlike `ipset -`). Prints "<ip> <CLOCK_MONOTONIC ns>" the first time an address is in the set, flushing each line,
and "ready" once the set answered its first question. Sleeps on stdin while nothing is waited for.

    set-watch.py SET     (inside the daemon's network namespace; root)
"""
import os
import select
import socket
import struct
import sys
import time

GAP_MICROS = 200
NFNL_SUBSYS_IPSET = 6
IPSET_CMD_TEST = 11
IPSET_PROTOCOL = 7
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
IPSET_ATTR_PROTOCOL = 1
IPSET_ATTR_SETNAME = 2
IPSET_ATTR_DATA = 7
IPSET_ATTR_IP = 1
IPSET_ATTR_IPADDR_IPV4 = 1


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def test_message(set_name, ip, seq):
    address = attr(IPSET_ATTR_IPADDR_IPV4 | NLA_F_NET_BYTEORDER, socket.inet_aton(ip))
    body = struct.pack("=BBH", socket.AF_INET, 0, 0) + attr(IPSET_ATTR_PROTOCOL, bytes([IPSET_PROTOCOL])) \
        + attr(IPSET_ATTR_SETNAME, set_name.encode() + b"\0") \
        + attr(IPSET_ATTR_DATA | NLA_F_NESTED, attr(IPSET_ATTR_IP | NLA_F_NESTED, address))
    header = struct.pack("=IHHII", 16 + len(body), NFNL_SUBSYS_IPSET << 8 | IPSET_CMD_TEST,
                         NLM_F_REQUEST | NLM_F_ACK, seq, 0)
    return header + body


def in_set(sock, set_name, ip, seq):
    """True when ip is in the set; raises when the kernel says anything but yes or no."""
    sock.send(test_message(set_name, ip, seq))
    while True:
        answer = sock.recv(65536)
        length, kind, _, answered, _ = struct.unpack_from("=IHHII", answer)
        if answered != seq:
            continue
        if kind != NLMSG_ERROR:
            raise OSError("unexpected netlink answer type %d" % kind)
        (error,) = struct.unpack_from("=i", answer, 16)
        if error == 0:
            return True
        if -error > 4096:  # an ipset error of its own: for TEST, "not in the set"
            return False
        raise OSError(-error, "ipset test %s %s: %s" % (set_name, ip, os.strerror(-error)))


def main():
    set_name = sys.argv[1]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
    sock.bind((0, 0))
    seq = 1
    in_set(sock, set_name, "192.0.2.255", seq)
    print("ready", flush=True)
    waiting = []
    pending = b""
    stdin = sys.stdin.buffer.raw
    while True:
        ready, _, _ = select.select([stdin], [], [], 0 if waiting else None)
        if ready:
            chunk = os.read(stdin.fileno(), 65536)
            if not chunk:
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            waiting.extend(line.decode() for line in lines if line)
        still = []
        for ip in waiting:
            seq += 1
            if in_set(sock, set_name, ip, seq):
                print(ip, time.monotonic_ns(), flush=True)
            else:
                still.append(ip)
        waiting = still
        if waiting:
            time.sleep(GAP_MICROS / 1e6)


if __name__ == "__main__":
    main()
