#!/usr/bin/env bash
# Records what Debian's postconf (3.7) says about each real configuration in this folder.
#
# For every sub-folder that holds main.cf and master.cf it runs
#   postconf -c DIR -n   and   postconf -c DIR -M
# and writes postconf-warnings.txt: the standard-error lines of `postconf -n`, with the
# folder's absolute path replaced by the literal word DIR and the program name shortened to
# "postconf:" (postconf prefixes its messages with argv[0]), sorted (LC_ALL=C sort, duplicates
# kept). postconf 3.7 prints its warnings in hash-table order (seeded per run unless
# NORANDOMIZE is set), so the order carries no meaning; compare the lines as a multiset.
#
# `postconf -M` reports a subset of what `postconf -n` reports (everything except the
# "main.cf: unused parameter" lines); the script checks that and stops if it is not so.
#
# Usage: record-warnings.sh [FOLDER...]   (default: every sub-folder of this script's folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
postconf="${POSTCONF:-/usr/sbin/postconf}"
[ "$#" -gt 0 ] || set -- "$here"/*/
for dir in "$@"; do
    dir="$(cd "$dir" && pwd)"
    [ -f "$dir/main.cf" ] && [ -f "$dir/master.cf" ] || continue
    n_out="$(NORANDOMIZE=1 "$postconf" -c "$dir" -n 2>&1 >/dev/null || true)"
    m_out="$(NORANDOMIZE=1 "$postconf" -c "$dir" -M 2>&1 >/dev/null || true)"
    n_sorted="$(printf '%s' "$n_out" | sed "s#$dir#DIR#g; s#^[^ ]*postconf: #postconf: #" | LC_ALL=C sort)"
    m_sorted="$(printf '%s' "$m_out" | sed "s#$dir#DIR#g; s#^[^ ]*postconf: #postconf: #" | LC_ALL=C sort)"
    expected_m="$(printf '%s\n' "$n_sorted" | grep -v '/main.cf: unused parameter: ' || true)"
    if [ "$m_sorted" != "$expected_m" ]; then
        echo "$dir: postconf -M warnings are not the -n warnings less main.cf's unused ones" >&2
        diff <(printf '%s\n' "$expected_m") <(printf '%s\n' "$m_sorted") >&2 || true
        exit 1
    fi
    if [ -n "$n_sorted" ]; then
        printf '%s\n' "$n_sorted" > "$dir/postconf-warnings.txt"
    else
        : > "$dir/postconf-warnings.txt"
    fi
    echo "$(basename "$dir"): $(grep -c . "$dir/postconf-warnings.txt" || true) warning line(s)"
done
