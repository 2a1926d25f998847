import * as tf from "@tensorflow/tfjs";
import type { Tensor2D } from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { zeroState, type CellState } from "../model/cell.ts";
import { forward } from "../model/network.ts";
import { loadCaptioner } from "../captioning/captioner-file.ts";
import { encode, imagesTensor } from "../captioning/encoder.ts";
import { canonicalCaption, makeScenes, renderScene } from "../captioning/scenes.ts";
import { START, WORDS, wordIds } from "../captioning/words.ts";
import { setupStore } from "../store/setup-store.ts";
import { createPrisma, type PrismaClient } from "../db.ts";
import { openBulk, readChars, TOP_N } from "../store/activations.ts";
import { FIXTURE_CAPTIONER_DIR as FIXTURE, throwawayStore } from "../testing/throwaway-store.ts";
import { findRecording, readUnitValues } from "../store/recordings.ts";
import { searchRecording } from "../search/search.ts";
import { captionText, recordCaptioner } from "./record-captions.ts";

const store = throwawayStore("captions");
let prisma: PrismaClient;

beforeAll(async () => {
  await setupStore();
  prisma = createPrisma(store.file); // its own client: the shared one may have been made before the line above ran
  await initBackend("wasm");
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await store.remove();
});

describe("captionText", () => {
  it("lays captions out a line each and maps each character to the word whose state it shows", () => {
    const t = captionText(["a red circle, a blue square", "two green triangles"]);
    expect(t.text).toBe("a red circle, a blue square\ntwo green triangles\n");
    const at = (s: string, from = 0) => t.text.indexOf(s, from);
    // "a" is word 1, the gap after it too; "red" is word 2; the comma (word 4) follows "circle" (word 3) with no gap.
    expect([t.step[0], t.step[1], t.step[at("red")], t.step[at("circle") + 5], t.step[at(",")], t.step[at(",") + 1]]).toEqual([1, 1, 2, 3, 4, 4]);
    expect(t.step[at("\n")]).toBe(7); // after "square", the 7th token
    expect([t.scene[at("\n")], t.scene[at("two")]]).toEqual([0, 1]);
    // A guess is kept at the last character of each word's stretch: the gap, the word itself before a comma, the newline.
    const guesses = [...t.text].flatMap((c, i) => (t.guess[i] ? [i] : []));
    expect(guesses).toEqual([1, at("red") + 3, at("circle") + 5, at(",") + 1, at(" blue"), at("blue") + 4, at("\n"), at("two") + 3, at("green") + 5, at("\n", at("two"))]);
  });
});

describe("recordCaptioner", () => {
  it("stores the decoder's units and next-word losses where captionText says, as a word-by-word run finds them", async () => {
    const r = await recordCaptioner(prisma, { dir: FIXTURE, scenes: 30 });
    expect(r.outcome).toBe("recorded");
    const rec = await findRecording("captioner-lstm");
    const scenes = makeScenes("test", 30, 1);
    const captions = scenes.map(canonicalCaption);
    expect(rec.text).toBe(captions.map((c) => c + "\n").join(""));
    const model = await prisma.model.findUniqueOrThrow({ where: { id: "captioner-lstm" } });
    expect(model.kind).toBe("captioner");

    // Independent of the recorder's batched, teacher-forced chunk: one scene at a time, one word per forward call.
    const { model: m } = loadCaptioner(FIXTURE);
    const cell = cellByName(m.config.cell);
    const H = m.config.hidden;
    const layout = captionText(captions);
    const { nll, topIds, topProbs } = readChars(openBulk(), rec.id, rec.chunkChars, 0, rec.chars);
    const cValues = readUnitValues(rec, "c:0:3", 0, rec.chars);
    const hValues = readUnitValues(rec, "h:0:7", 0, rec.chars);
    let maxErr = 0, maxNll = 0, checked = 0;
    for (const b of [0, 7, 29]) {
      const words = [WORDS.indexOf(START), ...wordIds(captions[b])];
      const u = tf.tidy(() => tf.matMul(encode(m.encoder, imagesTensor([renderScene(scenes[b])])), m.Wv) as Tensor2D);
      let state: CellState[] = [zeroState(cell, 1, H)];
      const perStep: { c: number; h: number; logp: Float32Array }[] = [];
      for (const w of words) {
        const f = forward(cell, m.decoder, Int32Array.of(w), 1, state, ["c"], undefined, { pre0: u });
        perStep.push({ c: f.layers[0].series!.c.dataSync()[3], h: f.layers[0].h.dataSync()[7], logp: f.logp.dataSync() as Float32Array });
        tf.dispose([f.logp, f.layers[0].h, ...Object.values(f.layers[0].series!), ...state.flatMap((s) => Object.values(s))]);
        state = f.state;
      }
      tf.dispose([u, ...state.flatMap((s) => Object.values(s))]);
      for (let i = 0; i < rec.chars; i++) {
        if (layout.scene[i] !== b) continue;
        const s = perStep[layout.step[i]];
        maxErr = Math.max(maxErr, Math.abs(cValues[i] - s.c), Math.abs(hValues[i] - s.h));
        checked++;
        if (!layout.guess[i]) {
          expect(Number.isNaN(nll[i])).toBe(true);
          continue;
        }
        const next = words[layout.step[i] + 1] ?? 0; // <end> after the last word
        maxNll = Math.max(maxNll, Math.abs(nll[i] + s.logp[next]));
        const best = Array.from(s.logp.keys()).sort((x, y) => s.logp[y] - s.logp[x])[0];
        expect(topIds[i * TOP_N]).toBe(best);
        expect(topProbs[i * TOP_N]).toBe(Math.round(Math.exp(s.logp[best]) * 255));
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(maxErr).toBeLessThanOrEqual(1 / 255 + 1e-4); // one quantization step over [−1, 1]
    expect(maxNll).toBeLessThan(1e-4);

    // Search works on it like on any recording: a regex over the caption text ranks its units.
    const hits = await searchRecording(rec, { regex: "red|green|blue|yellow", mode: "inside", limit: 3, sort: "r" });
    expect(hits.results.map((x) => x.unit)).toHaveLength(3);
    expect(Math.abs(hits.results[0].r)).toBeGreaterThan(0.3);

    // A second run finds it done.
    expect((await recordCaptioner(prisma, { dir: FIXTURE, scenes: 30 })).outcome).toBe("exists");
  }, 60_000);
});
