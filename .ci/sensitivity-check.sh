#!/usr/bin/env bash
# The SALib agreement test of the sensitivity issue: a small Morris screen and a small Sobol
# analysis of the real simulator, each checked against SALib's own estimators on the same
# design and the same replicate means (.ci/salib-check.py), and each run in two shards of one
# worker merged to the same bytes as in one piece on two workers.
#
# Installs SALib from PyPI into a virtual environment of its own (under /tmp), so nothing of the
# system's Python changes. Fails loudly if SALib cannot be installed.
#
# Usage: .ci/sensitivity-check.sh [path/to/talentflow]   (default: .build/release/talentflow)
set -euo pipefail
cd "$(dirname "$0")/.."
talentflow=$(realpath "${1:-.build/release/talentflow}")
[ -x "$talentflow" ] || { echo "sensitivity check: no talentflow binary at $talentflow" >&2; exit 1; }

venv=/tmp/talentflow-salib-venv
if ! "$venv/bin/python" -c "import SALib" 2>/dev/null; then
  echo "-- installing SALib ${SALIB_VERSION:=1.6.0} and numpy into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "SALib==$SALIB_VERSION"
fi
"$venv/bin/python" -c "import importlib.metadata as m; print('-- SALib', m.version('SALib'), 'numpy', m.version('numpy'))"

work=$(mktemp -d /tmp/talentflow-sensitivity.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/base.json" <<'JSON'
{"population": {"size": 1500}, "firms": {"startups": 60}, "time": {"warmup": 12}}
JSON
measures='["move_rate_monthly", "startup_share_final", "unemployment_rate", "startups_born_per_year", "startups_failed_per_year", "mean_equity_offer"]'
parameters='{"market.leadsEmployed": [0.1, 0.5], "founding.opportunityRate": [0.008, 0.032], "utility.switchCost": [0.02, 0.16], "equity.optimism": [1, 5]}'
cat > "$work/morris.json" <<JSON
{"name": "ci-morris", "base": "base.json", "ticks": 36, "method": "morris", "trajectories": 8,
 "levels": 4, "parameters": $parameters, "measures": $measures,
 "replicates": {"count": 2, "baseSeed": 11}, "seed": 3}
JSON
cat > "$work/sobol.json" <<JSON
{"name": "ci-sobol", "base": "base.json", "ticks": 36, "method": "sobol", "samples": 16,
 "secondOrder": true, "parameters": $parameters, "measures": $measures,
 "replicates": {"count": 1, "baseSeed": 11}, "seed": 3}
JSON

for method in morris sobol; do
  echo "-- $method: whole on 2 workers, and two shards on 1 worker each, merged"
  "$talentflow" sensitivity "$work/$method.json" --out "$work/$method" --workers 2 --quiet
  "$talentflow" sensitivity "$work/$method.json" --shard 1/2 --out "$work/$method-1" --workers 1 --quiet
  "$talentflow" sensitivity "$work/$method.json" --shard 2/2 --out "$work/$method-2" --workers 1 --quiet
  "$talentflow" merge "$work/$method-1" "$work/$method-2" --out "$work/$method-merged" --quiet
  diff -r "$work/$method" "$work/$method-merged"
  echo "-- $method: against SALib"
  "$venv/bin/python" .ci/salib-check.py "$work/$method"
done
echo "sensitivity check passed"
