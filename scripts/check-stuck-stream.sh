#!/usr/bin/env bash
# The recorder's stuck-stream repair (lib/record/stuck-streams.ts) on the case that
# prompted it: linux-2x256 at epoch 1 (commit 93c9e56), whose stream starting 500
# characters before test offset 188,748 stays stuck for 5,243 characters.
# Records the first 262,144 test characters (one window, ~1 min on a free core) into a
# scratch store and prints what the recorder says about that stream. Expected:
#   stuck stream at offsets 188748–193991 (7.42 nats/char, the window's median 1.77)
#   ran again with a 2000-character warm-up: 1.99 nats/char kept
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/linux-2x256"
for f in model.json weights.bin; do git show "93c9e56:models/linux-2x256/$f" > "$tmp/linux-2x256/$f"; done
CELLSCOPE_DB="$tmp/store.db" node bin/cellscope.js record --model "$tmp/linux-2x256" --chars 262144 2>&1 | tr '\r' '\n' | grep -v '^record\|^stats\|^$'
