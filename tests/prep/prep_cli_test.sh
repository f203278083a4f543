#!/usr/bin/env bash
# End-to-end: `fitcheck prep fit` on a development case, `prep apply` to CSV and NPY, and the
# exit status 2 with a located message for unusable input.
set -euo pipefail
fitcheck="$1"; cases="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
case_dir="$cases/categorical_strings_auto_healthy"

"$fitcheck" prep fit "$case_dir/run.json" -o "$work/pipeline.json" > "$work/fit.txt"
grep -q "color .*low_cardinality" "$work/fit.txt" || { echo "fit output lacks the decision:"; cat "$work/fit.txt"; exit 1; }
grep -q '"format": "fitcheck.pipeline"' "$work/pipeline.json" || { echo "pipeline.json lacks its format"; exit 1; }

"$fitcheck" prep apply "$work/pipeline.json" "$case_dir/train.csv" -o "$work/out.csv" > /dev/null
header=$(head -1 "$work/out.csv")
[[ "$header" == "color_blue,color_green,color_red,size" ]] || { echo "unexpected header: $header"; exit 1; }
rows=$(($(wc -l < "$work/out.csv") - 1))
[[ "$rows" == "$(($(wc -l < "$case_dir/train.csv") - 1))" ]] || { echo "row count differs: $rows"; exit 1; }

"$fitcheck" prep apply "$work/pipeline.json" "$case_dir/train.csv" -o "$work/out.npy" > /dev/null
head -c 6 "$work/out.npy" | grep -q "NUMPY" || { echo "out.npy is not an .npy file"; exit 1; }

# Different columns: exit 2 and a message that lists them.
set +e
"$fitcheck" prep apply "$work/pipeline.json" "$cases/missing_values/train.csv" -o "$work/bad.csv" 2> "$work/err.txt"
status=$?
set -e
[[ $status == 2 ]] || { echo "expected exit 2, got $status"; exit 1; }
grep -q 'missing column "color"' "$work/err.txt" || { echo "message lacks the difference:"; cat "$work/err.txt"; exit 1; }
[[ ! -e "$work/bad.csv" ]] || { echo "a failed apply left an output file"; exit 1; }
echo "prep CLI ok"
