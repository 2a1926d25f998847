#!/usr/bin/env node
// Retakes the README's pictures (docs/*.png) from a running explorer, in
// Debian's Chromium as the end-to-end tests use it:
//   npm start &    # or: node bin/cellscope.js serve --port 3000
//   node scripts/screenshots.mjs [http://127.0.0.1:3000] [FILE,FILE…]   (only those pictures)
import path from "node:path";
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const docs = path.resolve(import.meta.dirname, "../docs");
const model = "warpeace-2x256";

const phone = { width: 390, height: 844 };

/** [file, path, what to wait for, viewport (desktop 1280×900 unless given), "element": only that element, once loaded, or the test id of the element to take] */
const shots = [
  // The first screens: the home page leads with the famous cells; a cell opened without ?at= lands where it changes most.
  ["home.png", "/", null],
  ["home-phone.png", "/", null, phone],
  ["cell-open.png", `/models/${model}/cells/c:1:40`, "text-view"],
  ["cell-phone.png", `/models/${model}/cells/c:1:40?at=2250`, "inspector", phone],
  // A passage near the start of the test split with dialogue; the inspector on a character inside a quote.
  ["quote-cell.png", `/models/${model}/cells/c:1:40?at=2250`, "inspector"],
  ["inspector.png", `/models/${model}/cells/c:1:40?at=2250&color=surprise`, "inspector"],
  ["search.png", `/models/${model}/search?q=${encodeURIComponent('"[^"]*"')}`, "search-results"],
  ["model.png", `/models/${model}`, null],
  // The lecture's last part: a test scene captioned word by word, the words colored by a decoder unit.
  ["captioning.png", "/captioning?scene=test-3&unit=c:0:12", "caption-verdict"],
  // The Linux model's comment cell and brace-depth cell, on the same code (a block comment, then functions).
  ["linux-comment-cell.png", "/models/linux-2x256/cells/c:1:86?at=3540", "inspector"],
  ["linux-brace-cell.png", "/models/linux-2x256/cells/c:1:136?at=3540", "inspector"],
  // Causal views: the quote cell knocked out over dialogue, and how many units it takes to read the column.
  ["knockout.png", `/models/${model}/cells/c:1:40/knockout?from=1800&to=4800`, "knockout-map"],
  // Your own text, live, colored by the quote cell, with the inspector at the closing quote's character.
  ["try.png", `/models/${model}/try?unit=c:1:40&text=%22Well%2C%20Prince%2C%20so%20Genoa%20and%20Lucca%20are%20now%20just%20family%20estates%20of%20the%20Buonapartes.%22%0AHe%20said%20it%20quietly%2C%20and%20she%20smiled%3A%20%22I%20know.%22&at=20`, "live-inspector"],
  ["try-phone.png", `/models/${model}/try?unit=c:1:40&text=%22Well%2C%20Prince%2C%20so%20Genoa%20and%20Lucca%20are%20now%20just%20family%20estates%20of%20the%20Buonapartes.%22%0AHe%20said%20it%20quietly%2C%20and%20she%20smiled%3A%20%22I%20know.%22`, "live-text", phone],
  ["probe.png", `/models/${model}/search?signal=inside_quotes`, "probe-curve", undefined, "element"],
  // Which units the model uses for closing quotes, by knocking each out; where the models of War and Peace go wrong.
  ["effect.png", `/models/${model}/search?q=${encodeURIComponent('"[^"\n]*"')}&mode=end&rank=effect`, "effect-summary", undefined, "effect-ranking"],
  ["errors.png", "/corpora/warpeace", "error-table", undefined, "error-breakdown"],
  // The paper's Table 1, live: War and Peace's LSTM, GRU and vanilla RNN; the GRU's samples over training.
  ["corpus.png", "/corpora/warpeace", "corpus-models"],
  ["samples.png", "/models/warpeace-gru-2x256", "training-samples", undefined, "training-samples"],
  // Where lines end (P7): the newline's probability by column, Adam's War and Peace LSTM against the shared recipe's.
  ["columns-adam.png", `/models/${model}`, "columns", undefined, "columns"],
  ["columns-recipe.png", "/models/warpeace-lstm-2x256", "columns", undefined, "columns"],
];
const only = process.argv[3]?.split(",");

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const [file, url, testId, viewport, element] of shots.filter(([f]) => !only || only.includes(f))) {
    await page.setViewportSize(viewport ?? { width: 1280, height: 900 });
    await page.goto(base + url, { waitUntil: "networkidle" });
    if (testId) await page.getByTestId(testId).first().waitFor({ timeout: 180_000 });
    if (element && element !== "element") {
      await page.getByTestId(testId).first().waitFor({ timeout: 180_000 });
      await page.getByTestId(element).first().screenshot({ path: path.join(docs, file) });
    } else if (element) {
      const el = page.getByTestId(testId).first();
      await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute("aria-busy") !== "true", testId, { timeout: 60_000 });
      await el.screenshot({ path: path.join(docs, file) });
    } else await page.screenshot({ path: path.join(docs, file) });
    process.stdout.write(`${file} ← ${url}\n`);
  }
} finally {
  await browser.close();
}
