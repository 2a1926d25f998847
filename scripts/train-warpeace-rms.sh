#!/usr/bin/env bash
# P7's War and Peace retrain with char-rnn's recipe (RMSProp 2e-3, decay 0.95,
# forget-gate bias 1, uniform ±0.08, no dropout, batch 50 × 100 steps, clip 5),
# the recipe ../shared/NOTES.md found to keep cells alive and grow the
# line-length cell. Checkpoints every 5 minutes into runs/warpeace-rms; run this
# again to continue where it stopped (Ctrl-C writes a checkpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
resume=()
[[ -f runs/warpeace-rms/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus warpeace --layers 2 --hidden 256 --dropout 0 \
  --optimizer rmsprop --lr 0.002 --batch 50 --seq 100 --epochs 12 --decay-after 6 --lr-decay 0.8 \
  --seed 7 --valid-minutes 15 --out runs/warpeace-rms --id warpeace-rms "${resume[@]}" "$@"
