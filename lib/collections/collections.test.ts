/**
 * Collections (lib/collections and their routes under app/api/collections)
 * and label search (lib/cells/find-labels.ts) against a real store: the e2e
 * fixture model recorded over a short slice of its test split.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-collections-"));
const saved = { db: process.env.CELLSCOPE_DB, ro: process.env.CELLSCOPE_READ_ONLY };
process.env.CELLSCOPE_DB = path.join(dir, "store.db");
delete process.env.CELLSCOPE_READ_ONLY;
const MODEL_DIR = path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";
/** A second model with no recording (being re-recorded, say): listed in collections without a preview. */
const BARE = "bare-1x8";

// Imported after CELLSCOPE_DB is set: lib/db.ts opens its client on that file.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { closeBulk } = await import("../store/activations.ts");
const { InputError, NotFoundError, ForbiddenError } = await import("../api/errors.ts");
const { getCell } = await import("../cells/get-cell.ts");
const { setLabel } = await import("../cells/set-label.ts");
const { findLabels } = await import("../cells/find-labels.ts");
const { slugify, firstFreeSlug } = await import("./make-slug.ts");
const { createCollection } = await import("./create-collection.ts");
const { addToCollection } = await import("./add-to-collection.ts");
const { removeFromCollection } = await import("./remove-from-collection.ts");
const { updateCollection } = await import("./update-collection.ts");
const { deleteCollection } = await import("./delete-collection.ts");
const { getCollection } = await import("./get-collection.ts");
const { listCollections, listCollectionsForUnit, listUnitCollections } = await import("./list-collections.ts");
const listRoute = await import("../../app/api/collections/route.ts");
const oneRoute = await import("../../app/api/collections/[slug]/route.ts");
const itemRoute = await import("../../app/api/collections/[slug]/items/[model]/[unit]/route.ts");
const labelsRoute = await import("../../app/api/labels/route.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: MODEL_DIR, split: "test", chars: 2000, gates: false, chunkChars: 1024, streams: 4, warmup: 50 });
  await prisma.model.create({ data: { id: BARE, corpusId: "warpeace", layers: 1, hidden: 8, vocabSize: 80, params: 1000, path: "models/bare-1x8" } });
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  closeBulk();
  for (const [k, v] of [["CELLSCOPE_DB", saved.db], ["CELLSCOPE_READ_ONLY", saved.ro]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` with CELLSCOPE_READ_ONLY=1. */
async function readOnly<T>(fn: () => Promise<T>): Promise<T> {
  process.env.CELLSCOPE_READ_ONLY = "1";
  try {
    return await fn();
  } finally {
    delete process.env.CELLSCOPE_READ_ONLY;
  }
}

describe("slugs", () => {
  it("makes readable URL names from titles, and numbers repeats", () => {
    expect(slugify("The famous five!")).toBe("the-famous-five");
    expect(slugify("  Élan — vital  ")).toBe("elan-vital");
    expect(slugify("<script>alert(1)</script>")).toBe("script-alert-1-script");
    expect(slugify("引用")).toBe("collection");
    expect(slugify("x".repeat(200))).toHaveLength(60);
    expect(firstFreeSlug("five", [])).toBe("five");
    expect(firstFreeSlug("five", ["five", "five-2", "fives"])).toBe("five-3");
  });
});

describe("collections", () => {
  it("creates one with its first units, checking each before writing anything", async () => {
    const c = await createCollection({
      title: "The famous five",
      description: "cells worth a look",
      items: [
        { model: ID, unit: "h:01:5", note: "line ends" },
        { model: ID, unit: "c:0:3" },
        { model: ID, unit: "h:1:5", note: "named twice: the first note stays" },
      ],
    });
    expect(c).toMatchObject({ slug: "the-famous-five", title: "The famous five", description: "cells worth a look", units: 2, models: [ID] });
    const d = await getCollection(c.slug);
    expect(d.items.map((i) => [i.unit, i.note, i.position])).toEqual([
      ["h:1:5", "line ends", 1],
      ["c:0:3", "", 2],
    ]);

    const before = (await listCollections()).length;
    await expect(createCollection({ title: "bad", items: [{ model: ID, unit: "h:1:6" }, { model: ID, unit: "h:1:64" }] })).rejects.toThrow(NotFoundError);
    await expect(createCollection({ title: "bad", items: [{ model: ID, unit: "banana" }] })).rejects.toThrow(InputError);
    await expect(createCollection({ title: "bad", items: [{ model: "nope", unit: "h:1:1" }] })).rejects.toThrow(/unknown model "nope"/);
    await expect(createCollection({ title: "   " })).rejects.toThrow(/the title is empty/);
    await expect(createCollection({ title: "two\nlines" })).rejects.toThrow(/one line/);
    await expect(createCollection({ title: "ok", items: [{ model: ID, unit: "h:1:1", note: "bell\u0007" }] })).rejects.toThrow(/control characters/);
    expect(await listCollections()).toHaveLength(before);

    // The same title again gets the next free slug.
    expect((await createCollection({ title: "The Famous Five" })).slug).toBe("the-famous-five-2");
  });

  it("adds units last, changes the note of one already there, removes them", async () => {
    const { slug } = await createCollection({ title: "Adding" });
    const a = await addToCollection(slug, { model: ID, unit: "h:0:1", note: "first" });
    const b = await addToCollection(slug, { model: ID, unit: "c:1:2", note: "second" });
    expect([a.position, a.added, b.position]).toEqual([1, true, 2]);
    const again = await addToCollection(slug, { model: ID, unit: "h:0:1", note: "first, renoted" });
    expect(again).toMatchObject({ position: 1, added: false, note: "first, renoted" });
    expect((await getCollection(slug, { previews: false })).items.map((i) => i.note)).toEqual(["first, renoted", "second"]);

    await expect(addToCollection("no-such-collection", { model: ID, unit: "h:0:1", note: "" })).rejects.toThrow(NotFoundError);
    await expect(addToCollection(slug, { model: ID, unit: "h:2:0", note: "" })).rejects.toThrow(/layer 2 does not exist/);
    await expect(addToCollection(slug, { model: ID, unit: "h:0:1", note: "x".repeat(2001) })).rejects.toThrow(/longer than 2000/);

    expect((await removeFromCollection(slug, ID, "h:0:1")).removed).toBe(true);
    expect((await removeFromCollection(slug, ID, "h:0:1")).removed).toBe(false);
    const after = await addToCollection(slug, { model: ID, unit: "h:0:9", note: "" });
    expect(after.position).toBe(3); // after the highest position, never reusing a gap in the middle
  });

  it("shows each unit with its label, note and a preview where it varies most, its peak there marked", async () => {
    await setLabel(ID, "h:1:7", { label: "Quote detector", note: "fires inside quotes" });
    const { slug } = await createCollection({ title: "Previews", items: [{ model: ID, unit: "h:1:7", note: "why: <b>quotes</b>" }, { model: ID, unit: "c:0:4" }] });
    await prisma.collectionItem.create({ data: { collectionId: (await prisma.collection.findUniqueOrThrow({ where: { slug } })).id, modelId: BARE, unit: "h:0:1", position: 3 } });
    const d = await getCollection(slug);
    expect(d.models).toEqual([ID, BARE]);
    const [quote, plain, bare] = d.items;
    expect(quote).toMatchObject({ model: ID, unit: "h:1:7", kind: "h", note: "why: <b>quotes</b>", label: { label: "Quote detector", note: "fires inside quotes" } });
    expect(plain.label).toBeNull();
    for (const it of [quote, plain]) {
      const p = it.preview!;
      expect(Array.from(p.text)).toHaveLength(p.values.length);
      const peak = p.values[p.mark[0] - p.start];
      const { stats } = await getCell(ID, it.unit);
      // The preview's value furthest from zero on the side the unit reaches furthest overall
      // (lib/cells/peak-preview.ts; the previews' contrast is tested in lib/cells/cell-views.test.ts).
      expect(peak).toBe(-stats.min > stats.max ? Math.min(...p.values) : Math.max(...p.values));
    }
    expect(bare.preview).toBeNull();
    expect(bare.problem).toMatch(/no complete recording/);
  });

  it("lists collections, newest change first, and the ones that hold a unit", async () => {
    const { slug } = await createCollection({ title: "Membership", items: [{ model: ID, unit: "h:0:20", note: "here" }] });
    const other = await createCollection({ title: "Another", items: [{ model: ID, unit: "h:0:20" }] });
    expect((await listCollections())[0].slug).toBe(other.slug);
    await addToCollection(slug, { model: ID, unit: "h:0:21", note: "" });
    expect((await listCollections())[0].slug).toBe(slug);
    expect(await listUnitCollections(ID, "h:0:20")).toEqual([
      { slug: other.slug, title: "Another", note: "" },
      { slug, title: "Membership", note: "here" },
    ]);
    expect(await listUnitCollections(ID, "h:0:22")).toEqual([]);
    // The cell page's one query gives the same two lists.
    for (const unit of ["h:0:20", "h:0:21", "h:0:22"]) {
      const both = listCollectionsForUnit(ID, unit);
      expect(both.holding).toEqual(await listUnitCollections(ID, unit));
      expect(both.all).toEqual((await listCollections()).map((c) => ({ slug: c.slug, title: c.title })));
    }
  });

  it("renames without changing the slug, and deletes with its items", async () => {
    const { slug } = await createCollection({ title: "Old name", items: [{ model: ID, unit: "h:0:30" }] });
    const u = await updateCollection(slug, { title: "New name" });
    expect(u).toMatchObject({ slug, title: "New name", description: "", units: 1 });
    await expect(updateCollection(slug, {})).rejects.toThrow(/give a title or a description/);
    await expect(updateCollection("nope", { title: "x" })).rejects.toThrow(NotFoundError);
    expect(await deleteCollection(slug)).toEqual({ slug, deleted: true });
    expect(await deleteCollection(slug)).toEqual({ slug, deleted: false });
    expect(await prisma.collectionItem.count({ where: { unit: "h:0:30" } })).toBe(0);
    await expect(getCollection(slug)).rejects.toThrow(NotFoundError);
  });

  it("refuses every write in read-only mode, and still reads", async () => {
    const { slug } = await createCollection({ title: "Frozen", items: [{ model: ID, unit: "h:0:40" }] });
    await readOnly(async () => {
      await expect(createCollection({ title: "x" })).rejects.toThrow(ForbiddenError);
      await expect(addToCollection(slug, { model: ID, unit: "h:0:41", note: "" })).rejects.toThrow(ForbiddenError);
      await expect(removeFromCollection(slug, ID, "h:0:40")).rejects.toThrow(ForbiddenError);
      await expect(updateCollection(slug, { title: "y" })).rejects.toThrow(ForbiddenError);
      await expect(deleteCollection(slug)).rejects.toThrow(ForbiddenError);
      expect((await getCollection(slug)).items).toHaveLength(1);
    });
    expect((await getCollection(slug)).title).toBe("Frozen");
  });
});

describe("collection routes", () => {
  const base = "http://localhost:3000";
  const json = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Request(base + url, { method, headers: { host: "localhost:3000", "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const ctx = <T>(params: T) => ({ params: Promise.resolve(params) });
  const errorOf = async (res: Response) => ({ status: res.status, ...(await res.json()).error });

  it("create, read, add, rename and delete through the API", async () => {
    const created = await listRoute.POST(json("POST", "/api/collections", { title: "Via the API", items: [{ model: ID, unit: "h:1:1", note: "a" }] }));
    expect(created.status).toBe(201);
    const { slug } = (await created.json()).collection;
    expect(slug).toBe("via-the-api");
    const put = await itemRoute.PUT(json("PUT", `/api/collections/${slug}/items/${ID}/h:1:2`, { note: "b" }), ctx({ slug, model: ID, unit: "h%3A1%3A2" }));
    expect((await put.json()).item).toMatchObject({ unit: "h:1:2", note: "b", position: 2, added: true });
    const got = await (await oneRoute.GET(new Request(`${base}/api/collections/${slug}`), ctx({ slug }))).json();
    expect(got.collection.items.map((i: { unit: string }) => i.unit)).toEqual(["h:1:1", "h:1:2"]);
    expect(got.collection.items[0].preview.values.length).toBeGreaterThan(0);
    const patched = await oneRoute.PATCH(json("PATCH", `/api/collections/${slug}`, { description: "d" }), ctx({ slug }));
    expect((await patched.json()).collection.description).toBe("d");
    const members = await (await listRoute.GET(new Request(`${base}/api/collections?model=${ID}&unit=h:1:2`))).json();
    expect(members.collections).toEqual([{ slug, title: "Via the API", note: "b" }]);
    expect(await (await itemRoute.DELETE(json("DELETE", "", undefined), ctx({ slug, model: ID, unit: "h:1:2" }))).json()).toMatchObject({ removed: true });
    expect(await (await oneRoute.DELETE(json("DELETE", ""), ctx({ slug }))).json()).toEqual({ slug, deleted: true });
  });

  it("answers bad input, unknown collections, other origins and read-only mode in the one error shape", async () => {
    expect(await errorOf(await listRoute.POST(json("POST", "/api/collections", { title: "" })))).toMatchObject({ status: 400, code: "bad_request", message: "title: the title is empty" });
    const notJson = new Request(`${base}/api/collections`, { method: "POST", headers: { host: "localhost:3000", "content-type": "application/json" }, body: "{title:" });
    expect(await errorOf(await listRoute.POST(notJson))).toMatchObject({ status: 400, code: "bad_body" });
    const form = new Request(`${base}/api/collections`, { method: "POST", headers: { host: "localhost:3000", "content-type": "application/x-www-form-urlencoded" }, body: "title=x" });
    expect(await errorOf(await listRoute.POST(form))).toMatchObject({ status: 415, code: "unsupported_media_type" });
    const huge = await oneRoute.PATCH(json("PATCH", "", { description: "x".repeat(20_000) }), ctx({ slug: "any" }));
    expect(await errorOf(huge)).toMatchObject({ status: 413, code: "body_too_large" });
    // A new collection may bring many units with long notes (more than a label write's limit).
    const many = Array.from({ length: 20 }, (_, i) => ({ model: ID, unit: `c:1:${i}`, note: "é".repeat(1000) }));
    expect((await listRoute.POST(json("POST", "/api/collections", { title: "Many notes", items: many }))).status).toBe(201);
    expect(await errorOf(await oneRoute.GET(new Request(`${base}/api/collections/nope`), ctx({ slug: "nope" })))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await oneRoute.GET(new Request(`${base}/api/collections/Bad%20Slug`), ctx({ slug: "Bad Slug" })))).toMatchObject({ status: 400 });
    expect(await errorOf(await listRoute.GET(new Request(`${base}/api/collections?model=${ID}`)))).toMatchObject({ status: 400, message: "give both model and unit, or neither" });
    const evil = await listRoute.POST(json("POST", "/api/collections", { title: "x" }, { origin: "http://evil.example" }));
    expect(await errorOf(evil)).toMatchObject({ status: 403, code: "forbidden" });

    const { slug } = await createCollection({ title: "Read-only via the API" });
    await readOnly(async () => {
      for (const res of [
        await listRoute.POST(json("POST", "/api/collections", { title: "x" })),
        await oneRoute.PATCH(json("PATCH", "", { title: "x" }), ctx({ slug })),
        await oneRoute.DELETE(json("DELETE", ""), ctx({ slug })),
        await itemRoute.PUT(json("PUT", "", { note: "" }), ctx({ slug, model: ID, unit: "h:1:1" })),
        await itemRoute.DELETE(json("DELETE", ""), ctx({ slug, model: ID, unit: "h:1:1" })),
      ]) {
        expect(await errorOf(res)).toMatchObject({ status: 403, code: "forbidden", message: expect.stringMatching(/read-only/) });
      }
      expect((await oneRoute.GET(new Request(`${base}/api/collections/${slug}`), ctx({ slug }))).status).toBe(200);
    });
    expect((await prisma.collection.findUniqueOrThrow({ where: { slug } })).title).toBe("Read-only via the API");
  });
});

describe("label search", () => {
  beforeAll(async () => {
    await setLabel(ID, "h:0:50", { label: "Line-end cell", note: "counts towards the newline" });
    await setLabel(ID, "h:0:51", { label: "vowel", note: "QUOTE-adjacent, maybe" });
    await setLabel(ID, "h:0:52", { label: "Ünicode ümlaut", note: "100% sure; under_score" });
    await prisma.unitLabel.create({ data: { modelId: BARE, unit: "h:0:3", label: "quote in the bare model" } });
  });

  it("finds units by any case of a substring of the label or the note, label hits first", async () => {
    const r = await findLabels("QuOtE");
    expect(r.matches.map((m) => [m.model, m.unit, m.inLabel])).toEqual([
      [BARE, "h:0:3", true],
      [ID, "h:1:7", true], // "Quote detector", from the collection test above
      [ID, "h:0:51", false],
    ]);
    expect(r.total).toBe(3);
    expect(r.matches[1].preview).not.toBeNull();
    expect(r.matches[0].preview).toBeNull(); // not recorded
    expect((await findLabels("ÜMLAUT")).matches.map((m) => m.unit)).toEqual(["h:0:52"]);
    // % and _ are plain characters, not wildcards.
    expect((await findLabels("100%")).matches.map((m) => m.unit)).toEqual(["h:0:52"]);
    expect((await findLabels("n_e")).matches).toEqual([]); // as a LIKE pattern it would match "under_score"
    expect((await findLabels("nothing like this")).total).toBe(0);
  });

  it("narrows to one model, limits, and lists everything for an empty query", async () => {
    expect((await findLabels("quote", { model: ID })).matches.map((m) => m.unit)).toEqual(["h:1:7", "h:0:51"]);
    const all = await findLabels("", { limit: 2, previews: false });
    expect(all.total).toBe(await prisma.unitLabel.count());
    expect(all.matches).toHaveLength(2);
    await expect(findLabels("x", { model: "../etc" })).rejects.toThrow(InputError);
  });

  it("answers GET /api/labels, validating its query", async () => {
    const body = await (await labelsRoute.GET(new Request(`http://localhost/api/labels?q=line-END&previews=0`))).json();
    expect(body.matches).toMatchObject([{ model: ID, unit: "h:0:50", label: "Line-end cell", preview: null }]);
    const bad = await labelsRoute.GET(new Request(`http://localhost/api/labels?limit=0`));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/limit must be between 1 and 500/);
  });
});
