#!/usr/bin/env bash
# Turns a Stryker.NET JSON report into the folder's row of tests/mutation/RESULTS.md:
#
#   tools/mutation/results-row.sh FOLDER path/to/mutation-report.json [--survivors]
#
#   | FOLDER | mutants | killed | survived | timeout | no coverage | score |
#
# Only the report's files under src/PostfixConfig/FOLDER/ count (a report may cover several folders).
# "mutants" counts the mutants that were tested (killed + survived + timeout + no coverage); the
# ones that did not compile or that Stryker ignored are left out, as Stryker's own score leaves them
# out. The score is Stryker's: (killed + timeout) / mutants, written NN.N %.
# With --survivors, also lists each surviving and uncovered mutant (file:line, mutator, replacement).
set -euo pipefail
folder=${1:?usage: results-row.sh FOLDER REPORT.json [--survivors]}
report=${2:?usage: results-row.sh FOLDER REPORT.json [--survivors]}
survivors=${3:-}

python3 - "$folder" "$report" "$survivors" <<'PY'
import json, sys

folder, path, survivors = sys.argv[1], sys.argv[2], sys.argv[3] == "--survivors"
with open(path, encoding="utf-8") as f:
    report = json.load(f)

counts = {"Killed": 0, "Survived": 0, "Timeout": 0, "NoCoverage": 0}
left = []
def in_folder(name):
    name = name.replace("\\", "/")
    return f"src/PostfixConfig/{folder}/" in name or name.startswith(f"{folder}/")

for name, file in sorted(report["files"].items()):
    if not in_folder(name):
        continue
    for m in file["mutants"]:
        status = m["status"]
        if status in counts:
            counts[status] += 1
        if status in ("Survived", "NoCoverage"):
            line = m["location"]["start"]["line"]
            left.append(f"{status}\t{name}:{line}\t{m['mutatorName']}\t{m.get('replacement', '').splitlines()[0] if m.get('replacement') else ''}")

tested = sum(counts.values())
if tested == 0:
    sys.exit(f"results-row.sh: no tested mutant of src/PostfixConfig/{folder}/ in {path}")
score = 100.0 * (counts["Killed"] + counts["Timeout"]) / tested if tested else 0.0
print(f"| {folder} | {tested} | {counts['Killed']} | {counts['Survived']} | {counts['Timeout']} | {counts['NoCoverage']} | {score:.1f} % |")
if survivors:
    print("\n".join(left))
PY
