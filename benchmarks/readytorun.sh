#!/usr/bin/env bash
# Issue 26: does ReadyToRun help the framework-dependent build (the tool's `any` package, installed where
# no native package fits) start faster? Times `render examples/newsletter.yaml` with hyperfine, in one run:
#   fdd      the framework-dependent build as the `any` package holds it (portable IL), run by `dotnet`
#   r2r      the same build with ReadyToRun code for this machine's RID (-p:PublishReadyToRun=true)
#   native   the native AOT program, if NATIVE=path/to/postfix-config is given (e.g. compare.sh's build)
#   postconf `postconf -c DIR -n` on the rendered folder, for scale
# Both builds go through --artifacts-path in the work folder: the tree's obj/bin stay as they are.
# Needs: dotnet, hyperfine, postfix. Usage: bash benchmarks/readytorun.sh   (BENCH_DIR=..., RUNS=..., NATIVE=...)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${BENCH_DIR:-/tmp/postfix-config-r2r-bench}
RUNS=${RUNS:-20}
mkdir -p "$W"
for tool in dotnet hyperfine postconf python3; do
    command -v "$tool" >/dev/null || { echo "readytorun.sh: $tool is missing (see .ci/run)" >&2; exit 2; }
done
case "$(uname -m)" in
    x86_64) RID=linux-x64 ;;
    aarch64) RID=linux-arm64 ;;
    *) echo "readytorun.sh: no ReadyToRun RID for $(uname -m)" >&2; exit 2 ;;
esac

echo "== Building the framework-dependent CLI without and with ReadyToRun"
rm -rf "$W/fdd" "$W/r2r"
dotnet publish src/PostfixConfig.Cli -c Release -o "$W/fdd" --artifacts-path "$W/artifacts-fdd" \
    -p:PublishAot=false -nologo -v quiet 2>&1 | grep -v '^$' || true
dotnet publish src/PostfixConfig.Cli -c Release -o "$W/r2r" --artifacts-path "$W/artifacts-r2r" -r "$RID" --self-contained false \
    -p:PublishAot=false -p:PublishReadyToRun=true -nologo -v quiet 2>&1 | grep -v '^$' || true
python3 - "$W/fdd/PostfixConfig.dll" "$W/r2r/PostfixConfig.dll" <<'PYEOF'
# The CLR header's ManagedNativeHeader directory is non-empty exactly in ReadyToRun images.
import struct, sys
def is_r2r(path):
    b = open(path, "rb").read()
    pe = struct.unpack_from("<I", b, 0x3C)[0]
    sections, optional_size = struct.unpack_from("<H", b, pe + 6)[0], struct.unpack_from("<H", b, pe + 20)[0]
    pe32 = struct.unpack_from("<H", b, pe + 24)[0] == 0x10B
    cli_rva = struct.unpack_from("<I", b, pe + 24 + (96 if pe32 else 112) + 14 * 8)[0]
    for i in range(sections):
        vsize, va, raw_size, raw = struct.unpack_from("<IIII", b, pe + 24 + optional_size + i * 40 + 8)
        if va <= cli_rva < va + max(vsize, raw_size):
            return struct.unpack_from("<I", b, raw + cli_rva - va + 64 + 4)[0] > 0
    sys.exit(f"readytorun.sh: no CLR header in {path}")
fdd, r2r = map(is_r2r, sys.argv[1:3])
if fdd or not r2r:
    sys.exit(f"readytorun.sh: expected IL only and ReadyToRun code, got ReadyToRun={fdd} and {r2r}")
print("   fdd: IL only; r2r: ReadyToRun code")
PYEOF

rm -rf "$W/out-fdd" "$W/out-r2r" "$W/out-native"
dotnet "$W/fdd/postfix-config.dll" render examples/newsletter.yaml --out "$W/out-fdd" >/dev/null
dotnet "$W/r2r/postfix-config.dll" render examples/newsletter.yaml --out "$W/out-r2r" >/dev/null
cmp "$W/out-fdd/main.cf" "$W/out-r2r/main.cf"
commands=(-n fdd "dotnet $W/fdd/postfix-config.dll render examples/newsletter.yaml --out $W/out-fdd"
          -n r2r "dotnet $W/r2r/postfix-config.dll render examples/newsletter.yaml --out $W/out-r2r")
if [ -n "${NATIVE:-}" ]; then
    "$NATIVE" render examples/newsletter.yaml --out "$W/out-native" >/dev/null
    cmp "$W/out-fdd/main.cf" "$W/out-native/main.cf"
    commands+=(-n native "$NATIVE render examples/newsletter.yaml --out $W/out-native")
fi
commands+=(-n postconf "postconf -c $W/out-fdd -n")

echo "== render examples/newsletter.yaml (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/r2r.json" "${commands[@]}"
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$W/r2r.json" <<'PYEOF'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print(f"{'build':10} {'median':>10} {'user+sys':>10}")
for r in rows:
    print(f"{r['command']:10} {r['median'] * 1000:8.1f} ms {(r['user'] + r['system']) * 1000:8.1f} ms")
m = {r["command"]: r["median"] for r in rows}
print(f"r2r / fdd: {m['r2r'] / m['fdd']:.2f}")
PYEOF
