#!/usr/bin/env bash
# shakespeare-lstm-2x256 (P6) with the one recipe every compared model shares
# (scripts/train-warpeace-rms.sh: char-rnn's RMSProp 2e-3, decay 0.95, forget
# bias 1, uniform ±0.08, no dropout, batch 50 × 100 steps, clip 5, ×0.8 a
# epoch after the 6th). Checkpoints every 5 minutes into
# runs/shakespeare-lstm-2x256; run this again to continue (Ctrl-C writes one).
set -euo pipefail
cd "$(dirname "$0")/.."
resume=()
[[ -f runs/shakespeare-lstm-2x256/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus shakespeare --cell lstm --layers 2 --hidden 256 --dropout 0 \
  --optimizer rmsprop --lr 0.002 --batch 50 --seq 100 --epochs 12 --decay-after 6 --lr-decay 0.8 \
  --seed 7 --valid-minutes 10 --out runs/shakespeare-lstm-2x256 --id shakespeare-lstm-2x256 "${resume[@]}" "$@"
