#!/usr/bin/env bash
# Ban latency of two Tollgate builds, alternated in one run (A B A B ...): line written to the address in the ipset,
# the first ban after start included. Each run is `bench/side-by-side.sh --no-build --only latency --no-fail2ban
# --warmup 0 --count N --rate R --jar <jar>`; this prints every run's first / median / p90 / p99 / max with the load
# average at its start, and the median of each column per build.
#
#   sudo bench/latency-ab.sh [--runs N] [--count N] [--rate R] [--trace] A.jar B.jar
#
#   --runs N    runs of each build (default 3)
#   --count N   bans per run (default 50)
#   --rate R    failure lines per second (default 10)
#   --trace     record the ban path in every run and print its breakdown (see side-by-side.sh --trace)
#
# Build the current tree first (./mvnw -q -pl server,bench -am package -Dmaven.test.skip=true) and keep an earlier
# jar to compare with (cp server/target/tollgate.jar /tmp/before.jar before the change). Needs root, like
# side-by-side.sh; everything runs in network namespaces it creates.
set -euo pipefail

runs=3
count=50
rate=10
trace=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --count) count="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --trace) trace=(--trace); shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "latency-ab.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 2 ]; then
    echo "latency-ab.sh: expected two jars, A and B (see --help)" >&2
    exit 2
fi
jars=("$1" "$2")
for jar in "${jars[@]}"; do
    [ -r "$jar" ] || { echo "latency-ab.sh: $jar is not readable" >&2; exit 2; }
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results/latency-ab-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
: > "$out/runs.tsv"
for run in $(seq 1 "$runs"); do
    for side in A B; do
        jar="${jars[0]}"
        [ "$side" = B ] && jar="${jars[1]}"
        load="$(cut -d' ' -f1 /proc/loadavg)"
        log="$out/run-$run-$side.txt"
        "$root/bench/side-by-side.sh" --no-build --only latency --no-fail2ban --warmup 0 --count "$count" \
            --rate "$rate" --jar "$jar" "${trace[@]+"${trace[@]}"}" > "$log" 2>&1 || {
            echo "latency-ab.sh: run $run of $side failed, see $log" >&2; exit 1; }
        result="$(grep -o 'ban latency [a-z0-9]* (ms) *[0-9.]*' "$log" | awk '{print $3 "=" $5}' | tr '\n' ' ')"
        printf '%s\t%s\t%s\t%s\n' "$side" "$run" "$load" "$result" >> "$out/runs.tsv"
        printf '%s run %s (load %s): %s\n' "$side" "$run" "$load" "$result"
        if [ ${#trace[@]} -gt 0 ]; then
            sed -n '/where the milliseconds went/,/^$/p' "$log" | sed 1d
        fi
    done
done

echo
echo "== medians of $runs runs each ($count bans at $rate/s, first ban after start included); ms"
printf '%-4s %8s %8s %8s %8s %8s   %s\n' "" first median p90 p99 max jar
for side in A B; do
    jar="${jars[0]}"
    [ "$side" = B ] && jar="${jars[1]}"
    cells=()
    for metric in first median p90 p99 max; do
        cells+=("$(grep "^$side	" "$out/runs.tsv" | grep -o "$metric=[0-9.]*" | cut -d= -f2 | sort -n \
            | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                                         else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')")
    done
    printf '%-4s %8s %8s %8s %8s %8s   %s\n' "$side" "${cells[@]}" "$jar"
done
echo "(load average at each run's start in $out/runs.tsv; every run's output beside it)"
