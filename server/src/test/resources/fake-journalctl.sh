#!/bin/sh
# Stands in for journalctl in JournaldSourceVerticleTest: records its arguments, prints two journal records as
# `journalctl -o json` does, then exits (MODE exit) or waits like `journalctl -f` (MODE follow). MODE badcursor
# refuses any --after-cursor as journalctl refuses a malformed one, and follows otherwise.
# Usage: sh fake-journalctl.sh CALLS_FILE MODE [journalctl arguments...]
calls=$1
mode=$2
shift 2
printf '%s\n' "$*" >> "$calls"
run=$(wc -l < "$calls")
case "$mode $*" in
    "badcursor "*--after-cursor=*)
        # Warnings first, as journalctl gives for journal files it skips: the complaint comes last, after the
        # reader of stderr has had work to do, and is still read once stdout is closed.
        i=0
        while [ $i -lt 200 ]; do
            echo "Journal file /var/log/journal/fake/system@$i.journal corrupted, ignoring file." >&2
            i=$((i + 1))
        done
        echo "Failed to seek to cursor: Invalid argument" >&2
        exit 1
        ;;
esac
first=$((2 * run - 1))
second=$((2 * run))

invite="NOTICE[4021][C-0000001d]: chan_sip.c:25902 in handle_request_invite: Call from '' (192.0.2.61:5081) to extension '9011441632960123' rejected because extension not found in context 'public'."
register="NOTICE[2290]: res_pjsip/pjsip_distributor.c:676 in log_failed_request: Request 'REGISTER' from '<sip:1002@203.0.113.5>' failed for '198.51.100.77:5060' (callid: 1889283542-87542901-1273643) - Failed to authenticate"

printf '{ "__CURSOR" : "s=fake;i=%d;b=0;m=0;t=0;x=0", "__REALTIME_TIMESTAMP" : "1756393089123456", "__MONOTONIC_TIMESTAMP" : "1", "_BOOT_ID" : "0", "PRIORITY" : "5", "SYSLOG_IDENTIFIER" : "asterisk", "_PID" : "4010", "_HOSTNAME" : "pbx1", "MESSAGE" : "%s" }\n' "$first" "$invite"
printf '{ "__CURSOR" : "s=fake;i=%d;b=0;m=0;t=0;x=0", "__REALTIME_TIMESTAMP" : "1756393090000000", "__MONOTONIC_TIMESTAMP" : "2", "_BOOT_ID" : "0", "PRIORITY" : "5", "SYSLOG_IDENTIFIER" : "asterisk", "_PID" : "4010", "_HOSTNAME" : "pbx2", "MESSAGE" : "%s" }\n' "$second" "$register"
echo "fake journalctl: run $run printed records $first and $second" >&2

if [ "$mode" != exit ]; then
    # Not exec: a child that keeps stdout open, as a wrapper script around journalctl would.
    sleep 600 &
    echo $! > "$calls.sleep"
    wait
fi
