#!/usr/bin/python3
"""NLTK's corpus BLEU-4 for lib/captioning/bleu.test.ts: an independent reference.
Reads {"cases": [{"candidates": [[tok...]...], "references": [[[tok...]...]...]}...]} on stdin
and writes the same cases with "nltk": the score, to stdout.
Needs Debian's python3-nltk. Regenerate the fixture:
  node --import tsx scripts/bleu-cases.mts | /usr/bin/python3 scripts/bleu_reference.py > lib/captioning/fixtures/bleu-cases.json
"""
import json, sys
from nltk.translate.bleu_score import corpus_bleu

data = json.load(sys.stdin)
for case in data["cases"]:
    case["nltk"] = corpus_bleu(case["references"], case["candidates"], weights=(0.25, 0.25, 0.25, 0.25))
json.dump(data, sys.stdout, indent=None)
sys.stdout.write("\n")
