#!/usr/bin/env bash
# warpeace-gru-2x256 (P6, the paper's Table 1) with the recipe every compared
# model shares (scripts/train-recipe.sh), on the same data and split as the
# War and Peace LSTM. Into runs/warpeace-gru-2x256; run this again to continue.
exec "$(dirname "$0")/train-recipe.sh" warpeace gru warpeace-gru-2x256 --valid-minutes 15 "$@"
