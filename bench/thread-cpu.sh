#!/usr/bin/env bash
# CPU seconds per thread of `tollgate check --json` (security events only), for two or more builds alternated, not
# pinned: the busiest thread bounds the wall clock on two idle cores, and CPU time is less disturbed than the wall
# clock when other work shares the machine.
#
#   bench/thread-cpu.sh [--runs N] [--log FILE] [--jit c1|c2] [--all] BEFORE.jar NOW.jar [MORE.jar...]
#
#   --runs N   rounds (default 3); --log F: the input (default bench/results/mixed-1m.log)
#   --all      `check --json --all` (every line to JSON) instead, its output into a pipe as users read it
#   --jit      c1 (default): `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m`, as ./tollgate runs check; c2: `-XX:+UseSerialGC`
#
# Polls /proc/PID/task/*/stat every 20 ms while the process runs and prints each thread's last user + system time:
# "java" is the main thread (the JVM's start included), "compiler" the JIT's threads, "jvm" the collector's and the
# JVM's others; the work of a thread's last 20 ms may be missed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3; log="$root/bench/results/mixed-1m.log"; jit=c1; all=(); jars=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --log) log="$2"; shift 2 ;;
        --jit) jit="$2"; shift 2 ;;
        --all) all=(--all); shift ;;
        -*) echo "thread-cpu.sh: unknown option $1" >&2; exit 2 ;;
        *) jars+=("$1"); shift ;;
    esac
done
[ ${#jars[@]} -ge 1 ] || { echo "usage: bench/thread-cpu.sh [--runs N] [--log FILE] [--jit c1|c2] A.jar B.jar..." >&2; exit 2; }
[ -r "$log" ] || { echo "thread-cpu.sh: $log is missing" >&2; exit 2; }
case "$jit" in
    c1) flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m) ;;
    c2) flags=(-XX:+UseSerialGC) ;;
    *) echo "thread-cpu.sh: --jit takes c1 or c2" >&2; exit 2 ;;
esac
ticks=$(getconf CLK_TCK)

one() {
    java -Xmx512m -XX:+ExitOnOutOfMemoryError "${flags[@]}" -jar "$1" check --json "${all[@]}" --zone UTC "$log" \
        2>/dev/null > >(cat > /dev/null) &
    local pid=$! t line rest tid comm
    declare -A cpu name by
    while kill -0 "$pid" 2>/dev/null; do
        for t in /proc/"$pid"/task/*; do
            line=$(cat "$t/stat" 2>/dev/null) || continue
            tid=${t##*/}; rest=${line#*(}; comm=${rest%%)*}; rest=${rest##*) }
            # shellcheck disable=SC2086
            set -- $rest
            cpu[$tid]=$(( ${12} + ${13} )); name[$tid]=$comm
        done
        sleep 0.02
    done
    wait "$pid" || true
    for tid in "${!cpu[@]}"; do
        comm=${name[$tid]}
        case "$comm" in
            C1*|C2*) comm=compiler ;;
            java|tollgate-*) ;;
            *) comm=jvm ;;
        esac
        by[$comm]=$(( ${by[$comm]:-0} + ${cpu[$tid]} ))
    done
    for comm in $(printf '%s\n' "${!by[@]}" | sort); do
        printf ' %s %.2f' "$comm" "$(echo "${by[$comm]} / $ticks" | bc -l)"
    done
}

echo "== $(basename "$log")${all:+ --all}; $jit; $runs rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$runs"); do
    for jar in "${jars[@]}"; do
        printf '   round %d %-40s%s  (load %s)\n' "$round" "$jar" "$(one "$jar")" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
