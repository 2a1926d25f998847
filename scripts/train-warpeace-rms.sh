#!/usr/bin/env bash
# P7's War and Peace retrain with char-rnn's recipe (scripts/train-recipe.sh),
# the recipe ../shared/NOTES.md found to keep cells alive and grow the
# line-length cell. Into runs/warpeace-rms; run this again to continue.
exec "$(dirname "$0")/train-recipe.sh" warpeace lstm warpeace-rms --valid-minutes 15 "$@"
