#!/usr/bin/env bash
# warpeace-rnn-2x256 (P6, the paper's Table 1) with the one recipe every
# compared model shares (scripts/train-warpeace-rms.sh: char-rnn's RMSProp
# 2e-3, decay 0.95, uniform ±0.08, no dropout, batch 50 × 100 steps, clip 5,
# ×0.8 an epoch after the 6th), on the same data and split. Checkpoints every 5
# minutes into runs/warpeace-rnn-2x256; run this again to continue (Ctrl-C
# writes one).
# The vanilla RNN trains until its validation loss stops improving: stop it
# then (Ctrl-C); the best validation checkpoint is what ships.
set -euo pipefail
cd "$(dirname "$0")/.."
resume=()
[[ -f runs/warpeace-rnn-2x256/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus warpeace --cell rnn --layers 2 --hidden 256 --dropout 0 \
  --optimizer rmsprop --lr 0.002 --batch 50 --seq 100 --epochs 12 --decay-after 6 --lr-decay 0.8 \
  --seed 7 --valid-minutes 15 --out runs/warpeace-rnn-2x256 --id warpeace-rnn-2x256 "${resume[@]}" "$@"
