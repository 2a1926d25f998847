#!/usr/bin/env bash
# P7's fair start: the initial weights PyTorch gives a CORPUS 2×256 CELL model
# with char-rnn's initialization and torch.manual_seed(1)
# (scripts/train_torch.py --export-init), imported into Cellscope as
# runs/imports/CORPUS-CELL-init, for `train --init`. With these weights and
# --bias-copies 2, Cellscope's engine takes PyTorch's steps (docs/recipe-study.md).
# Needs Debian's python3-torch (and libopenblas0-pthread). Usage: scripts/torch-init.sh warpeace gru
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 cell=$2
id=$corpus-$cell-init
[[ -f runs/imports/$id/model.json ]] && { echo "runs/imports/$id exists"; exit 0; }
mkdir -p runs/imports
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/train_torch.py --corpus "$corpus" --cell "$cell" --layers 2 --hidden 256 --seed 1 \
  --out "runs/imports/$id.torch" --export-init "runs/imports/$id.safetensors"
CELLSCOPE_MODELS=runs/imports node bin/cellscope.js import "runs/imports/$id.safetensors" --corpus "$corpus" --id "$id"
