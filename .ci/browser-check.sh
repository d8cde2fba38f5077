#!/usr/bin/env bash
# Renders the report of a small run in a real browser (Debian's headless Chromium) and checks
# the screenshot: not blank, no console (JavaScript) errors, and charts actually drawn.
#
# usage: .ci/browser-check.sh [README-IMAGE.png]
#   With an argument, also writes the top of the checked report (1280x1840: header, employment,
#   moves and the Sankey) there, checked the same way; the README's screenshot is made so.
# Needs root (or chromium already installed): installs chromium with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
keep=${1:-}

loud_failure() {
  echo "" >&2
  echo "########################################################################" >&2
  echo "## BROWSER CHECK FAILED: $*" >&2
  echo "########################################################################" >&2
  exit 1
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (apt-get)"
  if ! { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium fonts-dejavu-core fonts-liberation2 >/dev/null; }; then
    loud_failure "chromium could not be installed, so the report was NOT checked in a browser"
  fi
fi
command -v chromium >/dev/null 2>&1 || loud_failure "no chromium binary after installing it"
echo "== $(chromium --version 2>/dev/null | head -n 1)"

swift build 2>&1 | tail -n 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Renders $1 (an HTML file) to $2 (PNG) and writes the browser's log to $3.
render() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --mute-audio \
    --no-first-run --enable-logging=stderr --v=0 --user-data-dir="$work/profile" \
    --window-size=1280,2400 --screenshot="$2" "file://$1" 2>"$3" >/dev/null || true
  [ -s "$2" ] || { cat "$3" >&2; loud_failure "chromium wrote no screenshot of $1"; }
}

# The check must be able to fail: a blank page and a page with a script error must be caught.
echo "== self-test of the screenshot check"
printf '<!DOCTYPE html><html><body></body></html>\n' >"$work/blank.html"
render "$work/blank.html" "$work/blank.png" "$work/blank.log"
if python3 .ci/check-report-screenshot.py "$work/blank.png" "$work/blank.log" >/dev/null 2>&1; then
  loud_failure "the check passed a blank page"
fi
printf '<!DOCTYPE html><html><body><script>notDefined();</script></body></html>\n' \
  >"$work/error.html"
render "$work/error.html" "$work/error.png" "$work/error.log"
grep -q "Uncaught ReferenceError" "$work/error.log" ||
  loud_failure "the browser log does not show console errors, so errors would go unnoticed"
echo "blank page and script error are both caught"

echo "== a small run with --report"
.build/debug/talentflow run --set population.size=2000 --set firms.startups=80 --ticks 60 \
  --out "$work/run" --quiet --report
page="$work/run/report.html"
[ -s "$page" ] || loud_failure "talentflow run --report wrote no report.html"
if grep -qi "<script" "$page"; then loud_failure "report.html contains a script"; fi
if grep -q '"report.html"' "$work/run/manifest.json"; then
  loud_failure "manifest.json lists report.html, which is derived and unchecksummed"
fi

echo "== rendering report.html in chromium"
render "$page" "$work/report.png" "$work/report.log"
python3 .ci/check-report-screenshot.py "$work/report.png" "$work/report.log" ||
  loud_failure "the rendered report failed its checks (see above)"
if [ -n "$keep" ]; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --mute-audio --no-first-run \
    --enable-logging=stderr --v=0 --user-data-dir="$work/profile" --window-size=1280,1840 \
    --screenshot="$work/top.png" "file://$page" 2>"$work/top.log" >/dev/null || true
  python3 .ci/check-report-screenshot.py "$work/top.png" "$work/top.log" ||
    loud_failure "the README screenshot failed its checks"
  cp "$work/top.png" "$keep"
  echo "README screenshot written to $keep ($(wc -c <"$keep") bytes)"
fi
echo "browser check passed"
