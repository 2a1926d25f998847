#!/usr/bin/env bash
# Promotes a training run to a shipped model: copies its best weights from
# runs/RUN into models/ID (under the new id), measures its loss over the whole
# test split and stores the 5,000-character check the shipped-model test repeats
# (models/README.md). The run can go on training; run this again to promote a
# later epoch.
# Usage: scripts/ship-run.sh runs/warpeace-gru-b2 warpeace-gru-2x256
set -euo pipefail
cd "$(dirname "$0")/.."
src=$1 id=$2
mkdir -p "models/$id"
cp "$src/weights.bin" "models/$id/weights.bin"
node -e 'const fs=require("fs"); const m=JSON.parse(fs.readFileSync(process.argv[1],"utf8")); m.id=process.argv[3]; fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 1) + "\n");' "$src/model.json" "models/$id/model.json" "$id"
node bin/cellscope.js eval --model "$id" --json
node bin/cellscope.js eval --model "$id" --start 0 --chars 5000 --save-check --json
