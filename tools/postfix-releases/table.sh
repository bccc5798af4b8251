#!/usr/bin/env bash
# Makes the release table of docs/conformance.md (between <!-- release-table:begin --> and
# <!-- release-table:end -->) from the summary a run of the release suite wrote:
#
#   dotnet test tests/PostfixConfig.ReleaseTests        # as root; writes the summary and prints it
#   tools/postfix-releases/table.sh [SUMMARY]           # default: the suite's release-summary.tsv
#
# SUMMARY is RELEASE_SUMMARY_FILE if the run set it, else
# tests/PostfixConfig.ReleaseTests/bin/Debug/net10.0/release-summary.tsv. The script refuses a summary
# that lacks a column for a release, or whose releases disagree on the number of render inputs.
# The fast test ReleaseTableTests holds the table to the suite's current input count.
set -euo pipefail
cd "$(dirname "$0")/../.."
summary="${1:-${RELEASE_SUMMARY_FILE:-tests/PostfixConfig.ReleaseTests/bin/Debug/net10.0/release-summary.tsv}}"
[ -f "$summary" ] || { echo "table.sh: no summary at $summary (run dotnet test tests/PostfixConfig.ReleaseTests first)" >&2; exit 2; }

python3 - "$summary" docs/conformance.md <<'PY'
import re, sys
summary, page = sys.argv[1], sys.argv[2]
head, rows = {}, {}
for line in open(summary, encoding="utf-8"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 2 and parts[0].startswith("#"):
        head[parts[0][1:]] = parts[1]
    elif len(parts) == 3 and parts[0].startswith("#"):
        head[parts[0][1:]] = parts[2]
    elif len(parts) == 3:
        rows.setdefault(parts[0], {})[parts[1]] = parts[2]
    elif line.strip():
        sys.exit(f"table.sh: {summary}: not a summary line: {line!r}")

columns = ["catalog", "notices", "inputs", "renders", "refusals", "differential", "live", "stock"]
problems = [f"{r}: no {c}" for r, cols in rows.items() for c in columns if c not in cols]
if not rows or problems:
    sys.exit(f"table.sh: {summary} is incomplete (was a test left out or did one fail?): " + "; ".join(problems or ["no release"]))
inputs = {cols["inputs"] for cols in rows.values()}
if len(inputs) != 1:
    sys.exit(f"table.sh: the releases rendered different numbers of inputs: {sorted(inputs)}")
n = inputs.pop()

def key(release):
    return [int(x) for x in re.findall(r"\d+", release.split(" ")[0])]

lines = [
    f"*Measured:* the run of {head.get('run', '?')} on commit {head.get('commit', '?')}, on {head.get('machine', '?')}. "
    "*Reproduce* (as root): `tools/postfix-releases/build.sh && dotnet test tests/PostfixConfig.ReleaseTests && tools/postfix-releases/table.sh`.",
    "",
    f"| release | catalog: `postconf -d` names and defaults | catalog: postconf's notices | renders read (of {n} inputs), refusals judged | "
    "differential: agree + library stricter / cases | live protocols | stock files: lint, import, merge |",
    "| --- | --- | --- | --- | --- | --- | --- |",
]
for release in sorted(rows, key=key):
    c = rows[release]
    lines.append(f"| {release} | {c['catalog']} | {c['notices']} | {c['renders']}, {c['refusals']} | {c['differential']} | {c['live']} | {c['stock']} |")

text = open(page, encoding="utf-8").read()
begin, end = "<!-- release-table:begin -->", "<!-- release-table:end -->"
if begin not in text or end not in text:
    sys.exit(f"table.sh: {page} has no {begin} ... {end} block")
before, rest = text.split(begin, 1)
_, after = rest.split(end, 1)
open(page, "w", encoding="utf-8").write(before + begin + "\n" + "\n".join(lines) + "\n" + end + after)
print(f"table.sh: {page}: {len(rows)} releases, {n} inputs, from {summary}")
PY
