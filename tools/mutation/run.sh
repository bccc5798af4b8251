#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of one folder of src/PostfixConfig, with the fast tests only.
#
#   tools/mutation/run.sh FOLDER [FOLDER...]    e.g. tools/mutation/run.sh Rendering
#
# (No Progress reporter: its bar crashes Stryker 5.1 at the end of a run without a real terminal, before the
# reports are written. The trace log under out/FOLDER/logs/ shows each mutant as it is tested.)
# Mutates src/PostfixConfig/FOLDER/**/*.cs, runs tests/PostfixConfig.Tests with the test filter (below)
# against each mutant, and writes the reports to tests/mutation/out/FOLDER/
# (mutation-report.json, mutation-report.md, mutation-report.html; git ignores out/).
# Then prints the folder's row for tests/mutation/RESULTS.md (tools/mutation/results-row.sh).
# Several folders in one run (reports in out/FOLDER+FOLDER/, one row each) pay Stryker's fixed
# cost (build, two full test runs, compiling every mutant of the project) once instead of per folder.
#
# Slow: minutes for a small folder, hours for all of them on 2 shared cores. Not run by CI.
# Runs at low priority (nice 15) and one test process at a time; MUTATION_CONCURRENCY=N for more.
# The test filter: MUTATION_TEST_FILTER=EXPR if set; else, for one folder, its line in tools/mutation/filters.txt
# (the tests that reach that folder, which RESULTS.md was measured with); else Category!=Slow (the whole fast
# suite: at least as many kills, but about 1.5 minutes per mutant). With a filter each mutant runs only those
# tests, seconds instead of minutes, and the score can only be lower than with the whole fast suite.
# The crash tests' seams are not mutated: IO/TestHooks.cs and its Pause points, which only the Slow crash tests reach,
# in a separate CLI process that Stryker (switching mutants inside the test host) cannot measure; the in-process
# WriteFault hook is mutated as any code.
# Needs the pinned tool: dotnet tool restore (reads .config/dotnet-tools.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

if [ $# -eq 0 ]; then
    echo "usage: tools/mutation/run.sh FOLDER [FOLDER...] (folders of src/PostfixConfig, e.g. Rendering)" >&2
    exit 2
fi

folders=()
mutate=()
for folder in "$@"; do
    folder=${folder%/}
    if [ ! -d "src/PostfixConfig/$folder" ]; then
        echo "run.sh: no folder src/PostfixConfig/$folder" >&2
        exit 2
    fi
    folders+=("$folder")
    mutate+=(--mutate "**/src/PostfixConfig/$folder/**/*.cs")
done

# The folder's own filter (tools/mutation/filters.txt) when one folder is given and none is set.
filter=${MUTATION_TEST_FILTER:-}
if [ -z "$filter" ] && [ ${#folders[@]} -eq 1 ]; then
    filter=$(awk -F'\t' -v f="${folders[0]}" '$1 == f { print $2 }' tools/mutation/filters.txt)
fi
filter=${filter:-Category!=Slow}
echo "run.sh: test filter: $filter" >&2

name=$(IFS=+; echo "${folders[*]}")
out="$root/tests/mutation/out/$name"
rm -rf "$out"
mkdir -p "$out"

dotnet tool restore >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Options the command line of Stryker 5.1 does not take go into a config file.
cat > "$out/stryker-config.json" <<'JSON'
{ "stryker-config": { "ignore-methods": [ "TestHooks.Pause" ] } }
JSON
# Stryker is run from the test project's folder; a mutate pattern is matched against each file's
# full path, hence the leading **/.
cd tests/PostfixConfig.Tests
nice -n "${MUTATION_NICE:-15}" dotnet stryker \
    --project PostfixConfig.csproj \
    "${mutate[@]}" \
    --mutate '!**/src/PostfixConfig/IO/TestHooks.cs' \
    --config-file "$out/stryker-config.json" \
    --test-case-filter "$filter" \
    --concurrency "${MUTATION_CONCURRENCY:-1}" \
    --reporter Json --reporter Markdown --reporter Html --reporter ClearText \
    --output "$out" \
    --log-to-file \
    --skip-version-check

json=$(find "$out" -name mutation-report.json | head -n 1)
if [ -z "$json" ]; then
    echo "run.sh: Stryker wrote no JSON report under $out" >&2
    exit 1
fi

for folder in "${folders[@]}"; do
    "$root/tools/mutation/results-row.sh" "$folder" "$json"
done
