#!/usr/bin/env bash
# Peak memory of `tollgate run` when a burst of failures from new addresses arrives: N PJSIP failure lines (default
# 1,000,000), each from an address not seen before (2001:db8::/32), all read at once by `tollgate run --once`
# started through the launcher (its JVM options, then TOLLGATE_JAVA_OPTS), dry run (the log action bans nothing
# here: one failure per address). Prints the peak resident set size from /usr/bin/time -v, the run's wall time and
# the service's own figures.
#
#   bench/burst-rss.sh [addresses]                        the launcher's defaults (-Xmx512m)
#   TOLLGATE_JAVA_OPTS=-Xmx6028m bench/burst-rss.sh       as with no limit on a 24 GB machine: the JVM's own default,
#                                                        a quarter of RAM (java -XX:+PrintFlagsFinal | grep MaxHeapSize)
#
# Writes under target/burst-rss/. Needs a JDK 17+ and GNU time (Debian: package time). Touches no firewall.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
addresses="${1:-1000000}"
out="$root/target/burst-rss"
mkdir -p "$out"
rm -f "$out"/state.db* "$out/events.jsonl" "$out/run.err"

if [ ! -x /usr/bin/time ]; then
    echo "burst-rss: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
    exit 1
fi

# Stamped now, in UTC: none is too old for the jail's findtime.
stamp="$(date -u '+%Y-%m-%d %H:%M:%S')"
awk -v n="$addresses" -v stamp="$stamp" 'BEGIN {
    for (i = 0; i < n; i++) {
        printf "[%s.000] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request '\''REGISTER'\'' from '\''<sip:100@203.0.113.5>'\'' failed for '\''[2001:db8:%x:%x::1]:5060'\'' (callid: b%d) - Failed to authenticate\n", stamp, int(i / 65536), i % 65536, i
    }
}' > "$out/full"

cat > "$out/tollgate.yaml" <<EOF
sources:
  - type: file
    path: $out/full
    zone: UTC
    start: beginning
state:
  path: $out/state.db
outputs:
  - type: jsonl
    path: $out/events.jsonl
jails:
  sip-auth:
    maxretry: 5
    findtime: 10m
    bantime: 1h
    ignoreself: false
    actions:
      - type: log
EOF

echo "burst-rss: $addresses failure lines, each from a new address; JVM options: the launcher's for run --once (-Xmx512m -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ${TOLLGATE_JAVA_OPTS:-}"
"$root/tollgate" --version > /dev/null # builds the jar first when it is missing or stale, outside the measurement
/usr/bin/time -v -o "$out/time.txt" "$root/tollgate" run --once --config "$out/tollgate.yaml" > /dev/null 2> "$out/run.err"
peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\) time/ { print $2 }' "$out/time.txt")
echo "peak RSS: $((peak_kb / 1024)) MiB; wall time: $wall"
grep -E "lines read|tollgate run:" "$out/run.err" | tail -n 2 || true
echo "events written: $(wc -l < "$out/events.jsonl")"
