#!/usr/bin/env bash
# P7's War and Peace LSTM with char-rnn's recipe as PyTorch runs it
# (docs/recipe-study.md): scripts/train-recipe.sh with the bias held twice
# (--bias-copies 2) from PyTorch's seed-1 initial weights (scripts/torch-init.sh).
# Grew the line-length cell (c:1:67, r −0.92) by epoch 3. Into
# runs/warpeace-lstm-b2; run this again to continue.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/torch-init.sh warpeace lstm
exec scripts/train-recipe.sh warpeace lstm warpeace-lstm-b2 --bias-copies 2 --init runs/imports/warpeace-lstm-init --valid-minutes 15 "$@"
