#!/usr/bin/env bash
# Two builds of `tollgate check` side by side on one core, alternating (A B A B ...), under both JIT settings:
#
#   bench/check-json-all-ab.sh [--runs N] [--only security|all] BEFORE.jar AFTER.jar
#
#   security: `check --json` over the 5,000,000-line mixed log (bench/results/mixed-5m.log)
#   all:      `check --json --all` over the 1,000,000-line mixed log (bench/results/mixed-1m.log)
#
# each as the launcher runs it (C1 only: -XX:TieredStopAtLevel=1 -XX:+UseSerialGC) and with full tiered compilation
# (-XX:+UseSerialGC), -Xmx512m, pinned to core 0 (`taskset -c 0`), the JSON into a pipe. Prints each run's wall-clock
# and user CPU seconds (/usr/bin/time) with the load average, then per case the medians and AFTER / BEFORE. The first
# round's outputs of the two jars are compared with cmp: the JSON must be the same bytes. Make the logs first with
# `java -cp bench/target/benchmarks.jar org.tollgate.bench.MixedLogGenerator 5000000 bench/results/mixed-5m.log`
# (and 1000000 for mixed-1m.log). User CPU is less disturbed than wall time by other work on the machine.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=3; only=
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift ;;
        --only) only="$2"; shift ;;
        -*) echo "check-json-all-ab.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
[ $# -eq 2 ] || { echo "usage: bench/check-json-all-ab.sh [--runs N] [--only security|all] BEFORE.jar AFTER.jar" >&2; exit 2; }
jars=("$1" "$2")
results=bench/results
out="$results/check-json-all-ab-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
for log in "$results/mixed-5m.log" "$results/mixed-1m.log"; do
    [ -r "$log" ] || { echo "check-json-all-ab.sh: $log is missing (see the comment at the top)" >&2; exit 2; }
done

c1="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
c2="-XX:+UseSerialGC"
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cases=()
[ "$only" = all ] || cases+=("security c1" "security c2")
[ "$only" = security ] || cases+=("all c1" "all c2")

for round in $(seq 1 "$runs"); do
    for case in "${cases[@]}"; do
        read -r what jit <<< "$case"
        if [ "$what" = security ]; then args=(check --json --zone UTC "$results/mixed-5m.log"); else
            args=(check --json --all --zone UTC "$results/mixed-1m.log"); fi
        flags=$c1; [ "$jit" = c2 ] && flags=$c2
        for side in 0 1; do
            name=$([ $side = 0 ] && echo before || echo after)
            target=/dev/null
            [ "$round" = 1 ] && target="$out/$what-$jit-$name.jsonl"
            # shellcheck disable=SC2086
            /usr/bin/time -f '%e %U' -o "$out/time" taskset -c 0 java -Xmx512m $flags -jar "${jars[$side]}" "${args[@]}" \
                2>/dev/null | cat > "$target"
            read -r wall user < "$out/time"
            echo "$what $jit $name $wall $user" >> "$out/runs.txt"
            printf '%-8s %-2s %-6s round %d: %6.2f s wall %6.2f s user  (load %s)\n' "$what" "$jit" "$name" "$round" \
                "$wall" "$user" "$(cut -d' ' -f1-3 /proc/loadavg)"
        done
        if [ "$round" = 1 ]; then
            if cmp -s "$out/$what-$jit-before.jsonl" "$out/$what-$jit-after.jsonl"; then
                echo "         $what $jit: the two outputs are the same bytes ($(wc -c < "$out/$what-$jit-after.jsonl") bytes)"
            else
                echo "         $what $jit: THE OUTPUTS DIFFER: cmp $out/$what-$jit-before.jsonl $out/$what-$jit-after.jsonl"
            fi
            rm -f "$out/$what-$jit-before.jsonl" "$out/$what-$jit-after.jsonl"
        fi
    done
done

echo
printf '%-22s %14s %14s %14s %14s %10s\n' case "before wall" "after wall" "before user" "after user" "user a/b"
for case in "${cases[@]}"; do
    read -r what jit <<< "$case"
    bw=$(awk -v w="$what" -v j="$jit" '$1 == w && $2 == j && $3 == "before" { print $4 }' "$out/runs.txt" | median)
    aw=$(awk -v w="$what" -v j="$jit" '$1 == w && $2 == j && $3 == "after" { print $4 }' "$out/runs.txt" | median)
    bu=$(awk -v w="$what" -v j="$jit" '$1 == w && $2 == j && $3 == "before" { print $5 }' "$out/runs.txt" | median)
    au=$(awk -v w="$what" -v j="$jit" '$1 == w && $2 == j && $3 == "after" { print $5 }' "$out/runs.txt" | median)
    printf '%-22s %12s s %12s s %12s s %12s s %10s\n' "$what $jit" "$bw" "$aw" "$bu" "$au" \
        "$(awk -v a="$au" -v b="$bu" 'BEGIN { printf "%.2f", a / b }')"
done
echo "runs: $out/runs.txt"
