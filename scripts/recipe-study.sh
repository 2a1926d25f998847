#!/usr/bin/env bash
# P7's proxy study: which training knobs keep a War and Peace LSTM's cells
# alive and let it learn the line wrap. Each row is a 2×128 LSTM trained for 2
# epochs of War and Peace (about 6 million characters) with the recipe of
# scripts/train-recipe.sh (RMSProp 2e-3, forget bias 1, uniform ±0.08, the bias
# held twice as PyTorch holds it, clip 5 by global norm, batch 50 × 100 steps,
# no dropout, state carried across batches) and one knob changed, then measured by scripts/measure-run.sh (test
# loss, constant and saturated tanh(c) units, newline loss at column ≥ 70, best
# column cell, quote cell). One JSON line per row goes to docs/recipe-study.jsonl;
# a row already there is skipped, so running this again continues the study.
# Usage: scripts/recipe-study.sh [ROW...]   (~8 minutes a row on one free core)
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/recipe-study.jsonl
touch "$out"
base=(--corpus warpeace --cell lstm --layers 2 --hidden 128 --dropout 0 --optimizer rmsprop --lr 0.002
  --batch 50 --seq 100 --clip 5 --epochs 2 --decay-after 6 --lr-decay 0.8 --bias-copies 2 --seed 7 --valid-minutes 60 --no-samples --workers 1)
declare -A rows=(
  [base]=""
  [forget-bias-0]="--forget-bias 0"
  [bias-once]="--bias-copies 1"
  [init-0.02]="--weight-init uniform:0.02"
  [init-0.2]="--weight-init uniform:0.2"
  [adam]="--optimizer adam"
  [clip-1]="--clip 1"
  [seq-200]="--seq 200"
  [reset-10]="--reset-every 10"
  [batch-100]="--batch 100"
  [dropout-0.1]="--dropout 0.1"
)
order=(base adam bias-once forget-bias-0 init-0.02 init-0.2 clip-1 seq-200 reset-10 batch-100 dropout-0.1)
[[ $# -gt 0 ]] && order=("$@")
for row in "${order[@]}"; do
  [[ -v rows[$row] ]] || { echo "recipe-study: no row \"$row\" (rows: ${order[*]})" >&2; exit 2; }
  grep -q "\"row\":\"$row\"" "$out" && { echo "recipe-study: $row already measured"; continue; }
  dir=runs/study-$row
  resume=()
  [[ -f $dir/checkpoint.ckpt ]] && resume=(--resume)
  # shellcheck disable=SC2086
  node bin/cellscope.js train "${base[@]}" ${rows[$row]} --out "$dir" --id "study-$row" "${resume[@]}"
  m=$(scripts/measure-run.sh "$dir")
  echo "{\"row\":\"$row\",\"knob\":\"${rows[$row]:-(the recipe)}\",${m#\{}" >> "$out"
  echo "recipe-study: $row $m"
done
