#!/usr/bin/env bash
# warpeace-gru-2x256 (P6, the paper's Table 1) with the one recipe the War and
# Peace LSTM uses (scripts/train-warpeace-lstm-b2.sh): char-rnn's recipe with the
# bias held twice, from PyTorch's seed-1 initial weights. Into runs/warpeace-gru-b2;
# run this again to continue.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/torch-init.sh warpeace gru
exec scripts/train-recipe.sh warpeace gru warpeace-gru-b2 --bias-copies 2 --init runs/imports/warpeace-gru-init --valid-minutes 15 "$@"
