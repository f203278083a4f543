#!/usr/bin/env bash
# browser_test.sh FITCHECK CASES_DIR OUT_DIR
# Renders the HTML report (`fitcheck doctor run.json --fix --report r.html`) of development cases,
# and `fitcheck profile --report` of one case's data, and opens each in headless Chromium (Debian's `chromium`). Checks: the report references nothing
# outside itself, the browser logs no console message (the report's Content-Security-Policy makes
# any request or script a logged violation), every chart in the rendered DOM has a drawn path, and
# the 1280 px screenshot is not blank. Exit 77 (skipped) when chromium is not installed.
set -euo pipefail

fitcheck=$1
cases_dir=$2
out=$3
# case:fewest charts expected. feature_count_mismatch cannot train: its report says the probe was
# skipped and shows only the repair.
cases=(unscaled_regression:9 adam_lr_10:13 feature_count_mismatch:3)

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [[ -z "$browser" ]]; then
  echo "SKIPPED: chromium is not installed (apt-get install chromium, or scripts/install-deps.sh test)"
  exit 77
fi

chromium_run() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --disable-extensions --hide-scrollbars "$@"
}

fail=0
problem() { echo "FAIL: $*"; fail=1; }

# check_report NAME HTML MIN_CHARTS: the checks above on one rendered report.
check_report() {
  local c=$1 html=$2 min_charts=$3 work
  work=$(dirname "$html")
  if grep -qE 'https?://' "$html"; then problem "$c: the report references the network: $(grep -oE 'https?://[^" <]*' "$html" | head -3)"; fi
  charts=$(grep -o '<svg' "$html" | wc -l)
  if [[ $charts -lt $min_charts ]]; then problem "$c: expected at least $min_charts charts, found $charts"; fi

  # The DOM as the browser built it, with the console on stderr.
  chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$html" >"$work/$c.dom.html" 2>"$work/$c.console.log" || \
    problem "$c: chromium --dump-dom failed"
  if grep -E 'CONSOLE|Uncaught|Content Security Policy' "$work/$c.console.log"; then
    problem "$c: the browser logged console messages (above)"
  fi
  dom_charts=$(grep -o '<svg' "$work/$c.dom.html" | wc -l)
  if [[ $dom_charts -ne $charts ]]; then problem "$c: $charts charts in the file, $dom_charts in the rendered DOM"; fi
  # Every chart has a path with drawing commands (a series line or a bar).
  drawn=$(tr '\n' ' ' <"$work/$c.dom.html" | sed 's#</svg>#</svg>\n#g' | grep '<svg' | \
          grep -cE '<path d="M[0-9.]+ [0-9.]+[LVH][^"]*" (class="series"|fill="[^"]+" class="bar")' || true)
  if [[ $drawn -ne $charts ]]; then problem "$c: only $drawn of $charts charts have a drawn series or bar"; fi

  png="$out/$c.png"
  chromium_run --screenshot="$png" --window-size=1280,2000 "file://$html" >/dev/null 2>"$work/$c.screenshot.log" || \
    problem "$c: chromium --screenshot failed"
  size=$(stat -c %s "$png" 2>/dev/null || echo 0)
  # A blank 1280x2000 page compresses to a few KB; the report with its charts is far larger.
  if [[ $size -lt 30000 ]]; then problem "$c: screenshot $png is $size bytes (blank?)"; fi
  # On a phone-sized window the page still renders (the CSS stacks the charts in one column).
  phone="$out/$c.phone.png"
  chromium_run --screenshot="$phone" --window-size=390,1600 "file://$html" >/dev/null 2>>"$work/$c.screenshot.log" || \
    problem "$c: chromium --screenshot at 390 px failed"
  phone_size=$(stat -c %s "$phone" 2>/dev/null || echo 0)
  if [[ $phone_size -lt 15000 ]]; then problem "$c: phone screenshot $phone is $phone_size bytes (blank?)"; fi
  echo "$c: $charts charts, screenshots $png ($size bytes), $phone ($phone_size bytes)"
}

rm -rf "$out"
mkdir -p "$out"
for entry in "${cases[@]}"; do
  c=${entry%%:*}
  min_charts=${entry##*:}
  work="$out/$c"
  cp -r "$cases_dir/$c" "$work"
  status=0
  (cd "$work" && "$fitcheck" doctor run.json --fix --report r.html >doctor.txt 2>doctor.err) || status=$?
  if [[ $status -gt 1 || ! -s "$work/r.html" ]]; then
    problem "$c: fitcheck doctor --report exited $status without a report"; cat "$work/doctor.err"; continue
  fi
  if [[ $c == feature_count_mismatch ]] && ! grep -q 'Probe skipped' "$work/r.html"; then problem "$c: no probe-skipped notice"; fi
  for section in findings data model; do
    grep -q "<section id=\"$section\">" "$work/r.html" || problem "$c: no $section section"
  done
  check_report "$c" "$work/r.html" "$min_charts"
done

# `fitcheck profile --report` on data with missing values: missing values, scales, classes.
work="$out/profile_missing_values"
cp -r "$cases_dir/missing_values" "$work"
if (cd "$work" && "$fitcheck" profile train.csv --target label --report p.html >profile.txt 2>profile.err) && [[ -s "$work/p.html" ]]; then
  grep -q 'Missing values per column' "$work/p.html" || problem "profile: no missing-values chart"
  check_report profile_missing_values "$work/p.html" 3
else
  problem "profile --report wrote no report"; cat "$work/profile.err"
fi
exit $fail
