#!/usr/bin/env bash
# warpeace-rnn-2x256 (P6, the paper's Table 1) with the one recipe the War and
# Peace LSTM uses (scripts/train-warpeace-lstm-b2.sh): char-rnn's recipe with the
# bias held twice, from PyTorch's seed-1 initial weights. Into runs/warpeace-rnn-b2;
# run this again to continue.
# The vanilla RNN trains until its validation loss stops improving: stop it
# then (Ctrl-C); the best validation weights are what ships.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/torch-init.sh warpeace rnn
exec scripts/train-recipe.sh warpeace rnn warpeace-rnn-b2 --bias-copies 2 --init runs/imports/warpeace-rnn-init --valid-minutes 15 "$@"
