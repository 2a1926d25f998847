#!/usr/bin/env bash
# warpeace-rnn-2x256 (P6, the paper's Table 1) with the recipe every compared
# model shares (scripts/train-recipe.sh), on the same data and split. The
# vanilla RNN trains until its validation loss stops improving: stop it then
# (Ctrl-C); the best validation weights are what ships. Into runs/warpeace-rnn-2x256.
exec "$(dirname "$0")/train-recipe.sh" warpeace rnn warpeace-rnn-2x256 --valid-minutes 15 "$@"
