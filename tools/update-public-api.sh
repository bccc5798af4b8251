#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to
# src/PostfixConfig/PublicAPI.Unshipped.txt, and drops removed ones (RS0017).
# Run it after changing the public API on purpose; review the diff like code.
set -euo pipefail
cd "$(dirname "$0")/.."
api=src/PostfixConfig/PublicAPI.Unshipped.txt
log=$(mktemp)
dotnet build src/PostfixConfig/PostfixConfig.csproj --no-incremental -p:TreatWarningsAsErrors=false 2>&1 >"$log" || true
python3 - "$log" "$api" <<'PY'
import re, sys
log, api = sys.argv[1], sys.argv[2]
text = open(log, encoding='utf-8').read()
add = set(re.findall(r"RS0016: Symbol '(.+?)' is not part of the declared public API", text))
remove = set(re.findall(r"RS0017: Symbol '(.+?)' is part of the declared API, but is either not public or could not be found", text))
lines = [l.rstrip('\n') for l in open(api, encoding='utf-8')]
header = [l for l in lines if l.startswith('#')] or ['#nullable enable']
body = {l for l in lines if l and not l.startswith('#')}
body = (body | add) - remove
with open(api, 'w', encoding='utf-8', newline='\n') as f:
    f.write('\n'.join(header + sorted(body, key=lambda s: s.lower())) + '\n')
print(f"added {len(add)}, removed {len(remove)}")
PY
rm -f "$log"
# What a release ships is moved by hand from PublicAPI.Unshipped.txt to PublicAPI.Shipped.txt (sorted);
# after that, removing or changing a shipped line is a breaking change: the analyzer (RS0017) says so.
