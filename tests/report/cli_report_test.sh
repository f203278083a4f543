#!/usr/bin/env bash
# cli_report_test.sh FITCHECK CASES_DIR OUT_DIR
# `fitcheck doctor --format json --report r.html` prints the same document as without --report and
# writes a self-contained HTML report beside it (no browser needed).
set -euo pipefail

fitcheck=$1
cases_dir=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
cp -r "$cases_dir/adam_lr_10" "$out/case"
cd "$out/case"

status=0
"$fitcheck" doctor run.json --format json --probe-steps 200 --report r.html >with.json || status=$?
[[ $status -le 1 ]] || { echo "FAIL: doctor --report exited $status"; exit 1; }
status=0
"$fitcheck" doctor run.json --format json --probe-steps 200 >without.json || status=$?
[[ $status -le 1 ]] || { echo "FAIL: doctor exited $status"; exit 1; }

python3 - <<'PY'
import json, re, sys
a = json.load(open("with.json")); b = json.load(open("without.json"))
for d in (a, b):
    d.get("probe", {}).pop("seconds", None)
if a != b:
    sys.exit("FAIL: --report changed the JSON document on stdout")
html = open("r.html", encoding="utf-8").read()
if not html.startswith("<!DOCTYPE html>") or "</html>" not in html:
    sys.exit("FAIL: r.html is not a complete HTML document")
if re.search(r"https?://", html):
    sys.exit("FAIL: r.html references the network")
charts = html.count("<svg")
if charts < 6:
    sys.exit(f"FAIL: r.html has {charts} charts, expected at least 6")
if a["findings"][0]["title"].replace("'", "&#39;") not in html:
    sys.exit("FAIL: the first finding's title is not in the report")
print(f"ok: {charts} charts, {len(html)} bytes")
PY
