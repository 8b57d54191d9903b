#!/usr/bin/env bash
# `tollgate check --json` (security events only; with --all every line) of two or more builds side by side, pinned
# to one core, alternating A B A B, under the launcher's JVM flags (first compiler only, serial collector) and with
# full tiered compilation:
#
#   bench/check-ab.sh [--runs N] [--all] [--log FILE] [--jit c1|c2|both] [--core N] BEFORE.jar NOW.jar [MORE.jar...]
#
#   A jar named as JAR:cds runs with a class-data sharing archive made for it first, as ./tollgate makes one (a check of
#   samples/asterisk-full.log with -XX:ArchiveClassesAtExit); the same jar may be named with and without. The start
#   alone: --log an empty file (e.g. `: > /tmp/empty.log; bench/check-ab.sh --log /tmp/empty.log A.jar B.jar B.jar:cds`).
#
#   --runs N   rounds (default 5); each round runs every jar once, in the order given
#   --all      `check --json --all` (every line to JSON) instead, over bench/results/mixed-1m.log unless --log
#   --log F    the input (default bench/results/mixed-5m.log; write one with
#              `java -cp bench/target/benchmarks.jar org.tollgate.bench.MixedLogGenerator 5000000 F`)
#   --jit      c1: `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m`, as ./tollgate runs check; c2: `-XX:+UseSerialGC`
#              alone; both (default)
#   --core N   the core to pin to (default 0); --core any: not pinned, both cores, as ./tollgate check runs
#
# Prints each run's wall and user CPU seconds (GNU time), the medians per jar and setting, and lines/s from the wall
# median. Every jar must give the same output: the JSON events and the summary (but its lines/s) are compared with the
# first jar's, and a difference stops the script. The JVM's start is included, as users run it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5; log=; all=; jit=both; core=0; jars=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --log) log="$2"; shift 2 ;;
        --all) all=--all; shift ;;
        --jit) jit="$2"; shift 2 ;;
        --core) core="$2"; shift 2 ;;
        -*) echo "check-ab.sh: unknown option $1" >&2; exit 2 ;;
        *) jars+=("$1"); shift ;;
    esac
done
[ -n "$log" ] || log="$root/bench/results/mixed-$([ -n "$all" ] && echo 1m || echo 5m).log"
[ ${#jars[@]} -ge 1 ] || { echo "usage: bench/check-ab.sh [--runs N] [--all] [--log FILE] [--jit c1|c2|both] A.jar B.jar..." >&2; exit 2; }
[ -r "$log" ] || { echo "check-ab.sh: $log is missing" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "check-ab.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
case "$jit" in
    c1) settings=(c1) ;; c2) settings=(c2) ;; both) settings=(c1 c2) ;;
    *) echo "check-ab.sh: --jit takes c1, c2 or both" >&2; exit 2 ;;
esac
if [ "$core" = any ]; then pin=; else pin="taskset -c $core"; fi
lines=$(wc -l < "$log")
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# Class-data sharing archives for the jars named JAR:cds, made as ./tollgate makes its own.
cdsflags=()
for j in "${!jars[@]}"; do
    cdsflags[$j]=
    case "${jars[$j]}" in
        *:cds)
            jars[$j]="${jars[$j]%:cds}"
            java -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$out/$j.jsa" -Xlog:cds=off \
                -Xlog:cds+dynamic=off -jar "${jars[$j]}" check --json --zone UTC "$root/samples/asterisk-full.log" \
                >/dev/null 2>&1 && [ -s "$out/$j.jsa" ] \
                || { echo "check-ab.sh: no class-data sharing archive for ${jars[$j]}" >&2; exit 2; }
            cdsflags[$j]="-XX:SharedArchiveFile=$out/$j.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    esac
done
label() { echo "${jars[$1]}${cdsflags[$1]:+:cds}"; }

flags() { if [ "$1" = c1 ]; then echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m"; else echo "-XX:+UseSerialGC"; fi; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== $(basename "$log"): $lines lines; core $core; $runs rounds; $(java -version 2>&1 | head -n 1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for setting in "${settings[@]}"; do
    for round in $(seq "$runs"); do
        for j in "${!jars[@]}"; do
            jar="${jars[$j]}"
            # shellcheck disable=SC2046,SC2086
            /usr/bin/time -o "$out/time" -f '%e %U' $pin \
                java -Xmx512m -XX:+ExitOnOutOfMemoryError $(flags "$setting") ${cdsflags[$j]} -jar "$jar" check --json $all --zone UTC "$log" \
                2> "$out/err" | cat > "$out/events"
            read -r wall user < "$out/time"
            echo "$wall $user" >> "$out/$setting-$j"
            sum="$(md5sum < "$out/events" | cut -d' ' -f1) $(grep -v 'lines/s)' "$out/err" | md5sum | cut -d' ' -f1)"
            if [ "$j" = 0 ] && [ "$round" = 1 ] && [ "$setting" = "${settings[0]}" ]; then
                echo "$sum" > "$out/expected"
            elif [ "$sum" != "$(cat "$out/expected")" ]; then
                echo "check-ab.sh: $(label "$j") gives other output than $(label 0) (events, summary)" >&2
                exit 1
            fi
            printf '   %s round %d %-44s wall %6.2f s  user %6.2f s  (load %s)\n' "$setting" "$round" "$(label "$j")" "$wall" "$user" \
                "$(cut -d' ' -f1 /proc/loadavg)"
        done
    done
done
echo
printf '%-4s %-44s %10s %10s %12s\n' jit jar "wall (med)" "user (med)" "lines/s"
for setting in "${settings[@]}"; do
    for j in "${!jars[@]}"; do
        wall=$(cut -d' ' -f1 "$out/$setting-$j" | median)
        user=$(cut -d' ' -f2 "$out/$setting-$j" | median)
        printf '%-4s %-44s %10s %10s %12s\n' "$setting" "$(label "$j")" "$wall" "$user" \
            "$(awk -v n="$lines" -v s="$wall" 'BEGIN { printf "%.0f", n / s }')"
    done
done
echo "same events and summary from every jar; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
