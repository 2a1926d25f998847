#!/usr/bin/env bash
# P10 §4 and P7: the paper's biggest War and Peace model, 3×512 LSTM, on the one
# recipe every compared model shares but at half its learning rate (RMSProp 1e-3;
# at 2e-3 it sat on the unigram plateau, loss 3.11, for its first 1.2 epochs;
# scripts/train-recipe.sh is otherwise the same:
# forget bias 1, uniform ±0.08, no dropout, batch 50 × 100, clip 5, 12 epochs,
# ×0.8 an epoch after the 6th, seed 7), with the bias held twice as PyTorch
# holds it (--bias-copies 2), from Cellscope's own initial weights. Into
# runs/warpeace-lstm-3x512; run this again to continue. About 21 minutes an
# epoch with --workers 2 on two free cores (2,300 characters/s, native matrix product).
set -euo pipefail
cd "$(dirname "$0")/.."
resume=()
[[ -f runs/warpeace-lstm-3x512/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus warpeace --cell lstm --layers 3 --hidden 512 --dropout 0 \
  --optimizer rmsprop --lr 0.001 --batch 50 --seq 100 --epochs 12 --decay-after 6 --lr-decay 0.8 \
  --seed 7 --bias-copies 2 --valid-minutes 30 --out runs/warpeace-lstm-3x512 --id warpeace-lstm-3x512 "${resume[@]}" "$@"
