#!/usr/bin/env python3
"""Commands side by side by the CPU they take, for JVM flags and launcher choices that no jar A/B covers:

    bench/cpu-ab.py [--runs N] 'LABEL=COMMAND' 'LABEL=COMMAND' ...

e.g. the young generation of a check:

    J=server/target/tollgate.jar; F='-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
    bench/cpu-ab.py --runs 6 "default=java $F -jar $J check --json bench/results/mixed-1m.log" \\
        "xmn32=java $F -Xmn32m -jar $J check --json bench/results/mixed-1m.log"

Each round runs every command once, in the order given (A B A B), its output to /dev/null. Prints per command the
median, mean and least CPU (user + system of the process and its children, from wait4, to the microsecond: finer than
GNU time's hundredths, which matter for a start of 0.3 s) and the median and least wall seconds, then the load
average. On a shared machine the CPU time is the figure to judge by; the wall clock waits for the other processes.
"""
import os
import statistics
import sys
import time


def main(argv):
    runs = 5
    if len(argv) > 1 and argv[0] == '--runs':
        runs, argv = int(argv[1]), argv[2:]
    cases = [arg.split('=', 1) for arg in argv]
    if not cases or any(len(case) != 2 for case in cases):
        sys.exit(__doc__)
    cpu = {label: [] for label, _ in cases}
    wall = {label: [] for label, _ in cases}
    devnull = os.open(os.devnull, os.O_WRONLY)
    for _ in range(runs):
        for label, command in cases:
            started = time.monotonic()
            pid = os.fork()
            if pid == 0:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.execvp('bash', ['bash', '-c', 'exec ' + command])
            _, status, usage = os.wait4(pid, 0)
            wall[label].append(time.monotonic() - started)
            cpu[label].append(usage.ru_utime + usage.ru_stime)
            if status != 0:
                print(f'{label}: exit status {status >> 8}', file=sys.stderr)
    for label, _ in cases:
        c, w = cpu[label], wall[label]
        print(f'{label:<28} CPU median {statistics.median(c):.3f} s, mean {statistics.mean(c):.3f}, least {min(c):.3f}'
              f' | wall median {statistics.median(w):.3f} s, least {min(w):.3f} ({len(c)} rounds)')
    print('load average', ' '.join(open('/proc/loadavg').read().split()[:3]))


if __name__ == '__main__':
    main(sys.argv[1:])
