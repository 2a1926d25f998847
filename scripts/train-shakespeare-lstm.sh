#!/usr/bin/env bash
# shakespeare-lstm-2x256 (P6) with the recipe every compared model shares
# (scripts/train-recipe.sh). Into runs/shakespeare-lstm-2x256; run this again to continue.
exec "$(dirname "$0")/train-recipe.sh" shakespeare lstm shakespeare-lstm-2x256 --valid-minutes 10 "$@"
