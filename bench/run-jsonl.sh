#!/usr/bin/env bash
# `tollgate run --once` from a file to a JSON-lines output (events: all), jars side by side, alternating A B A B.
#
#   sudo bench/run-jsonl.sh [--runs N] [--log FILE] [--opts FLAGS]... [--compare] JAR...
#
#   --runs N   rounds; each round runs every jar once, in the order given (default 3)
#   --opts F   JVM flags for a variant of its own, e.g. --opts '' --opts '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC':
#              each round runs every jar with each variant's flags (jar by jar, variant by variant); default one
#              variant without flags (the JVM's defaults, as `tollgate run` runs)
#   --log F    the log to read (default bench/results/mixed-1m.log; make one with
#              `java -cp bench/target/benchmarks.jar org.tollgate.bench.MixedLogGenerator 1000000 F`)
#   --compare  compare the JSON lines of each run of the first round with the first run's, byte for byte but for
#              event.ingested (the time each line was read): the same events from every jar and flag
#   JAR...     tollgate.jar files to compare (default server/target/tollgate.jar); e.g. a copy of main's jar and yours
#
# The configuration is side-by-side.sh's throughput part: one file source, a jsonl output with every event, the
# sip-auth jail with an ipset action (in a network namespace made here). Per run it prints the JSON lines written,
# the end-to-end rate (from "following the log file" to the last write), the sustained rate after the first third
# of the output (by size), the process's CPU seconds (user + system, JVM start included), its wall seconds (start to
# exit) and how long after the file's last growth it ended (`run --once` deciding it is done), then the median of each
# per jar; under each run, the CPU seconds by thread: the JIT compilers (C2, C1), the file follower (read, normalize,
# hand on), the jsonl writer (JSON, write(2); of which system time, mostly the page cache taking the JSON), the event
# loops, the collector and VM thread, main (start-up).
# TOLLGATE_JAVA_OPTS is passed on to every run (e.g. a JFR recording).
# Needs root (the namespace). Never touches this machine's firewall.
set -euo pipefail

runs=3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$root/bench/results/mixed-1m.log"
jars=()
variants=()
compare=false
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --log) log="$2"; shift 2 ;;
        --opts) variants+=("$2"); shift 2 ;;
        --compare) compare=true; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run-jsonl.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) jars+=("$1"); shift ;;
    esac
done
[ ${#jars[@]} -gt 0 ] || jars=("$root/server/target/tollgate.jar")
[ ${#variants[@]} -gt 0 ] || variants=("")
[ -r "$log" ] || { echo "run-jsonl.sh: no log $log (see --help)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run-jsonl.sh: needs root (a network namespace for the ipset action)" >&2; exit 2; }

out="$root/bench/results/run-jsonl-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
ns="tg-jsonl-$(printf '%04x' $$)"
run_pid=""
cleanup() {
    set +e
    # The java process is the child of /usr/bin/time.
    [ -n "$run_pid" ] && { pkill -TERM -P "$run_pid"; kill -TERM "$run_pid"; wait "$run_pid"; } 2>/dev/null
    [ -e "/run/netns/$ns" ] && ip netns del "$ns"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
log_lines=$(wc -l < "$log")
# shellcheck source=bench/throughput-config.sh
. "$root/bench/throughput-config.sh"
echo "== $(nproc) cores, $(java -version 2>&1 | head -n 1), $log_lines lines, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== results in $out"

# The CPU seconds of the threads in the samples of /proc/PID/task/*/stat in $1 (each thread's last), by kind.
thread_cpu() {
    [ -s "$1" ] || { echo "-"; return; }
    awk -v hz="$(getconf CLK_TCK)" '{
            i = index($0, "("); j = index($0, ") "); name = substr($0, i + 1, j - i - 1)
            split(substr($0, j + 2), f, " "); t = f[12] + f[13]
            if (t >= cpu[$1]) { cpu[$1] = t; sys[$1] = f[13] }; kind[$1] = name
        }
        END {
            for (tid in kind) {
                n = kind[tid]
                k = n ~ /^C2 / ? "C2" : n ~ /^C1 / ? "C1" : n ~ /^tollgate-file/ ? "file" \
                    : n ~ /^tollgate-output/ ? "output" : n ~ /^vert\.x-eventloo/ ? "event-loops" \
                    : n ~ /^GC |^G1 |^VM Thread/ ? "GC+VM" : n == "java" ? "main" : "other"
                sum[k] += cpu[tid]; sy[k] += sys[tid]
            }
            split("C2 C1 file output event-loops GC+VM main other", order, " ")
            for (o = 1; o <= 8; o++) {
                printf "%s %.2f", order[o], sum[order[o]] / hz
                printf order[o] == "output" ? " (system %.2f)  " : "  ", sy[order[o]] / hz
            }
        }' "$1"
}

# One run of jar $1 with the JVM flags $3 as run $2; appends "jar#variant end-to-end sustained CPU" to $out/rates.txt
# (the variant's index is $4).
run() {
    local jar="$1" name="$2" opts="$3" variant="$4"
    local dir="$out/$name"
    mkdir -p "$dir/output"
    throughput_config "$log" "$dir/tollgate.db" "$dir/output/events-all.jsonl" tollgate-jsonl > "$dir/tollgate.yaml"
    local events_file="$dir/output/events-all.jsonl"
    # shellcheck disable=SC2086
    ip netns exec "$ns" env TOLLGATE_LOG_FORMAT=JSON /usr/bin/time -o "$dir/time.txt" -f '%e %U %S' \
        java -Xmx512m $opts ${TOLLGATE_JAVA_OPTS:-} -jar "$jar" run --once \
        --config "$dir/tollgate.yaml" > /dev/null 2> "$dir/tollgate.log" &
    run_pid=$!
    local java_pid=""
    while kill -0 "$run_pid" 2>/dev/null; do
        [ -f "$events_file" ] && echo "$(date +%s.%N) $(stat -c %s "$events_file")"
        # Each thread's CPU so far, kept until the end (a thread that ends takes its figures with it).
        [ -n "$java_pid" ] || java_pid=$(pgrep -P "$run_pid" java || true)
        [ -z "$java_pid" ] || cat /proc/"$java_pid"/task/*/stat >> "$dir/threads.txt" 2>/dev/null || true
        sleep 0.05
    done > "$dir/sizes.txt"
    wait "$run_pid" || true
    run_pid=""
    local began events end total seconds rate sustained
    began=$(grep -o '"@timestamp":"[^"]*"[^}]*"message":"following the log file"' "$dir/tollgate.log" \
        | head -n 1 | cut -d'"' -f4)
    [ -n "$began" ] || { echo "run-jsonl.sh: no 'following the log file' in $dir/tollgate.log" >&2; exit 1; }
    events=$(wc -l < "$events_file")
    end=$(stat -c %.9Y "$events_file")
    total=$(stat -c %s "$events_file")
    seconds=$(awk -v a="$(date -d "$began" +%s.%N)" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    rate=$(awk -v n="$events" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    sustained=$(awk -v n="$events" -v end="$end" -v total="$total" '
        $2 >= total / 3 && t0 == "" { t0 = $1; b0 = $2 }
        END { if (t0 == "" || end <= t0) print "-"; else printf "%.0f", n * (1 - b0 / total) / (end - t0) }' \
        "$dir/sizes.txt")
    local cpu wall after
    cpu=$(awk '{ printf "%.1f", $2 + $3 }' "$dir/time.txt")
    wall=$(cut -d' ' -f1 "$dir/time.txt")
    # From the last growth of the file (sampled every 50 ms) to the process's exit (time.txt is written then).
    after=$(awk -v ended="$(stat -c %.9Y "$dir/time.txt")" '$2 != size { size = $2; t = $1 }
        END { printf "%.2f", ended - t }' "$dir/sizes.txt")
    printf '   %-40s %9d lines %7.3f s  %8d lines/s  sustained %8s lines/s  CPU %6s s  process %6s s, ended %s s after the last write  (load %s)\n' \
        "$name ${jar##*/}${opts:+ $opts}" "$events" "$seconds" "$rate" "$sustained" "$cpu" "$wall" "$after" \
        "$(cut -d' ' -f1 /proc/loadavg)"
    printf '      CPU by thread (user+system s): %s\n' "$(thread_cpu "$dir/threads.txt")"
    [ "$events" -ge "$log_lines" ] || echo "   WARNING: $log_lines lines in, $events JSON lines out" >&2
    echo "$jar#$variant $rate $sustained $cpu $wall" >> "$out/rates.txt"
    rm -f "$dir/threads.txt"
    if $compare && [ "${name#r1-}" != "$name" ] && [ -z "$reference" ]; then
        reference="$events_file"
    elif $compare && [ "${name#r1-}" != "$name" ]; then
        # Compared at once and removed: a gigabyte of JSON kept per run would weigh on the next runs' writes.
        if cmp -s <(sed 's/"ingested":"[^"]*"//' "$reference") <(sed 's/"ingested":"[^"]*"//' "$events_file"); then
            echo "      the same JSON lines as ${reference#"$out"/} (event.ingested left out)"
        else
            echo "      DIFFERENT JSON lines from ${reference#"$out"/} (event.ingested left out)" >&2
            status=1
        fi
        rm -f "$events_file"
    else
        rm -f "$events_file"
    fi
}

reference=""
for round in $(seq 1 "$runs"); do
    for i in "${!jars[@]}"; do
        for v in "${!variants[@]}"; do
            run "${jars[$i]}" "r$round-j$i${variants[$v]:+-o$v}" "${variants[$v]}" "$v"
        done
    done
done
echo "== medians"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for jar in "${jars[@]}"; do
    for v in "${!variants[@]}"; do
        key="$jar#$v"
        e=$(awk -v key="$key" '$1 == key { print $2 }' "$out/rates.txt" | median)
        s=$(awk -v key="$key" '$1 == key && $3 != "-" { print $3 }' "$out/rates.txt" | median)
        c=$(awk -v key="$key" '$1 == key { print $4 }' "$out/rates.txt" | median)
        w=$(awk -v key="$key" '$1 == key { print $5 }' "$out/rates.txt" | median)
        printf '   %-60s end to end %8s lines/s  sustained %8s lines/s  CPU %6s s  process %6s s\n' \
            "$jar${variants[$v]:+ ${variants[$v]}}" "$e" "$s" "$c" "$w"
    done
done
[ -z "$reference" ] || rm -f "$reference"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "${status:-0}"
