#!/usr/bin/env bash
# P7's measures of one trained model (a run's folder or a model in models/), the
# same a user gets from the product: records it into a scratch store (set-up),
# then prints one JSON line with
#   nats          the recording's loss over the whole split (nats/char)
#   constant      share of tanh(c) units with std < 0.001 (lib/api/limits.ts);
#                 for a cell without c (GRU, RNN), of its h units
#   saturated     share of those units with |mean| > 0.99
#   newline70     mean loss of a newline at column ≥ 70 (cellscope columns)
#   column        best |r| for chars_since_newline and line_fraction (cellscope search)
#   quote60k      best r for inside_quotes over the first 60,000 test characters
# SPLIT=valid measures all of it on the validation split instead (what a
# checkpoint may be chosen by without looking at the test split).
# Usage: [SPLIT=valid] scripts/measure-run.sh runs/warpeace-rms [ID]   (~1-2 min on a free core)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
id=${2:-$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]+"/model.json","utf8")).id)' "$src")}
mkdir -p "$tmp/models/$id"
cp "$src/model.json" "$src/weights.bin" "$tmp/models/$id/"
export CELLSCOPE_DB="$tmp/store.db" CELLSCOPE_MODELS="$tmp/models"
node bin/cellscope.js setup > "$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log" >&2; exit 1; }
cs() { node bin/cellscope.js "$@"; }
split=${SPLIT:-test}
# The views read a model's recording of the validation split before the test split's (lib/store/recordings.ts).
[[ $split == test ]] || cs record --model "$id" --split "$split" > "$tmp/record.log" 2>&1 || { cat "$tmp/record.log" >&2; exit 1; }
nats=$(sqlite3 "$tmp/store.db" "select nats from Recording where modelId='$id' and status='complete' and split='$split'")
kind=$(sqlite3 "$tmp/store.db" "select case when exists(select 1 from Unit u join Recording r on r.id = u.recordingId where r.modelId='$id' and r.split='$split' and u.kind='c') then 'c' else 'h' end")
units=$(sqlite3 "$tmp/store.db" "select sum(std < 0.001), sum(abs(mean) > 0.99), count(*) from Unit u join Recording r on r.id = u.recordingId where r.modelId='$id' and r.split='$split' and u.kind='$kind'")
nl=$(cs columns --model "$id" --width 10 --last 70 --json | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8")); const b=r.buckets.at(-1); console.log(b.targetNats.toFixed(3))')
best() { cs search --model "$id" --signal "$1" --limit 1 "${@:2}" --json | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8")).results[0]; console.log(JSON.stringify({unit:r.unit,r:r.r}))'; }
IFS='|' read -r constant saturated total <<< "$units"
echo "{\"model\":\"$id\",\"split\":\"$split\",\"nats\":$nats,\"stateKind\":\"$kind\",\"constant\":$(awk "BEGIN{printf \"%.3f\", $constant/$total}"),\"saturated\":$(awk "BEGIN{printf \"%.3f\", $saturated/$total}"),\"newline70\":$nl,\"chars_since_newline\":$(best chars_since_newline),\"line_fraction\":$(best line_fraction),\"quote60k\":$(best inside_quotes --to 60000)}"
