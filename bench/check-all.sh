#!/usr/bin/env bash
# `tollgate check --json --all FILE | cat` (every line to JSON, into a pipe) for several jars side by side, alternating
# A B A B, both as the launcher runs it (the first compiler only, serial GC, a 32 MB young generation) and with full tiered compilation, against
# liblognorm's lognormalizer on the same file when it is installed:
#
#   bench/check-all.sh [--runs N] [--log FILE] JAR...
#
#   --runs N   rounds (default 3); each round runs every jar once in each mode, then lognormalizer
#   --log F    the log (default bench/results/mixed-1m.log; bench/whole-process.sh makes it)
#   JAR...     tollgate.jar files (default server/target/tollgate.jar); e.g. a copy of main's jar and yours
#
# Per run: wall seconds, user and system CPU seconds (/usr/bin/time), the load average; then the median of each per
# jar and mode, and the wall ratio lognormalizer / jar. On a shared machine compare CPU seconds and ratios from one
# run; wall seconds move with the load. The outputs are not kept (bench/whole-process.sh and `cmp` for the bytes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
log="$root/bench/results/mixed-1m.log"
jars=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --log) log="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "check-all.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) jars+=("$1"); shift ;;
    esac
done
[ ${#jars[@]} -gt 0 ] || jars=("$root/server/target/tollgate.jar")
[ -r "$log" ] || { echo "check-all.sh: no log $log (see --help)" >&2; exit 2; }
rulebase="$root/bench/lognormalizer/asterisk.rulebase"
have_lognorm=0
command -v lognormalizer >/dev/null 2>&1 && have_lognorm=1 \
    || echo "check-all.sh: lognormalizer not installed (Debian: liblognorm-utils): its runs skipped" >&2

times=$(mktemp)
timing=$(mktemp)
trap 'rm -f "$times" "$timing"' EXIT
echo "== $(nproc) cores, $(java -version 2>&1 | head -n 1), $(wc -l < "$log") lines, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One run of "$@" into a pipe; appends "label wall user sys" to $times.
run() {
    local label="$1"
    shift
    /usr/bin/time -o "$timing" -f '%e %U %S' "$@" 2>/dev/null | cat > /dev/null
    echo "$label $(cat "$timing")" >> "$times"
    printf '   %-48s %s s wall, %s s user, %s s sys  (load %s)\n' "$label" $(cat "$timing") "$(cut -d' ' -f1 /proc/loadavg)"
}

for round in $(seq 1 "$runs"); do
    for mode in launcher tiered; do
        for jar in "${jars[@]}"; do
            flags="-XX:+UseSerialGC"
            [ "$mode" = launcher ] && flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m"
            # shellcheck disable=SC2086
            run "$mode ${jar}" java -Xmx512m -XX:+ExitOnOutOfMemoryError $flags -jar "$jar" \
                check --json --all --zone UTC "$log"
        done
    done
    if [ "$have_lognorm" = 1 ]; then
        run lognormalizer sh -c 'lognormalizer -r "$1" -e json < "$2"' sh "$rulebase" "$log"
    fi
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v label="$1" -v c="$2" '{ l = $1; for (i = 2; i <= NF - 3; i++) l = l " " $i } l == label { print $(NF - 3 + c) }' "$times" | median; }
echo "== medians (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
anchor=""
[ "$have_lognorm" = 1 ] && anchor=$(column lognormalizer 1)
for mode in launcher tiered; do
    for jar in "${jars[@]}"; do
        wall=$(column "$mode $jar" 1)
        ratio="-"
        [ -n "$anchor" ] && ratio=$(awk -v a="$anchor" -v b="$wall" 'BEGIN { printf "%.2fx", a / b }')
        printf '   %-60s wall %6s s  user %6s s  lognormalizer / this %s\n' "$mode $jar" "$wall" \
            "$(column "$mode $jar" 2)" "$ratio"
    done
done
[ -z "$anchor" ] || printf '   %-60s wall %6s s  user %6s s\n' lognormalizer "$anchor" "$(column lognormalizer 2)"
