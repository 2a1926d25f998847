#!/usr/bin/env bash
# The one training recipe every compared 2×256 model shares (P6, P7): char-rnn's
# RMSProp 2e-3 (decay 0.95), forget-gate bias 1 (LSTM), weights uniform ±0.08,
# no dropout, batch 50 × 100 steps, clip 5, 12 epochs, ×0.8 an epoch after the
# 6th, seed 7. Checkpoints every 5 minutes into runs/ID; run it again to
# continue where it stopped (Ctrl-C writes a checkpoint).
# Usage: scripts/train-recipe.sh CORPUS CELL ID [more train options]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 cell=$2 id=$3
shift 3
resume=()
[[ -f runs/$id/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus "$corpus" --cell "$cell" --layers 2 --hidden 256 --dropout 0 \
  --optimizer rmsprop --lr 0.002 --batch 50 --seq 100 --epochs 12 --decay-after 6 --lr-decay 0.8 \
  --seed 7 --out "runs/$id" --id "$id" "${resume[@]}" "$@"
