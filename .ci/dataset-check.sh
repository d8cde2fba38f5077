#!/usr/bin/env bash
# Issue 8's checks on the committed dataset and notebook:
# 1. regenerate notebooks-data/talentflow-scenarios with the release build and fail if any file
#    differs from the committed one (the data cannot drift from the code);
# 2. validate its datapackage.json with Frictionless;
# 3. execute the notebook headlessly and fail on any cell error.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/talentflow}

echo "-- python tools (frictionless, pandas, matplotlib, scipy, nbclient)"
python3 -m pip install -q --disable-pip-version-check frictionless pandas matplotlib scipy \
  nbclient nbformat nbconvert ipykernel 2>&1 | grep -v "Running pip as the 'root' user" || true

echo "-- regenerate the dataset and compare with the committed files"
fresh=$(mktemp -d)/talentflow-scenarios
"$binary" dataset configs/datasets/scenarios.json --out "$fresh" --quiet
status=0
for f in notebooks-data/talentflow-scenarios/*; do
  name=$(basename "$f")
  if cmp -s "$f" "$fresh/$name"; then
    echo "identical  $name"
  else
    echo "DIFFERS    $name (regenerate with: swift run -c release talentflow dataset configs/datasets/scenarios.json --out notebooks-data/talentflow-scenarios --force)"
    status=1
  fi
done
if [ "$(ls "$fresh" | wc -l)" != "$(ls notebooks-data/talentflow-scenarios | wc -l)" ]; then
  echo "DIFFERS    the set of files"; status=1
fi
[ $status -eq 0 ] || exit 1

echo "-- frictionless validate"
(cd notebooks-data/talentflow-scenarios && frictionless validate datapackage.json)

echo "-- execute the notebook"
work=$(mktemp -d)
cp -r notebooks-data/talentflow-scenarios notebooks-data/talent-flows.ipynb "$work/"
(cd "$work" && jupyter nbconvert --to notebook --execute --output executed.ipynb talent-flows.ipynb)
echo "dataset checks passed"
