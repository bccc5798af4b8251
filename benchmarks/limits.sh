#!/usr/bin/env bash
# Peak memory (max RSS) of postfix-config on the hostile inputs of docs/safety.md
# (issue 13, part 4): each is refused, and memory stays bounded by the limit, not by the input.
#   main.cf of 100 MB, master.cf of 100 MB next to a small main.cf, one 10 MB line,
#   1 000 000 continuation lines, a 50 MB PEM file (validate --check-files, fingerprint, tlsa),
#   /dev/urandom through a FIFO (fingerprint and lint read it up to the limit)
# Needs: dotnet, GNU time (/usr/bin/time, Debian package "time"), mkfifo.
# Usage: bash benchmarks/limits.sh        LIMITS_DIR=... work folder; LIMITS_CLI=... an already built
#        postfix-config (default: a native AOT publish, as compare.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${LIMITS_DIR:-/tmp/postfix-config-limits}
mkdir -p "$W"
[ -x /usr/bin/time ] || { echo "limits.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

CLI=${LIMITS_CLI:-}
if [ -z "$CLI" ]; then
    echo "== Building the native CLI (dotnet publish, native AOT)"
    dotnet publish src/PostfixConfig.Cli -c Release -o "$W/native" -nologo -v quiet 2>&1 | grep -v '^$' || true
    CLI=$W/native/postfix-config
fi
[ -x "$CLI" ] || { echo "limits.sh: $CLI is not an executable" >&2; exit 2; }

echo "== Generating inputs in $W"
rm -rf "$W/in"; mkdir -p "$W/in/main" "$W/in/master" "$W/in/line" "$W/in/cont" "$W/in/pem"
python3 - "$W/in" <<'PY'
import sys, os
w = sys.argv[1]
def big(path, head, body, count, tail=""):
    with open(path, "w") as f:
        f.write(head)
        chunk = body * max(1, (1 << 20) // len(body))
        per = len(chunk) // len(body)
        left = count
        while left > 0:
            n = min(per, left)
            f.write(chunk[: n * len(body)])
            left -= n
        f.write(tail)
big(f"{w}/main/main.cf", "", "myhostname = mail.example.com\n", 100 * 1024 * 1024 // 30)
open(f"{w}/master/main.cf", "w").write("myhostname = mail.example.com\nsmtpd_tls_security_level = may\n")
big(f"{w}/master/master.cf", "smtp      inet  n       -       y       -       -       smtpd\n", "#  a comment line of a very long master.cf file\n", 100 * 1024 * 1024 // 48)
big(f"{w}/line/main.cf", "smtpd_tls_security_level = may\nmyhostname = ", "a", 10 * 1024 * 1024, "\n")
big(f"{w}/cont/main.cf", "mydestination = localhost\n", "  example.com,\n", 1_000_000, "smtpd_tls_security_level = may\n")
big(f"{w}/pem/chain.pem", "-----BEGIN CERTIFICATE-----\n", "MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIGZ1enppbmcgb25seTAKBggq\n", 50 * 1024 * 1024 // 65, "-----END CERTIFICATE-----\n")
open(f"{w}/pem/tls.yaml", "w").write(f"postfix_version: \"3.7\"\nmain:\n  smtpd_tls_security_level: may\n  smtpd_tls_chain_files: {w}/pem/chain.pem\n")
PY
mkfifo "$W/in/urandom.fifo"
# The feeder runs in its own process group, so that stopping it also stops its cat.
setsid bash -c 'while :; do cat /dev/urandom > "$1" 2>/dev/null; done' feeder "$W/in/urandom.fifo" &
FEEDER=$!
trap 'kill -- -$FEEDER 2>/dev/null || true; wait $FEEDER 2>/dev/null || true' EXIT

printf '| input | command | exit | max RSS | wall |\n| --- | --- | ---: | ---: | ---: |\n'
run() {
    local label=$1; shift
    local log; log=$(mktemp)
    local code=0
    /usr/bin/time -v -o "$log" "$CLI" "$@" >/dev/null 2>&1 || code=$?
    # GNU time reports the command's exit code in its log; $? is that code too
    local rss; rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    local wall; wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    printf '| %s | %s | %s | %d MiB | %s |\n' "$label" "$(basename "$CLI") $1" "$code" $((rss / 1024)) "$wall"
    rm -f "$log"
}
run "(baseline) --version" --version
run "main.cf of 100 MB" lint "$W/in/main/main.cf"
run "main.cf of 100 MB" import "$W/in/main/main.cf"
run "master.cf of 100 MB next to a small main.cf" lint "$W/in/master/main.cf"
run "one line of 10 MB" lint "$W/in/line/main.cf"
run "1 000 000 continuation lines" lint "$W/in/cont/main.cf"
run "PEM of 50 MB" validate "$W/in/pem/tls.yaml" --check-files
run "PEM of 50 MB" fingerprint "$W/in/pem/chain.pem"
run "PEM of 50 MB" tlsa "$W/in/pem/chain.pem" --host mail.example.com
run "/dev/urandom through a FIFO" fingerprint "$W/in/urandom.fifo"
run "/dev/urandom through a FIFO" lint "$W/in/urandom.fifo"
