#!/usr/bin/env bash
# verify.sh: check that Tollgate's chan_sip patches apply to the Asterisk releases they list.
#
# usage: verify.sh ASTERISK_GIT            check every patch at every tag in its "Verified tags" header
#        verify.sh ASTERISK_GIT TAG...     for each TAG, name the patch to use and check it
#
# ASTERISK_GIT is an Asterisk git checkout or a bare git directory that already has the release
# tags (for example a clone of https://github.com/asterisk/asterisk). This script never fetches
# or downloads anything: it reads channels/chan_sip.c at each tag with "git show", writes it to
# a temporary directory and runs "git apply --check" there. It then applies the patch to that
# temporary copy and checks that no authentication-failure message of the family is left
# without the source-address suffix ("complete" column).
#
# Exit status: 0 all listed tags pass, 1 a patch failed to apply or left a message unpatched,
# 2 usage error or a listed tag is missing from the repository.
set -u

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
fi
repo=$1; shift
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_NAMESPACE
if ! gitdir=$(cd "$repo" 2>/dev/null && cd "$(git rev-parse --git-dir 2>/dev/null)" 2>/dev/null && pwd); then
    echo "verify.sh: $repo is not a git checkout or git directory" >&2
    exit 2
fi
G() { git --git-dir="$gitdir" "$@"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-verify.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# git apply must not discover any repository above the scratch copy.
export GIT_CEILING_DIRECTORIES=$tmp

# Family of chan_sip messages these patches change. A match in a patched file means a line was missed.
unpatched_re='"(Failed to authenticate (user|device) %s( for SUBSCRIBE)?|Sending fake auth rejection for (user|device) %s|(Failed to authenticate|Call limit reached for|RTP init failure for|Unexpected error for) device %s for %s, code = %d)\\n"'
patched_re='"(Failed to authenticate (user|device) %s( for SUBSCRIBE)?|Sending fake auth rejection for (user|device) %s|(Failed to authenticate|Call limit reached for|RTP init failure for|Unexpected error for) device %s for %s, code = %d) \((%s:%d|%s)\)\\n"'

patches=("$here"/chan_sip-*.patch)
[ -e "${patches[0]}" ] || { echo "verify.sh: no chan_sip-*.patch next to this script" >&2; exit 2; }

# Tags listed in a patch header: the indented lines after "Verified tags", up to the first blank line
# (a word ending in ":" such as "certified:" is a label, not a tag).
listed_tags() {
    awk '/^Verified tags/ {on=1; next} on && /^$/ {exit} on {for (i = 1; i <= NF; i++) if ($i !~ /:$/) print $i}' "$1"
}

# check PATCH TAG -> prints one of: ok <n-patched> | fail | incomplete <n-left> | missing (no such tag)
#                   | no-chan_sip (tag has no channels/chan_sip.c: removed in 21.0.0)
check() {
    local p=$1 t=$2 d
    if ! G rev-parse -q --verify "refs/tags/$t^{commit}" >/dev/null; then echo missing; return; fi
    d=$tmp/w; rm -rf "$d"; mkdir -p "$d/channels"
    if ! G show "refs/tags/$t:channels/chan_sip.c" > "$d/channels/chan_sip.c" 2>/dev/null; then
        echo no-chan_sip; return
    fi
    if ! (cd "$d" && git apply --check -p1 "$p" 2>/dev/null); then echo fail; return; fi
    (cd "$d" && git apply -p1 "$p" 2>/dev/null) || { echo fail; return; }
    local left done_
    left=$(grep -cE "$unpatched_re" "$d/channels/chan_sip.c")
    done_=$(grep -cE "$patched_re" "$d/channels/chan_sip.c")
    if [ "$left" -ne 0 ]; then echo "incomplete $left"; else echo "ok $done_"; fi
}

status=0
if [ $# -eq 0 ]; then
    printf '%-56s %6s %6s %6s %6s  %s\n' "patch" "tags" "apply" "compl" "lines" "failed / missing tags"
    total=0
    for p in "${patches[@]}"; do
        n=0 ok=0 comp=0 lines="" bad=""
        for t in $(listed_tags "$p"); do
            n=$((n + 1))
            r=$(check "$p" "$t")
            case $r in
                ok*) ok=$((ok + 1)); comp=$((comp + 1)); l=${r#ok }
                     case " $lines " in *" $l "*) ;; *) lines="${lines:+$lines/}$l" ;; esac ;;
                incomplete*) ok=$((ok + 1)); bad="$bad $t(incomplete)"; status=1 ;;
                fail) bad="$bad $t(fail)"; status=1 ;;
                missing|no-chan_sip) bad="$bad $t($r)"; [ $status -eq 0 ] && status=2 ;;
            esac
        done
        total=$((total + n))
        [ $n -eq 0 ] && { bad=" (no Verified tags header)"; status=1; }
        printf '%-56s %6d %6d %6d %6s  %s\n' "$(basename "$p")" "$n" "$ok" "$comp" "${lines:--}" "${bad# }"
    done
    echo "tags checked: $total; result: $([ $status -eq 0 ] && echo PASS || echo FAIL)"
    exit $status
fi

# Per-tag mode: which patch is listed for the tag, does it apply, and which others would also apply.
anyothers=
printf '%-12s %-56s %-12s %s\n' "tag" "listed patch" "result" "other patches that also pass git apply --check"
for t in "$@"; do
    listed="" others=""
    for p in "${patches[@]}"; do
        if listed_tags "$p" | grep -qxF "$t"; then listed="$listed $(basename "$p")"; fi
    done
    listed=${listed# }
    res="-"
    if [ -n "$listed" ]; then
        res=$(check "$here/${listed%% *}" "$t"); res=${res%% *}
        [ "$res" = ok ] || status=1
    else
        status=1
    fi
    for p in "${patches[@]}"; do
        b=$(basename "$p")
        case " $listed " in *" $b "*) continue ;; esac
        r=$(check "$p" "$t")
        case $r in ok*|incomplete*) others="$others $b"; anyothers=1 ;; missing|no-chan_sip) res=$r ;; esac
    done
    printf '%-12s %-56s %-12s %s\n' "$t" "${listed:-(none listed)}" "$res" "${others# }"
done
[ -n "${anyothers:-}" ] && echo "note: use the listed patch; another file passing --check at a tag of a different series is a context match, not a fit (e.g. 1.6 patches use 'sin', which 1.8 does not have)."
exit $status
