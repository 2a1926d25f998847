#!/usr/bin/env bash
# P7: runs/warpeace-lstm-b2 (the shipped recipe, 20 epochs) continued with
# char-rnn's own schedule instead of the recipe's ×0.8 an epoch after the 6th:
# 2e-3 × 0.97 an epoch after the 10th (1.4e-3 at epoch 21), to 40 epochs.
# Why: by epoch 20 the recipe's learning rate was 1e-4 and the newline at
# column ≥ 70 had stopped improving (0.39–0.46 nats from epoch 15 to 20).
# Start it from a copy of runs/warpeace-lstm-b2 (checkpoint.ckpt, model.json,
# weights.bin) in runs/warpeace-lstm-b3; run this again to continue.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/train-recipe.sh warpeace lstm warpeace-lstm-b3 --bias-copies 2 --valid-minutes 15 \
  --lr 0.002 --lr-decay 0.97 --decay-after 10 --epochs 40 "$@"
