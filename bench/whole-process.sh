#!/usr/bin/env bash
# Whole processes, the way users run them (the ./tollgate launcher), side by side in one run (A B A B alternation, the median of --runs):
#
#   1. `tollgate check --json --all` of the 1,000,000-line mixed log into a pipe, against liblognorm's
#      `lognormalizer` (Debian package liblognorm-utils) with bench/lognormalizer/asterisk.rulebase on the same file;
#   2. `tollgate check --json` over 5,000,000 lines on one core (`taskset -c 0`), JVM start included;
#   3. `tollgate check --json` over the 1,000,000 lines, JVM start included, against stock `fail2ban-regex` with
#      fail2ban's asterisk filter (Debian package fail2ban);
#   4. the start alone: `tollgate check --json` of an empty file (the launcher's stale-jar check, the JVM, the
#      command line, the summary), with the launcher's class-data sharing archive and without (TOLLGATE_CDS=off).
#
#   bench/whole-process.sh [--no-build] [--runs N] [--only 1|2|3|4]
#
# Wall clock per process (date +%s.%N around it); lines/s = the log's lines / seconds. The script installs nothing:
# a missing anchor is named and its part skipped. Logs and outputs go to bench/results/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build=1; runs=3; only=
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --runs) runs="$2"; shift ;;
        --only) only="$2"; shift ;;
        *) echo "whole-process.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
skip1=0; skip5m=0; skipf2b=0; skipstart=0
case "$only" in
    "") ;;
    1) skip5m=1; skipf2b=1; skipstart=1 ;;
    2) skip1=1; skipf2b=1; skipstart=1 ;;
    3) skip1=1; skip5m=1; skipstart=1 ;;
    4) skip1=1; skip5m=1; skipf2b=1 ;;
    *) echo "whole-process.sh: --only takes 1, 2, 3 or 4" >&2; exit 2 ;;
esac

results=bench/results
mkdir -p "$results"
jar=server/target/tollgate.jar
bench_jar=bench/target/benchmarks.jar
rulebase=bench/lognormalizer/asterisk.rulebase
f2b_filter=/etc/fail2ban/filter.d/asterisk.conf
log1m="$results/mixed-1m.log"
log5m="$results/mixed-5m.log"

if [ "$build" = 1 ]; then
    echo "== build"
    ./mvnw -q -B -ntp -pl server,bench -am package -Dmaven.test.skip=true
fi
[ -r "$jar" ] || { echo "whole-process.sh: $jar is missing (run without --no-build)" >&2; exit 2; }
# The launcher makes its class-data sharing archive on its first run after a build: not in a timed run.
./tollgate --version > /dev/null

# Writes $2 lines to $1 unless it already holds them (same seed, same bytes).
generate() {
    if [ ! -f "$1" ] || [ "$(wc -l < "$1")" -ne "$2" ]; then
        [ -r "$bench_jar" ] || { echo "whole-process.sh: $bench_jar is missing (run without --no-build)" >&2; exit 2; }
        java -cp "$bench_jar" org.tollgate.bench.MixedLogGenerator "$2" "$1"
    fi
}
[ "$skip1" = 1 ] && [ "$skipf2b" = 1 ] || generate "$log1m" 1000000
[ "$skip5m" = 1 ] || generate "$log5m" 5000000
empty="$results/empty.log"
: > "$empty"

# Runs the command in "$@" once and prints its wall-clock seconds.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "" || b == 0) print "-"; else printf "%.1fx", b / a }'; }

tollgate_all() { ./tollgate check --json --all --zone UTC "$1" 2>/dev/null | cat > /dev/null; }
tollgate_security() { ./tollgate check --json --zone UTC "$1" 2>/dev/null | cat > /dev/null; }
tollgate_security_core0() { taskset -c 0 ./tollgate check --json --zone UTC "$1" 2>/dev/null | cat > /dev/null; }
lognorm_all() { lognormalizer -r "$rulebase" -e json < "$1" 2>/dev/null | cat > /dev/null; }
tollgate_start() { ./tollgate check --json --zone UTC "$1" 2>/dev/null | cat > /dev/null; }
tollgate_start_no_cds() { TOLLGATE_CDS=off ./tollgate check --json --zone UTC "$1" 2>/dev/null | cat > /dev/null; }
f2b() { fail2ban-regex "$1" "$f2b_filter" > "$results/fail2ban-regex-1m.txt" 2>&1; }

echo "== $(nproc) cores, $(java -version 2>&1 | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
declare -A times
run_pair() { # label-a command-a label-b command-b file
    local i
    for i in $(seq "$runs"); do
        for side in a b; do
            if [ "$side" = a ]; then label="$1"; cmd="$2"; else label="$3"; cmd="$4"; fi
            [ -z "$cmd" ] && continue
            t=$(seconds "$cmd" "$5")
            times[$label]="${times[$label]:-} $t"
            echo "   run $i $label: $t s (load $(cut -d' ' -f1 /proc/loadavg))"
        done
    done
}

if [ "$skip1" = 0 ]; then
    echo "== 1. every line to JSON into a pipe, 1,000,000 lines: tollgate check --json --all | cat vs lognormalizer | cat"
    have_lognorm=""
    command -v lognormalizer >/dev/null 2>&1 && have_lognorm=lognorm_all \
        || echo "   lognormalizer not installed (Debian: apt-get install liblognorm-utils): its side skipped"
    run_pair tollgate-all tollgate_all lognormalizer "$have_lognorm" "$log1m"
fi

if [ "$skip5m" = 0 ]; then
    echo "== 2. security events, 5,000,000 lines, one core: taskset -c 0 tollgate check --json | cat"
    run_pair tollgate-5m-core0 tollgate_security_core0 "" "" "$log5m"
fi

if [ "$skipf2b" = 0 ]; then
    echo "== 3. security events, 1,000,000 lines, JVM start included: tollgate check --json vs fail2ban-regex"
    have_f2b=""
    command -v fail2ban-regex >/dev/null 2>&1 && [ -r "$f2b_filter" ] && have_f2b=f2b \
        || echo "   fail2ban-regex or $f2b_filter missing (Debian: apt-get install fail2ban): its side skipped"
    run_pair tollgate-1m tollgate_security fail2ban-regex "$have_f2b" "$log1m"
fi

if [ "$skipstart" = 0 ]; then
    echo "== 4. the start alone: tollgate check --json of an empty file, with the class-data sharing archive and without"
    run_pair start-no-cds tollgate_start_no_cds start-cds tollgate_start "$empty"
fi

row() { # label lines
    local m
    [ -n "${times[$1]:-}" ] || return 0
    m=$(echo "${times[$1]}" | median)
    printf '%-20s %10s %12s   %s\n' "$1" "$m" "$(rate "$2" "$m")" "${times[$1]}"
}
echo
echo "== medians (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-20s %10s %12s   %s\n' "process" "median s" "lines/s" "all runs (s)"
row tollgate-all 1000000
row lognormalizer 1000000
row tollgate-5m-core0 5000000
row tollgate-1m 1000000
row fail2ban-regex 1000000
row start-no-cds 0
row start-cds 0
med() { [ -n "${times[$1]:-}" ] && echo "${times[$1]}" | median || echo ""; }
echo "ratios (time of the anchor / time of Tollgate, medians):"
[ "$skip1" = 1 ] || echo "   check --json --all vs lognormalizer:  $(ratio "$(med tollgate-all)" "$(med lognormalizer)")   (target >= 2x)"
[ "$skip5m" = 1 ] || echo "   check --json, 5 M lines, one core:    $(rate 5000000 "$(med tollgate-5m-core0)") lines/s   (target >= 2,500,000)"
[ "$skipf2b" = 1 ] || echo "   check --json vs fail2ban-regex, 1 M:  $(ratio "$(med tollgate-1m)" "$(med fail2ban-regex)")   (target >= 30x)"
