#!/usr/bin/env bash
# Tollgate's normalizer against stock fail2ban-regex, on the same generated Asterisk log.
#
#   bench/normalizer.sh [extra JMH options]     e.g.  bench/normalizer.sh -prof gc
#
# 1. builds bench/target/benchmarks.jar;
# 2. writes the 1,000,000-line mixed log (90% noise, 10% security lines, fixed seed) to bench/results/;
# 3. runs the JMH NormalizerBenchmark (one thread, one fork), results in bench/results/normalizer.json;
# 4. if fail2ban-regex is installed (Debian: package fail2ban), times it with the stock asterisk filter on the
#    first 200,000 lines of the same log;
# 5. prints lines per second side by side.
# Installs nothing. Needs a JDK 17+ on the PATH; takes about three minutes on two cores.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results=bench/results
log="$results/mixed-1m.log"
log200k="$results/mixed-200k.log"
jmh_json="$results/normalizer.json"
f2b_filter=/etc/fail2ban/filter.d/asterisk.conf
mkdir -p "$results"

echo "== build"
./mvnw -q -pl bench -am package -DskipTests

echo "== generate $log"
java -cp bench/target/benchmarks.jar org.tollgate.bench.MixedLogGenerator 1000000 "$log"

echo "== JMH (java $(java -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/'), $(nproc) cores)"
java -jar bench/target/benchmarks.jar NormalizerBenchmark -rf json -rff "$jmh_json" "$@" | tee "$results/normalizer.txt"

# The score of one benchmark from the JMH JSON (pretty-printed, one key per line).
score() {
    awk -v want="NormalizerBenchmark.$1" '
        /"benchmark"/     { current = $0 }
        /"primaryMetric"/ { inside = (index(current, "\"org.tollgate.bench." want "\"") > 0) }
        inside && /"score" :/ { gsub(/[ ,]/, "", $3); printf "%.0f", $3; exit }
    ' "$jmh_json"
}

security=$(score securityPath)
to_json=$(score everyLineToJson)
from_bytes=$(score bytesToEvents)

f2b_rate=""
if command -v fail2ban-regex >/dev/null 2>&1 && [ -r "$f2b_filter" ]; then
    echo "== fail2ban-regex $(fail2ban-regex --version 2>&1 | head -n 1 | awk '{print $NF}') on 200,000 lines"
    head -n 200000 "$log" > "$log200k"
    start=$(date +%s.%N)
    fail2ban-regex "$log200k" "$f2b_filter" > "$results/fail2ban-regex.txt" 2>&1
    end=$(date +%s.%N)
    f2b_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    f2b_rate=$(awk -v s="$f2b_seconds" 'BEGIN { printf "%.0f", 200000 / s }')
    grep -E '^Lines:' "$results/fail2ban-regex.txt" || true
    echo "wall clock ${f2b_seconds} s (full output: $results/fail2ban-regex.txt)"
else
    echo "== fail2ban-regex not installed (Debian/Ubuntu: apt-get install fail2ban): comparison skipped"
fi

echo
echo "== lines per second, one core"
printf '%-42s %14s %10s\n' "path" "lines/s" "vs f2b"
row() {
    local ratio="-"
    if [ -n "$f2b_rate" ] && [ -n "$2" ]; then
        ratio=$(awk -v a="$2" -v b="$f2b_rate" 'BEGIN { printf "%.0fx", a / b }')
    fi
    printf '%-42s %14s %10s\n' "$1" "$(printf "%'d" "${2:-0}" 2>/dev/null || echo "$2")" "$ratio"
}
row "Tollgate security path (normalizeSecurity)" "$security"
row "Tollgate every line to ECS JSON" "$to_json"
row "Tollgate bytes -> LineSplitter -> events" "$from_bytes"
if [ -n "$f2b_rate" ]; then
    row "fail2ban-regex, stock asterisk filter" "$f2b_rate"
fi
echo "JMH results: $jmh_json"
