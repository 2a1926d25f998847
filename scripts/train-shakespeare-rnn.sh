#!/usr/bin/env bash
# P6's shakespeare-rnn-1x100: min-char-rnn's recipe exactly (vanilla RNN, 1 layer of
# 100, sequences of 25, batch 1, Adagrad 0.1, elementwise clip 5 of the summed loss's
# gradients, weights 0.01·N(0, 1)), on tiny Shakespeare. Checkpoints every 5 minutes
# into runs/shakespeare-rnn-1x100; run this again to continue (Ctrl-C writes one).
set -euo pipefail
cd "$(dirname "$0")/.."
resume=()
[[ -f runs/shakespeare-rnn-1x100/checkpoint.ckpt ]] && resume=(--resume)
exec node bin/cellscope.js train --corpus shakespeare --cell rnn --layers 1 --hidden 100 --seq 25 --batch 1 --dropout 0 \
  --optimizer adagrad --lr 0.1 --lr-decay 1 --clip 5 --clip-mode value --loss sum --weight-init normal:0.01 \
  --epochs 3 --seed 1 --valid-minutes 10 --out runs/shakespeare-rnn-1x100 --id shakespeare-rnn-1x100 "${resume[@]}" "$@"
