#!/usr/bin/env bash
# Checks the fail2ban filters in this directory against their sample logs with fail2ban-regex.
#
#   bash filters/check.sh        # summary, plus details for each failure
#   bash filters/check.sh -v     # also fail2ban-regex's own report with every matched and missed line
#
# Each sample line is preceded by a fail2ban failJSON comment:
#   # failJSON: {"time": "2013-07-15T13:27:19", "match": true, "host": "192.0.2.10"}
#   # failJSON: {"match": false}
# A "match": true line passes when fail2ban-regex reports it, every failure it yields (all failregex
# lines are tried) names exactly "host", and, if "time" is given, the time matches (UTC; a year-less
# Asterisk date is compared without the year). A "match": false line passes when nothing matches it.
# A failregex that no sample line hits, a match on a line without failJSON and a sample line that
# appears twice are failures too. tests/asterisk.log is checked twice: as a log file and with
# logtype=journal (fail2ban's systemd backend). Exit status 0 only when everything passed.
#
# Needs fail2ban (Debian: apt-get install fail2ban) and python3. F2B_CONFDIR selects the fail2ban
# configuration that provides filter.d/common.conf (default /etc/fail2ban).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
verbose=0
[[ "${1:-}" == "-v" ]] && verbose=1

F2B_CONFDIR="${F2B_CONFDIR:-/etc/fail2ban}"
if ! command -v fail2ban-regex >/dev/null 2>&1; then
    echo "check.sh: fail2ban-regex not found (Debian/Ubuntu: apt-get install fail2ban)" >&2
    exit 2
fi
if [[ ! -f "$F2B_CONFDIR/filter.d/common.conf" ]]; then
    echo "check.sh: $F2B_CONFDIR/filter.d/common.conf not found (set F2B_CONFDIR)" >&2
    exit 2
fi

# fail2ban resolves "before = common.conf" / "before = asterisk.conf" inside one filter.d directory, so
# build a throw-away configuration directory holding fail2ban's common.conf and our filters.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/conf/filter.d"
cp "$F2B_CONFDIR/filter.d/common.conf" "$work/conf/filter.d/"
cp "$here"/*.conf "$work/conf/filter.d/"

echo "fail2ban-regex $(fail2ban-regex -V 2>/dev/null || fail2ban-regex --version | awk '{print $2}')"

# label | filter (with fail2ban options) | sample log. The journal pass is what fail2ban's systemd
# backend uses (logtype=journal selects common.conf's journal line prefix).
runs=("asterisk|asterisk|tests/asterisk.log"
      "asterisk-journal|asterisk[logtype=journal]|tests/asterisk.log"
      "asterisk-patched|asterisk-patched|tests/asterisk-patched.log")
status=0
for run in "${runs[@]}"; do
    IFS='|' read -r label filter sample <<<"$run"
    sample="$here/$sample"
    # One row per failure: address, epoch time, the whole original line.
    if ! TZ=UTC fail2ban-regex -c "$work/conf" --timezone=UTC -o $'<ip>\t<time>\t<msg>' \
            "$sample" "$filter" >"$work/$label.rows" 2>"$work/$label.err"; then
        echo "fail2ban-regex failed for $filter:" >&2
        cat "$work/$label.err" >&2
        exit 2
    fi
    # The report, for the per-failregex hit counts (and for -v).
    TZ=UTC fail2ban-regex -c "$work/conf" --timezone=UTC --print-all-matched --print-all-missed \
        "$sample" "$filter" >"$work/$label.report" 2>&1 || true
    if (( verbose )); then
        cat "$work/$label.report"
    fi
    python3 - "$label" "$sample" "$work/$label.rows" "$work/$label.report" "$work/counts" "$here/${filter%%[*}.conf" <<'PY' || status=1
import datetime as dt
import ipaddress
import json
import re
import sys

filter_name, sample, rows_file, report_file, counts_file, conf_file = sys.argv[1:]
UTC = dt.timezone.utc

tests = []                      # [line number, expectation, text]
pending = None
with open(sample, encoding="utf-8") as f:
    for n, raw in enumerate(f, 1):
        line = raw.rstrip("\n")
        if line.startswith("# failJSON:"):
            pending = (n, json.loads(line[len("# failJSON:"):]))
            continue
        if line.startswith("#") or pending is None:
            continue
        tests.append([n, pending[1], line])
        pending = None

failures = []
by_text = {}
for t in tests:
    if t[2] in by_text:
        failures.append(f"{sample}:{t[0]}: the same line is also at line {by_text[t[2]][0]}; make it unique")
    by_text[t[2]] = t

hits = {}                        # text -> [(ip, epoch)]
with open(rows_file, encoding="utf-8") as f:
    for raw in f:
        raw = raw.rstrip("\n")
        if not raw:
            continue
        ip, epoch, text = raw.split("\t", 2)
        if text not in by_text:
            failures.append(f"{filter_name}: matched a line that has no failJSON: {text!r} -> {ip}")
            continue
        hits.setdefault(text, []).append((ip, float(epoch)))


def same_ip(a, b):
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return False


passed = 0
for lineno, exp, text in tests:
    got = hits.get(text, [])
    where = f"{sample}:{lineno}"
    problems = []
    if exp.get("match"):
        host = exp.get("host")
        if not got:
            problems.append(f"expected {host}, nothing matched")
        for ip, epoch in got:
            if not same_ip(ip, host):
                problems.append(f"expected only {host}, a failregex took {ip}")
        if got and "time" in exp:
            want = dt.datetime.strptime(exp["time"], "%Y-%m-%dT%H:%M:%S")
            have = dt.datetime.fromtimestamp(got[0][1], UTC).replace(tzinfo=None, microsecond=0)
            if have != want and have.replace(year=want.year) != want:
                problems.append(f"expected time {exp['time']}, got {have.isoformat()}")
    elif got:
        problems.append("expected no match, matched " + ", ".join(ip for ip, _ in got))
    if problems:
        failures.append(f"{where}: " + "; ".join(problems) + f"\n    {text}")
    else:
        passed += 1

def regex_count(conf):
    """(inherited, total) failregex lines of a filter file; %(known/failregex)s stands for those of the file it
    includes, which that file's own samples exercise."""
    import os
    inherited, count, inside = 0, 0, False
    for line in open(conf, encoding="utf-8"):
        if re.match(r"failregex\s*=", line):
            inside = True
            line = line.split("=", 1)[1]
        elif inside and not (line.startswith((" ", "\t")) and line.strip()):
            break
        if inside and line.strip():
            if line.strip() == "%(known/failregex)s":
                base = re.search(r"^before\s*=\s*(\S+)", open(conf, encoding="utf-8").read(), re.M).group(1)
                inherited = regex_count(os.path.join(os.path.dirname(conf), base))[1]
                count += inherited
            else:
                count += 1
    return inherited, count


# Every failregex must be exercised by at least one sample line. fail2ban-regex lists only the failregexes that
# matched something, so a number missing from its list is one that matched nothing.
report = open(report_file, encoding="utf-8").read()
section = re.search(r"^Failregex: .*?^`-", report, re.S | re.M)
if not section:
    failures.append(f"{filter_name}: could not read the failregex hit counts from fail2ban-regex")
else:
    hit = {int(m.group(1)) for m in re.finditer(r"^\|\s+(\d+)\) \[(\d+)\] ", section.group(0), re.M)
           if m.group(2) != "0"}
    inherited, total = regex_count(conf_file)
    for number in range(inherited + 1, total + 1):
        if number not in hit:
            failures.append(f"{filter_name}: failregex {number} of {conf_file} matched no sample line")

for f in failures:
    print("FAIL " + f)
failed = len(failures)
print(f"{filter_name}: {passed} passed, {failed} failed ({len(tests)} sample lines)")
with open(counts_file, "a") as c:
    c.write(f"{passed} {failed}\n")
sys.exit(1 if failed else 0)
PY
done

read -r total_passed total_failed < <(awk '{p += $1; f += $2} END {print p + 0, f + 0}' "$work/counts")
echo "${total_passed} passed, ${total_failed} failed"
if (( status != 0 || total_failed != 0 )); then
    exit 1
fi
