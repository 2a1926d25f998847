/**
 * /captioning against the e2e captioner (e2e/fixtures/models/captioner-lstm, a
 * tiny one: `npx cellscope train-captioner --out e2e/fixtures/models/captioner-lstm
 * --hidden 64 --features 32 --scenes 4000 --epochs 3 --valid-scenes 100 --test-scenes 100`).
 * Its captions are poor; what is tested is the page: the caption word by word,
 * the top-5 at a step, the verdict, the words colored by a unit as the API
 * says, drawing a scene, and bad input explained.
 */
import { expect, test } from "@playwright/test";

test("a test scene's caption appears word by word, with the top-5 at each step and the words colored by a unit", async ({ page, request }) => {
  await page.goto("/captioning?scene=test-3&unit=c:0:5");
  await expect(page.getByRole("heading", { name: "Captioning: one to many" })).toBeVisible();
  await expect(page.getByText("The pictures and their captions are made by code")).toBeVisible();
  const api = await (await request.post("/api/captioning", { data: { scene: "test-3", unit: "c:0:5" } })).json();
  const words = page.getByTestId("caption-word");
  await expect(words).toHaveCount(api.steps.length);
  expect(await words.allInnerTexts()).toEqual(api.steps.map((s: { word: string }) => s.word));
  await expect(words.nth(1)).toHaveAttribute("title", `c:0:5 = ${api.unit.values[1].toFixed(3)}`);
  await expect(page.getByTestId("caption-verdict")).toContainText(api.true ? "✓ true of the scene" : "✗ not true of the scene");
  // Beam search's caption of the same picture beside it.
  await expect(page.getByTestId("beam-caption")).toContainText(api.beam.caption);
  await expect(page.getByTestId("beam-caption")).toContainText(api.beam.true ? "✓ true" : "✗ not true");
  // The top-5 at a clicked step: the API's words and probabilities.
  await words.nth(1).click();
  const rows = page.getByTestId("top5").locator("tr");
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText(api.steps[1].top[0].word);
  await expect(rows.first()).toContainText(`${(api.steps[1].top[0].p * 100).toFixed(1)}%`);
  await expect(page.getByTestId("references").locator("li").first()).toHaveText(api.references[0]);
  // Another test scene from the strip, keeping the unit.
  await page.getByRole("link", { name: "test-5", exact: true }).click();
  await expect(page).toHaveURL(/scene=test-5&unit=c%3A0%3A5/);
  await expect(page.getByRole("link", { name: "test-5", exact: true })).toHaveAttribute("aria-current", "true");
});

test("draw a scene, caption it, and share the link; overlapping shapes and bad units are explained", async ({ page, request }) => {
  // Drawing starts from the scene one was looking at.
  await page.goto("/captioning?scene=test-3");
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByRole("link", { name: "draw your own (start from this one)" }).click();
  await expect(page).toHaveURL(/objects=/);
  await expect(page.getByRole("button", { name: "caption my drawing" })).toBeEnabled();

  await page.goto("/captioning?objects=circle.red.large.16.16");
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  const canvas = page.getByTestId("scene-canvas");
  const box = (await canvas.boundingBox())!;
  // A small blue square below it (picture pixels ~ (16, 50)).
  await page.getByTestId("draw-tools").getByLabel("shape").selectOption("square");
  await page.getByTestId("draw-tools").getByLabel("color").selectOption("blue");
  await page.getByTestId("draw-tools").getByLabel("size").selectOption("small");
  await canvas.click({ position: { x: (box.width * 16) / 63, y: (box.height * 50) / 63 } });
  await page.getByRole("button", { name: "caption my drawing" }).click();
  await expect(page).toHaveURL(/objects=circle\.red\.large\.16\.16_square\.blue\.small\.(15|16|17)\.(49|50|51)/);
  await expect(page.getByTestId("references").locator("li").first()).toContainText("a large red circle");
  await expect(page.getByTestId("caption-verdict")).toBeVisible();
  // The same link, fresh: the server renders the same caption.
  const url = page.url();
  const words = await page.getByTestId("caption-word").allInnerTexts();
  await page.goto(url);
  await expect(page.getByTestId("caption-word")).toHaveCount(words.length);

  await page.goto("/captioning?objects=circle.red.large.20.20_square.blue.small.24.24");
  await expect(page.getByTestId("caption-problem")).toContainText("shapes 1 and 2 overlap: move them apart");
  await page.goto("/captioning?scene=test-1&unit=q:0:1");
  await expect(page.getByTestId("caption-problem")).toContainText('"q:0:1" is not a unit id');
  const bad = await request.post("/api/captioning", { data: { scene: "test-1", objects: [] } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/draw at least one shape|give a scene id or objects/);
  await page.goto("/captioning?objects=circle.red.large.3.30");
  await expect(page.getByTestId("caption-problem")).toContainText("shape 1 runs off the picture");
  const tooMany = await request.post("/api/captioning", { data: { objects: Array(4).fill({ shape: "circle", color: "red", size: "small", x: 10, y: 10 }) } });
  expect((await tooMany.json()).error.message).toContain("at most 3 shapes");
});

test("the captioner's decoder is in the store: its page, a search over the test captions, and live text refused with a pointer", async ({ page, request }) => {
  await page.goto("/models/captioner-lstm");
  await expect(page.getByTestId("captioner-note")).toContainText("Recorded teacher-forced over the canonical caption (objects named left to right) of each of 1,000 test scenes");
  await expect(page.getByRole("link", { name: "Caption a scene" }).first()).toHaveAttribute("href", "/captioning");
  await expect(page.getByTestId("try-link")).toHaveCount(0);
  // Units that fire on color words: a regex over the recorded captions, ranked as for any model.
  const api = await (await request.get("/api/models/captioner-lstm/search?q=red%7Cgreen%7Cblue%7Cyellow&limit=5")).json();
  expect(api.results).toHaveLength(5);
  await page.goto("/models/captioner-lstm/search?q=red%7Cgreen%7Cblue%7Cyellow");
  await expect(page.getByTestId("result-unit").first()).toHaveText(api.results[0].unit);
  // /learn's captioning step leads there too.
  await page.goto("/learn#step-captioning");
  await page.getByRole("link", { name: "units that fire on color words" }).click();
  await expect(page).toHaveURL(/\/models\/captioner-lstm\/search\?q=red%7Cgreen%7Cblue%7Cyellow/);
  await expect(page.getByTestId("result-unit").first()).toHaveText(api.results[0].unit);
  // Typed text is for char models: a clear refusal in the API's one error shape.
  const run = await request.post("/api/models/captioner-lstm/run", { data: { text: "a red circle", unit: "c:0:1" } });
  expect(run.status()).toBe(400);
  expect((await run.json()).error).toMatchObject({ code: "captioner_model", message: expect.stringMatching(/captioner's decoder.*\/captioning/) });
});

test("the captions corpus: signals made for captions, each decoder's best unit for them, and none of the char-model panels", async ({ page, request }) => {
  await page.goto("/corpora/captions");
  const detectors = page.getByTestId("corpus-detectors");
  for (const signal of ["color_word", "shape_word", "size_word", "relation_word", "after_relation", "shapes_named"]) await expect(detectors).toContainText(signal);
  // Prose's and code's signals are not offered for captions; the column is, as for any text.
  await expect(detectors).not.toContainText("inside_quotes");
  await expect(detectors).not.toContainText("brace_depth");
  await expect(detectors).toContainText("chars_since_newline");
  await expect(page.getByTestId("corpus-finding")).toContainText("per word, not per character");
  await expect(page.getByRole("heading", { name: "Where they go wrong" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "/captioning" })).toHaveAttribute("href", "/captioning");
  // The table's unit is the search engine's best for the signal.
  const api = await (await request.get("/api/models/captioner-lstm/search?signal=color_word&limit=1")).json();
  await expect(detectors.getByRole("row", { name: /color_word/ })).toContainText(api.results[0].unit);
  // The search page opens on the captions' own first signal.
  await page.goto("/models/captioner-lstm/search");
  await expect(page.getByTestId("signal-select")).toHaveValue("color_word");
});
