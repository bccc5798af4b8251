#!/usr/bin/env bash
# Issue 23 speed figures, in one run on one machine (ratios of hyperfine means):
#   1. probe:        `postfix-config probe 127.0.0.1 --port PORT` (the default probe: main session plus one
#                    handshake per certificate type)  vs  `posttls-finger -c -l may '[127.0.0.1]:PORT'`,
#                    both against the same scratch Postfix on loopback (RSA and ECDSA certificates)
#   2. no-op apply:  `postfix-config apply y.yaml --config-dir DIR` with nothing to change
#                    vs  `postconf -c DIR -n` on the same folder
# Every figure is of the published native build (`dotnet publish`, native AOT), as users install it.
# Only loopback: the targets are IP literals in brackets, posttls-finger and postconf read the scratch
# main.cf (myhostname set, so nothing looks this machine's name up).
# Needs: dotnet, clang + zlib1g-dev (native AOT), postfix (posttls-finger), openssl, hyperfine; run as root
# (the scratch Postfix starts as root). Usage: bash benchmarks/wire.sh   (BENCH_DIR=..., RUNS=..., CLI=... to reuse a build)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
W=${BENCH_DIR:-/tmp/postfix-config-wire-bench}
RUNS=${RUNS:-40}
PORT=${PORT:-2625}
mkdir -p "$W"

for tool in dotnet hyperfine postconf posttls-finger openssl python3; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "wire.sh: $tool is missing (see .ci/run)" >&2; exit 2; }
done
PTF=$(command -v posttls-finger || echo /usr/sbin/posttls-finger)

if [ -z "${CLI:-}" ]; then
    echo "== Building the native CLI (dotnet publish, native AOT)"
    dotnet publish src/PostfixConfig.Cli -c Release -o "$W/native" -nologo -v quiet 2>&1 | grep -v '^$' || true
    CLI=$W/native/postfix-config
fi
[ -x "$CLI" ] || { echo "wire.sh: no CLI at $CLI" >&2; exit 2; }

echo "== A scratch Postfix on 127.0.0.1:$PORT with an RSA and an ECDSA certificate"
S=$W/scratch
[ -f "$S/etc/main.cf" ] && postfix -c "$S/etc" stop >/dev/null 2>&1 || true
rm -rf "$S"
bash tools/scratch-postfix.sh init "$S" "$PORT" >/dev/null
mkdir -p "$S/pki"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/pki/rsa.key" -out "$S/pki/rsa.crt" -days 30 -subj /CN=mail.pfc-bench.example \
    -addext subjectAltName=DNS:mail.pfc-bench.example 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$S/pki/ec.key" -out "$S/pki/ec.crt" -days 30 \
    -subj /CN=mail.pfc-bench.example -addext subjectAltName=DNS:mail.pfc-bench.example 2>/dev/null
chmod 600 "$S/pki/"*.key
cat > "$S/apply.yaml" <<YAML
postfix_version: "$(postconf -d -h mail_version | cut -d. -f1,2)"
main:
  smtpd_tls_chain_files: [$S/pki/rsa.key, $S/pki/rsa.crt, $S/pki/ec.key, $S/pki/ec.crt]
  smtpd_tls_security_level: may
  smtpd_tls_loglevel: 0
YAML
bash tools/scratch-postfix.sh start "$S"
trap 'postfix -c "$S/etc" stop >/dev/null 2>&1 || true' EXIT
# The first apply writes the TLS settings and reloads (the no-op apply then finds the folder as it left it).
"$CLI" apply "$S/apply.yaml" --config-dir "$S/etc" >/dev/null
sleep 1

# Both tools must see the same server before they are timed.
"$CLI" probe 127.0.0.1 --port "$PORT" >/dev/null
MAIL_CONFIG=$S/etc "$PTF" -c -l may "[127.0.0.1]:$PORT" >/dev/null
"$CLI" apply "$S/apply.yaml" --config-dir "$S/etc" | grep -q 'no change' || { echo "wire.sh: the second apply is not a no-op" >&2; exit 1; }

echo "== 1. probe vs posttls-finger"
export MAIL_CONFIG=$S/etc   # posttls-finger's main.cf (the others name their folder or read none)
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/probe.json" \
    -n probe "$CLI probe 127.0.0.1 --port $PORT" \
    -n posttls-finger "$PTF -c -l may [127.0.0.1]:$PORT"

echo "== 2. no-op apply vs postconf -n"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/apply.json" \
    -n apply "$CLI apply $S/apply.yaml --config-dir $S/etc" \
    -n postconf "postconf -c $S/etc -n"

python3 - "$W/probe.json" "$W/apply.json" <<'PY'
import json, sys
def means(path):
    return {r["command"]: r["mean"] for r in json.load(open(path))["results"]}
p, a = means(sys.argv[1]), means(sys.argv[2])
print(f"probe {p['probe']*1000:.1f} ms, posttls-finger {p['posttls-finger']*1000:.1f} ms: ratio {p['probe']/p['posttls-finger']:.2f} (goal: at most 2)")
print(f"no-op apply {a['apply']*1000:.1f} ms, postconf -n {a['postconf']*1000:.1f} ms: ratio {a['apply']/a['postconf']:.2f} (goal: at most 5)")
PY
echo "(machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F))"
