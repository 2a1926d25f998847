// Cases for lib/captioning/bleu.test.ts: captions of generated scenes, some
// true, some with words dropped, swapped or repeated, against every true
// caption of their scene. Piped into scripts/bleu_reference.py (NLTK).
import { Random } from "../lib/model/random.ts";
import { captionsOf, makeScenes } from "../lib/captioning/scenes.ts";
import { tokenize } from "../lib/captioning/words.ts";

const rng = new Random(2024);
const cases = [];
for (let c = 0; c < 12; c++) {
  const scenes = makeScenes("valid", 3 + c, 100 + c);
  const candidates: string[][] = [], references: string[][][] = [];
  for (const s of scenes) {
    const refs = captionsOf(s).map(tokenize);
    let cand = [...refs[Math.floor(rng.next() * refs.length)]];
    const edit = Math.floor(rng.next() * 4);
    if (edit === 1) cand.splice(Math.floor(rng.next() * cand.length), 1); // a word dropped
    if (edit === 2) cand = [...cand, ...cand.slice(0, 3)]; // too long
    if (edit === 3) cand[Math.floor(rng.next() * cand.length)] = ["red", "square", "above", "two"][Math.floor(rng.next() * 4)];
    candidates.push(cand);
    references.push(refs);
  }
  cases.push({ candidates, references });
}
process.stdout.write(JSON.stringify({ cases }) + "\n");
