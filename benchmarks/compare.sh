#!/usr/bin/env bash
# Side-by-side speed figures for issue 7, in one run on one machine (ratios of medians):
#   1. cold start: `postfix-config render examples/newsletter.yaml --out DIR`  vs  `postconf -c DIR -n`,
#                  with the published native build and with the tool as users install it (issue 26:
#                  `dotnet pack` into a local feed, `dotnet tool install` from there)
#   2. big map:    render of a 100 000-entry tls_policy  vs  `postmap hash:` of the rendered map,
#                  and vs the PyYAML (C loader) + Jinja2 peer in benchmarks/peer/
#   3. memory:     peak RSS rendering a 1 000 000-entry map, against the YAML file's size
#   4. lint:       `postfix-config lint` of a large main.cf  vs  `postconf -n` (skipped until lint exists)
# Every other figure is of the published native build (`dotnet publish`, the same program as the
# installed tool's native package).
# Needs: dotnet, clang + zlib1g-dev (native AOT), postfix, hyperfine, python3-yaml, python3-jinja2
# (all installed by .ci/run). Usage: bash benchmarks/compare.sh   (BENCH_DIR=... to choose the work folder)
# Exit status: 0 when every measured row meets its target, 1 when one reads "NO" (after the whole table).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
W=${BENCH_DIR:-/tmp/postfix-config-bench}
PY=/usr/bin/python3            # Debian's python, where python3-yaml and python3-jinja2 live
RUNS_SMALL=${RUNS_SMALL:-40}
RUNS_BIG=${RUNS_BIG:-7}
mkdir -p "$W"

for tool in dotnet hyperfine postconf postmap "$PY"; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (see .ci/run for the packages)" >&2; exit 2; }
done
"$PY" -c 'import yaml, jinja2; assert yaml.__with_libyaml__, "python3-yaml without the C loader"'

echo "== Building the native CLI (dotnet publish, native AOT)"
dotnet publish src/PostfixConfig.Cli -c Release -o "$W/native" -nologo -v quiet 2>&1 | grep -v '^$' || true
CLI=$W/native/postfix-config
[ -x "$CLI" ] || { echo "compare.sh: publishing did not produce $CLI" >&2; exit 2; }

echo "== Packing the tool into a local feed and installing it from there (dotnet pack, dotnet tool install)"
# The one pack writes the top-level package and the RID packages; here only this machine's native
# package and the any fallback (cross-compiling the other native package adds minutes and installs nowhere here).
case "$(uname -m)" in
    x86_64) RID=linux-x64 ;;
    aarch64) RID=linux-arm64 ;;
    *) echo "compare.sh: no native tool package for $(uname -m)" >&2; exit 2 ;;
esac
rm -rf "$W/feed" "$W/installed" "$W/installed-packages"
dotnet pack src/PostfixConfig.Cli -c Release -o "$W/feed" "-p:ToolPackageRuntimeIdentifiers=\"$RID;any\"" -nologo -v quiet 2>&1 | grep -v '^$' || true
cat > "$W/feed/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local-feed" value="$W/feed" />
  </packageSources>
</configuration>
EOF
NUGET_PACKAGES="$W/installed-packages" dotnet tool install PostfixConfig.Cli --tool-path "$W/installed" --configfile "$W/feed/nuget.config" >/dev/null
TOOL=$W/installed/postfix-config
# The row is about the native program users get: stop if what installed runs on the .NET runtime.
[ -x "$TOOL" ] || { echo "compare.sh: installing did not produce $TOOL" >&2; exit 2; }
if LD_DEBUG=files "$TOOL" --version 2>&1 | grep -q libcoreclr; then
    echo "compare.sh: the installed tool is not the native program" >&2
    exit 1
fi
SAME="differs from the published build"
cmp -s "$CLI" "$(readlink -f "$TOOL")" && SAME="byte for byte the published build"
echo "   installed: $(readlink -f "$TOOL" | sed "s|^$W/||") ($SAME)"

echo "== Generating inputs in $W"
for n in 100000 1000000; do
    [ -s "$W/policy-$n.yaml" ] || "$PY" benchmarks/generate_inputs.py policy "$n" "$W/policy-$n.yaml"
done
[ -s "$W/maincf/main.cf" ] && [ -s "$W/maincf/master.cf" ] || "$PY" benchmarks/generate_inputs.py maincf 5000 "$W/maincf"

# One rendering of each input first: checks that it works and gives postconf/postmap their files.
rm -rf "$W/small" "$W/small-installed" "$W/big" "$W/huge" "$W/postmap" "$W/peer"
"$CLI" render examples/newsletter.yaml --out "$W/small" >/dev/null
"$TOOL" render examples/newsletter.yaml --out "$W/small-installed" >/dev/null
cmp -s "$W/small/main.cf" "$W/small-installed/main.cf" || { echo "compare.sh: the installed tool renders another main.cf" >&2; exit 1; }
"$CLI" render "$W/policy-100000.yaml" --out "$W/big" >/dev/null
mkdir -p "$W/postmap" "$W/peer"
cp "$W/big/main.cf" "$W/big/tls_policy" "$W/postmap/"
"$PY" benchmarks/peer/render_policy.py "$W/policy-100000.yaml" "$W/peer/tls_policy"
if ! cmp -s "$W/peer/tls_policy" "$W/big/tls_policy"; then
    echo "compare.sh: the peer's map differs from postfix-config's; the comparison would be unfair" >&2
    exit 1
fi
echo "   100k map: $(wc -l < "$W/big/tls_policy") lines, identical from postfix-config and the peer"

echo "== 1. Cold start (newsletter.yaml; load average $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N --warmup 5 --runs "$RUNS_SMALL" --export-json "$W/small.json" \
    -n render "$CLI render examples/newsletter.yaml --out $W/small" \
    -n installed "$TOOL render examples/newsletter.yaml --out $W/small-installed" \
    -n postconf "postconf -c $W/small -n"

echo "== 2. 100 000-entry policy map"
hyperfine -N --warmup 1 --runs "$RUNS_BIG" --export-json "$W/big.json" \
    -n render "$CLI render $W/policy-100000.yaml --out $W/big" \
    -n postmap "postmap -c $W/postmap hash:$W/postmap/tls_policy" \
    -n peer "$PY benchmarks/peer/render_policy.py $W/policy-100000.yaml $W/peer/tls_policy"

echo "== 3. 1 000 000-entry policy map: peak memory"
"$PY" - "$CLI" "$W/policy-1000000.yaml" "$W/huge" > "$W/huge.rss" <<'PYEOF'
import os, resource, subprocess, sys, time
cli, source, out = sys.argv[1:4]
if os.path.exists("/usr/bin/time"):
    # GNU time: "Maximum resident set size (kbytes): N"
    r = subprocess.run(["/usr/bin/time", "-v", cli, "render", source, "--out", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    kb = next(int(l.split(":")[1]) for l in r.stderr.splitlines() if "Maximum resident set size" in l)
else:
    # Without the 'time' package: the same figure from getrusage of the child.
    subprocess.run([cli, "render", source, "--out", out], stdout=subprocess.DEVNULL, check=True)
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(kb * 1024)
PYEOF

echo "== 4. Lint of a large main.cf ($(wc -l < "$W/maincf/main.cf") lines)"
LINT=skipped
# (System.CommandLine answers 'lint --help' with the root help when there is no such command.)
if "$CLI" --help 2>/dev/null | grep -qE '^[[:space:]]+lint([[:space:]]|$)'; then
    hyperfine -N --warmup 3 --runs "$RUNS_SMALL" --export-json "$W/lint.json" -i \
        -n lint "$CLI lint $W/maincf/main.cf" \
        -n postconf "postconf -c $W/maincf -n"
    LINT=measured
else
    echo "   skipped: this postfix-config has no 'lint' command yet"
fi

echo
"$PY" - "$W" "$LINT" <<'PYEOF'
import json, os, sys
w, lint = sys.argv[1], sys.argv[2]
def medians(name):
    with open(os.path.join(w, name)) as f:
        return {r["command"]: r["median"] for r in json.load(f)["results"]}
small, big = medians("small.json"), medians("big.json")
rss = int(open(os.path.join(w, "huge.rss")).read())
size = os.path.getsize(os.path.join(w, "policy-1000000.yaml"))
ms = lambda s: f"{s * 1000:.1f} ms"
rows = [
    ("cold start: render / postconf -n", ms(small["render"]), ms(small["postconf"]), small["render"] / small["postconf"], "<= 3"),
    ("installed tool: render / postconf -n", ms(small["installed"]), ms(small["postconf"]), small["installed"] / small["postconf"], "<= 3"),
    ("100k map: render / postmap hash:", ms(big["render"]), ms(big["postmap"]), big["render"] / big["postmap"], "<= 3"),
    ("100k map: render / PyYAML+Jinja2", ms(big["render"]), ms(big["peer"]), big["render"] / big["peer"], "<= 0.15"),
    ("1M map: peak RSS / YAML size", f"{rss / 2**20:.0f} MiB", f"{size / 2**20:.0f} MiB", rss / size, "< 10"),
]
if lint == "measured":
    l = medians("lint.json")
    rows.append(("lint main.cf / postconf -n", ms(l["lint"]), ms(l["postconf"]), l["lint"] / l["postconf"], "<= 3"))
else:
    rows.append(("lint main.cf / postconf -n", "-", "-", None, "<= 3"))
print(f"{'figure (medians, one run)':36} {'ours':>10} {'theirs':>10} {'ratio':>7}  target  met")
missed = 0
for name, ours, theirs, ratio, target in rows:
    limit = float(target.split()[-1])
    met = "-" if ratio is None else ("yes" if ratio <= limit else "NO")
    missed += met == "NO"
    r = "skipped" if ratio is None else f"{ratio:.2f}"
    print(f"{name:36} {ours:>10} {theirs:>10} {r:>7}  {target:6}  {met}")
print(f"load average (1, 5, 15 min) at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
sys.exit(1 if missed else 0)
PYEOF
