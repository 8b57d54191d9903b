#!/usr/bin/env bash
# Tollgate and stock fail2ban side by side, in one run, each in its own network namespace.
#
#   sudo bench/side-by-side.sh [--lines N] [--count N] [--rate R] [--no-build] [--keep] [--only P] [--warmup N]
#                              [--jar FILE] [--trace] [--no-fail2ban]
#
#   --lines N   lines of the generated log for the throughput part (default 2000000)
#   --count N   failure lines (= bans) for the latency part, at most 508 (default 200)
#   --rate R    failure lines per second for the latency part (default 10)
#   --no-build  use server/target/tollgate.jar and bench/target/benchmarks.jar as they are
#   --keep      keep the generated log and Tollgate's JSON lines of it (about 150 + 630 MB per million lines)
#   --only P    run one part: throughput or latency (default: both)
#   --warmup N  failure lines sent before the measured ones and not counted (default 10); 0 counts the first ban
#               after the daemon's start
#   --jar FILE  run this Tollgate jar instead of server/target/tollgate.jar (another build, for A/B runs)
#   --trace     record Tollgate's ban path in the latency part (a flight recording of its tollgate.BanPath events,
#               bench/ban-path.jfc) and print where each ban's milliseconds went (BanBreakdown)
#   --no-fail2ban  Tollgate alone (A/B runs of two Tollgate builds)
# TOLLGATE_JAVA_OPTS: more options for Tollgate's JVM in the latency part, e.g.
#   TOLLGATE_JAVA_OPTS='-Xlog:class+load:file=/tmp/classes.log:timenanos' (times in System.nanoTime(), as the TSV's)
#
# 1. Throughput, over the same generated log (MixedLogGenerator, fixed seed):
#    - Tollgate end to end: `tollgate run --once` reads the file, normalizes every line, puts every event on the
#      event bus, forwards every line as ECS JSON to a JSON-lines file (`events: all`) and runs the jails (ipset
#      action in its namespace). lines/s = JSON lines written / (moment of the last write to that file - moment
#      reading began, from the service's own JSON log). The JSON lines must number as many as the log's lines.
#    - fail2ban: `fail2ban-regex <log> /etc/fail2ban/filter.d/asterisk.conf`, the stock filter alone (no banning,
#      no forwarding), wall clock including Python's start. fail2ban-server is not timed on this log: its lines are
#      months old, and a server skips lines older than findtime.
# 2. Ban latency, from a failure line written to the attacker's address being in the daemon's ipset:
#    BanLatency (bench/src/main/java/org/tollgate/bench/BanLatency.java) runs in the daemon's namespace, appends
#    --count PJSIP "Failed to authenticate" lines at --rate lines/s, each from a new address (maxretry 1: one ban
#    each), after 10 warm-up lines, and watches the set with bench/set-watch.py (netlink questions every 200 us while
#    an address waits).
#    - Tollgate: `tollgate run` with an ipset action (set tollgate-bench), forwarding security events to JSON lines.
#    - fail2ban: `fail2ban-server -xf -c <confdir> -s <socket> -p <pidfile>` with its own copy of /etc/fail2ban,
#      the stock [asterisk] jail and filter, maxretry 1, one iptables-ipset-proto6 action (set f2b-asterisk, started
#      with the jail), backend pyinotify when python3-pyinotify is installed (polling otherwise), database in memory.
# Prints a table with both and the ratios; everything (logs, configs, per-line TSVs) stays in
# bench/results/side-by-side-<time>/. Needs root (namespaces, firewalls). Installs nothing: it says what is missing.
# Never touches this machine's firewall: every daemon and every firewall command runs inside a namespace created
# here and deleted on exit.
set -euo pipefail

lines=2000000
count=200
rate=10
warmup=10
build=1
keep=0
only=both
tollgate_jar=""
trace=0
fail2ban=1
while [ $# -gt 0 ]; do
    case "$1" in
        --lines) lines="$2"; shift 2 ;;
        --count) count="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --keep) keep=1; shift ;;
        --only) only="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --jar) tollgate_jar="$2"; shift 2 ;;
        --trace) trace=1; shift ;;
        --no-fail2ban) fail2ban=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "side-by-side.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$only" in
    both|throughput|latency) ;;
    *) echo "side-by-side.sh: --only takes throughput or latency, not '$only'" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# ---- what is needed ----------------------------------------------------------------------------------------------
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need ip iproute2
need ipset ipset
need iptables iptables
need java openjdk-17-jre-headless
need fail2ban-server fail2ban
need fail2ban-client fail2ban
need fail2ban-regex fail2ban
for file in /etc/fail2ban/filter.d/asterisk.conf /etc/fail2ban/action.d/iptables-ipset-proto6.conf \
            /etc/fail2ban/jail.conf; do
    [ -r "$file" ] || missing+=("$file (fail2ban)")
done
if [ "$(id -u)" != 0 ]; then
    echo "side-by-side.sh: needs root (network namespaces and their firewalls)" >&2
    exit 2
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "side-by-side.sh: missing, nothing was run:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "On Debian/Ubuntu: apt-get install -y iproute2 ipset iptables fail2ban python3-pyinotify openjdk-17-jre-headless" >&2
    exit 2
fi
# fail2ban's own interpreter (its shebang), which need not be the python3 first on the PATH.
f2b_python="$(head -n 1 "$(command -v fail2ban-server)" | sed -n 's/^#! *//p' | cut -d' ' -f1)"
if "${f2b_python:-python3}" -c 'import pyinotify' 2>/dev/null; then
    f2b_backend=pyinotify
else
    f2b_backend=polling
    echo "note: python3-pyinotify is not installed; fail2ban runs with backend = polling (slower to notice lines)" >&2
fi
if [ "$count" -lt 1 ] || [ "$count" -gt 508 ]; then
    echo "side-by-side.sh: --count must be 1 to 508 (one new address per line), was $count" >&2
    exit 2
fi

if [ "$build" = 1 ]; then
    echo "== build"
    ./mvnw -q -pl server,bench -am package -Dmaven.test.skip=true
fi
jar="${tollgate_jar:-$root/server/target/tollgate.jar}"
bench_jar="$root/bench/target/benchmarks.jar"
for file in "$jar" "$bench_jar"; do
    [ -r "$file" ] || { echo "side-by-side.sh: $file is missing (run without --no-build)" >&2; exit 2; }
done

out="$root/bench/results/side-by-side-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
id="$(printf '%04x' $$)"
ns_tollgate="tg-bench-$id-t"
ns_f2b="tg-bench-$id-f"
pids=()

cleanup() {
    set +e
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    for ns in "$ns_tollgate" "$ns_f2b"; do
        [ -e "/run/netns/$ns" ] && ip netns del "$ns"
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$ns_tollgate" "$ns_f2b"; do
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
done

# Waits up to $2 seconds for the command in $3... to succeed.
wait_for() {
    local what="$1" seconds="$2"
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then
            echo "side-by-side.sh: $what did not happen within ${seconds}s" >&2
            return 1
        fi
        sleep 0.2
    done
}

stop_pid() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local kept=()
    for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    pids=("${kept[@]+"${kept[@]}"}")
}

java_version="$(java -version 2>&1 | head -n 1)"
f2b_version="$(fail2ban-server --version 2>&1 | head -n 1)"
echo "== $(nproc) cores, $java_version, $f2b_version, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== results in $out"

# ---- 1. throughput -----------------------------------------------------------------------------------------------
tollgate_rate=""; tollgate_sustained=""; f2b_rate=""
if [ "$only" != latency ]; then
log="$out/mixed.log"
echo "== generate $lines lines"
java -cp "$bench_jar" org.tollgate.bench.MixedLogGenerator "$lines" "$log" | tee "$out/generator.txt"
log_lines=$(wc -l < "$log")

# The events go to another directory than the log, as in production (/var/log/tollgate, /var/log/asterisk): the
# follower watches the log's directory, and its own output's writes would wake it for nothing.
mkdir -p "$out/tollgate-output"
# shellcheck source=bench/throughput-config.sh
. "$root/bench/throughput-config.sh"
throughput_config "$log" "$out/tollgate-throughput.db" "$out/tollgate-output/events-all.jsonl" tollgate-bench-tp \
    > "$out/tollgate-throughput.yaml"
echo "== Tollgate: tollgate run --once, every line forwarded"
events_file="$out/tollgate-output/events-all.jsonl"
ip netns exec "$ns_tollgate" env TOLLGATE_LOG_FORMAT=JSON java -Xmx512m -jar "$jar" run --once \
    --config "$out/tollgate-throughput.yaml" > /dev/null 2> "$out/tollgate-throughput.log" &
run_pid=$!
pids+=($run_pid)
# The size of the JSON lines every 50 ms, for the rate once the JIT has compiled the hot path.
while kill -0 "$run_pid" 2>/dev/null; do
    [ -f "$events_file" ] && echo "$(date +%s.%N) $(stat -c %s "$events_file")"
    sleep 0.05
done > "$out/tollgate-throughput-sizes.txt"
stop_pid "$run_pid"
grep '^tollgate run:' "$out/tollgate-throughput.log" || true
began=$(grep -o '"@timestamp":"[^"]*"[^}]*"message":"following the log file"' "$out/tollgate-throughput.log" \
    | head -n 1 | cut -d'"' -f4)
[ -n "$began" ] || { echo "side-by-side.sh: no 'following the log file' in $out/tollgate-throughput.log" >&2; exit 1; }
tollgate_events=$(wc -l < "$events_file")
tollgate_seconds=$(awk -v a="$(date -d "$began" +%s.%N)" -v b="$(stat -c %.9Y "$events_file")" \
    'BEGIN { printf "%.3f", b - a }')
tollgate_rate=$(awk -v n="$tollgate_events" -v s="$tollgate_seconds" 'BEGIN { printf "%.0f", n / s }')
echo "   $tollgate_events JSON lines in ${tollgate_seconds} s (reading began $began)"
# Sustained: from the moment the first third of the JSON lines (by size) was written to the last write. The first
# third carries the JVM's warm-up (class loading, JIT compiling on the same cores), which a service pays once.
tollgate_sustained=$(awk -v n="$tollgate_events" -v end="$(stat -c %.9Y "$events_file")" \
    -v total="$(stat -c %s "$events_file")" '
    $2 >= total / 3 && t0 == "" { t0 = $1; b0 = $2 }
    END { if (t0 == "" || end <= t0) print "-"; else printf "%.0f", n * (1 - b0 / total) / (end - t0) }' \
    "$out/tollgate-throughput-sizes.txt")
echo "   sustained, after the first third: $tollgate_sustained lines/s"
if [ "$tollgate_events" -lt "$log_lines" ]; then
    echo "   WARNING: $log_lines lines in, $tollgate_events JSON lines out: the output queue dropped events" >&2
elif [ "$tollgate_events" -gt "$log_lines" ]; then
    echo "   $((tollgate_events - log_lines)) JSON lines more than log lines: scanner signals (events made from lines)"
fi

if [ "$fail2ban" = 1 ]; then
echo "== fail2ban: fail2ban-regex, stock asterisk filter"
start=$(date +%s.%N)
fail2ban-regex "$log" /etc/fail2ban/filter.d/asterisk.conf > "$out/fail2ban-regex.txt" 2>&1
end=$(date +%s.%N)
f2b_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
f2b_rate=$(awk -v n="$log_lines" -v s="$f2b_seconds" 'BEGIN { printf "%.0f", n / s }')
grep -E '^Lines:' "$out/fail2ban-regex.txt" | sed 's/^/   /' || true
echo "   $log_lines lines in ${f2b_seconds} s"
fi
if [ "$keep" = 0 ]; then
    rm -f "$log" "$events_file"
fi

fi

# ---- 2. ban latency ----------------------------------------------------------------------------------------------
tollgate_result=""; f2b_result=""
if [ "$only" != throughput ]; then
# Runs BanLatency in namespace $1 against set $2 on log $3, labelled $4; prints its RESULT line.
drive() {
    ip netns exec "$1" java -cp "$bench_jar" org.tollgate.bench.BanLatency --log "$3" --set "$2" \
        --count "$count" --rate "$rate" --warmup "$warmup" --label "$4" --out "$out/$4-latency.tsv" --watcher "$root/bench/set-watch.py" | tee "$out/$4-latency.txt"
}

echo "== Tollgate: ban latency, $count bans at $rate lines/s"
tollgate_log="$out/latency-tollgate.log"
: > "$tollgate_log"
cat > "$out/tollgate-latency.yaml" <<EOF
sources:
  - type: file
    path: $tollgate_log
    start: end
state:
  path: $out/tollgate-latency.db
outputs:
  - type: jsonl
    path: $out/tollgate-output/events-security.jsonl
    events: security
jails:
  sip-auth:
    maxretry: 1
    findtime: 10m
    bantime: 1h
    actions:
      - type: ipset
        set: tollgate-bench
EOF
recording=()
if [ "$trace" = 1 ]; then
    recording=("-XX:StartFlightRecording=filename=$out/tollgate-ban-path.jfr,settings=$root/bench/ban-path.jfc")
fi
# shellcheck disable=SC2206 # options, split on spaces
extra_opts=(${TOLLGATE_JAVA_OPTS:-})
ip netns exec "$ns_tollgate" java -Xmx512m "${recording[@]+"${recording[@]}"}" "${extra_opts[@]+"${extra_opts[@]}"}" \
    -jar "$jar" run \
    --config "$out/tollgate-latency.yaml" > "$out/tollgate-latency.log" 2>&1 &
pids+=($!)
tollgate_pid=$!
wait_for "Tollgate's start" 90 grep -q 'following the log file' "$out/tollgate-latency.log"
wait_for "set tollgate-bench" 30 ip netns exec "$ns_tollgate" ipset list -n tollgate-bench
tollgate_result=$(drive "$ns_tollgate" tollgate-bench "$tollgate_log" tollgate | grep '^RESULT')
stop_pid "$tollgate_pid"
if [ "$trace" = 1 ]; then
    echo "== Tollgate: where the milliseconds went (flight recording of the ban path)"
    java -cp "$bench_jar" org.tollgate.bench.BanBreakdown "$out/tollgate-latency.tsv" "$out/tollgate-ban-path.jfr" \
        | tee "$out/tollgate-breakdown.txt"
fi

if [ "$fail2ban" = 1 ]; then
echo "== fail2ban: ban latency, $count bans at $rate lines/s (backend $f2b_backend)"
f2b_log="$out/latency-fail2ban.log"
: > "$f2b_log"
conf="$out/fail2ban"
cp -a /etc/fail2ban "$conf"
rm -f "$conf"/jail.d/* "$conf"/jail.local "$conf"/fail2ban.local "$conf"/fail2ban.d/*
cat > "$conf/fail2ban.local" <<EOF
[Definition]
loglevel = INFO
logtarget = $out/fail2ban-server.log
socket = $out/fail2ban.sock
pidfile = $out/fail2ban.pid
dbfile = :memory:
EOF
cat > "$conf/jail.local" <<EOF
[DEFAULT]
usedns = no

[asterisk]
enabled = true
backend = $f2b_backend
logpath = $f2b_log
maxretry = 1
findtime = 600
bantime = 3600
action = iptables-ipset-proto6[name=asterisk, port="5060,5061", protocol="udp", actionstart_on_demand=false]
EOF
ip netns exec "$ns_f2b" fail2ban-server -xf -c "$conf" -s "$out/fail2ban.sock" -p "$out/fail2ban.pid" \
    > "$out/fail2ban-server.out" 2>&1 &
pids+=($!)
f2b_pid=$!
wait_for "fail2ban's start" 60 fail2ban-client -c "$conf" -s "$out/fail2ban.sock" status asterisk
wait_for "set f2b-asterisk" 30 ip netns exec "$ns_f2b" ipset list -n f2b-asterisk
f2b_result=$(drive "$ns_f2b" f2b-asterisk "$f2b_log" fail2ban | grep '^RESULT')
stop_pid "$f2b_pid"
fi

fi

# ---- table -------------------------------------------------------------------------------------------------------
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.1fx", a / b }'; }
echo
echo "== side by side ($(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-44s %16s %16s %12s\n' "" "Tollgate" "fail2ban" "ratio"
if [ "$only" != latency ]; then
    printf '%-44s %16s %16s %12s\n' "lines/s (Tollgate end to end; f2b: filter)" "$tollgate_rate" "$f2b_rate" \
        "$(ratio "$tollgate_rate" "$f2b_rate")"
    printf '%-44s %16s %16s %12s\n' "lines/s sustained (after the first third)" "$tollgate_sustained" "$f2b_rate" \
        "$(ratio "$tollgate_sustained" "$f2b_rate")"
fi
if [ "$only" != throughput ]; then
    for metric in first median p90 p99 max; do
        t=$(field "$tollgate_result" "${metric}_ms")
        f=$(field "$f2b_result" "${metric}_ms")
        printf '%-44s %16s %16s %12s\n' "ban latency $metric (ms)" "$t" "$f" "$(ratio "$f" "$t")"
    done
    printf '%-44s %16s %16s\n' "bans seen / lines" "$(field "$tollgate_result" banned)/$count" \
        "$(field "$f2b_result" banned)/$count"
fi
echo "(lines/s ratio: Tollgate / fail2ban; latency ratios: fail2ban / Tollgate)"
echo "targets: Tollgate >= 200000 lines/s end to end with forwarding; ban latency median < 5 ms, p99 < 20 ms"
