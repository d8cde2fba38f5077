#!/usr/bin/env bash
# Fuzzes TalentFlow with thousands of hostile inputs: configurations at and beyond every key's
# range, wrong types, unknown and duplicate keys, malformed JSON, scenario events, extends
# chains and odd command-line options, each through `talentflow validate` and a short
# `talentflow run`. The generator and the checks are the fuzz test's
# (Tests/TalentFlowTests/Fuzz/); this runs many more cases, with a seed `swift test` does not use.
#
# Usage: .ci/fuzz.sh [BINARY] [CASES] [SEED]
#   BINARY  the talentflow binary to test (default .build/debug/talentflow)
#   CASES   number of cases (default $TALENTFLOW_FUZZ_CASES, else 2000)
#   SEED    seed of the cases (default $TALENTFLOW_FUZZ_SEED, else 20261204); a seed and a case
#           number always make the same input
# Each failing case is saved in $TALENTFLOW_FUZZ_FINDINGS (default .build/fuzz-findings), in
# seed-S-case-N/: its input files, finding.txt (what failed, the commands and their exits) and
# reproduce.sh (runs the two commands there; TALENTFLOW=path/to/talentflow picks the binary).
# To rerun one case through the checks: TALENTFLOW_FUZZ_SEED=S TALENTFLOW_FUZZ_CASE=N
# swift test --filter ConfigurationFuzzTests.
#
# Prints "fuzz: N cases, C crashes, H hangs, B blank cells, L lost files, O other findings" (each
# a number of cases; "other": wrong exit codes, validate and run disagreeing, an invalid input
# accepted, broken identities, messages naming no file) and exits 1 on any finding, and when the
# test run itself fails or reports fewer cases than asked for. Needs the test target built
# (`swift build --build-tests`, or a previous `swift test`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

binary=$(realpath "${1:-.build/debug/talentflow}")
cases=${2:-${TALENTFLOW_FUZZ_CASES:-2000}}
seed=${3:-${TALENTFLOW_FUZZ_SEED:-20261204}}
findings=${TALENTFLOW_FUZZ_FINDINGS:-$PWD/.build/fuzz-findings}
if [[ ! -x "$binary" ]]; then
  echo "fuzz: no talentflow binary at $binary; run swift build first" >&2
  exit 2
fi
rm -rf "$findings"
mkdir -p "$findings"
findings=$(realpath "$findings")

echo "fuzz: $cases cases, seed $seed, binary $binary"
started=$(date +%s)
status=0
TALENTFLOW_BINARY="$binary" TALENTFLOW_FUZZ_SEED="$seed" TALENTFLOW_FUZZ_CASES="$cases" \
  TALENTFLOW_FUZZ_FINDINGS="$findings" \
  swift test --filter ConfigurationFuzzTests >"$findings/swift-test.log" 2>&1 || status=$?
seconds=$(($(date +%s) - started))

# One line a case: "N ms=T validate=E run=E KINDS KNOWN", where E is an exit code, signal-N,
# hang or skipped; KINDS is "ok" or the kinds of finding, comma-separated; KNOWN is "known" when
# the input exercises a bug class being fixed elsewhere, else "-".
log="$findings/cases.log"
touch "$log"
read -r ran crashes hangs blank lost other failing known completed < <(awk '
  { n++; if ($4 == "run=0") done++ }
  $5 != "ok" {
    failing++; if ($6 == "known") known++
    split($5, kinds, ","); extra = 0
    for (i in kinds) {
      if (kinds[i] == "crash") crash++
      else if (kinds[i] == "hang") hang++
      else if (kinds[i] == "blank-cell") blank++
      else if (kinds[i] == "lost-file") lost++
      else extra = 1
    }
    other += extra
  }
  END {
    print n + 0, crash + 0, hang + 0, blank + 0, lost + 0, other + 0, failing + 0, known + 0,
      done + 0
  }
' "$log")
slowest=$(awk '{ t = substr($2, 4) + 0; if (t >= max) { max = t; c = $1 } }
  END { if (NR) print "case " c ", " max " ms" }' "$log")

echo "fuzz: $ran cases, $crashes crashes, $hangs hangs, $blank blank cells, $lost lost files," \
  "$other other findings ($completed runs completed; ${seconds} s; slowest ${slowest:-none})"
if ((failing > 0)); then
  echo "fuzz: $failing failing cases ($known of them exercise a known risk), saved in $findings:"
  for folder in "$findings"/seed-*; do
    [[ -d "$folder" ]] || continue
    echo "  $(basename "$folder"): $(head -n 1 "$folder/finding.txt" | sed 's/^fuzz [^:]*: //')"
  done
fi
if ((ran != cases)); then
  echo "fuzz: only $ran of $cases cases reported; see $findings/swift-test.log" >&2
  tail -n 20 "$findings/swift-test.log" >&2
  exit 1
fi
if ((failing > 0 || status != 0)); then
  exit 1
fi
