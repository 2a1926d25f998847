import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText, listCorpora, loadCorpus, splitRange } from "./corpus.ts";
import { buildVocab, decode, encode } from "./vocab.ts";

const dir = mkdtempSync(path.join(tmpdir(), "cellscope-corpus-"));
const file = (name: string, bytes: Uint8Array | string) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe("vocabulary", () => {
  it("is every distinct character, sorted by code point, and round-trips text", () => {
    const text = "ba\u00e9a\nb😀";
    const vocab = buildVocab(text);
    expect(vocab).toEqual(["\n", "a", "b", "\u00e9", "😀"]);
    expect(decode(encode(text, vocab), vocab)).toBe(text);
  });
  it("names a character the vocabulary lacks", () => {
    expect(() => encode("abz", ["a", "b"])).toThrow(/"z" at 2/);
    expect(() => encode("a😁", ["a", "😀"])).toThrow(/"😁" at 1/);
  });
  it("encodes in a vocabulary's own order (an imported model's), characters outside the BMP and lone surrogates included", () => {
    const vocab = ["z", "😀", "\ud800", "a", "\uffff"];
    expect([...encode("a😀z\uffff\ud800a", vocab)]).toEqual([3, 1, 0, 4, 2, 3]);
    expect(buildVocab("\uffff😀\ud800a")).toEqual(["a", "\ud800", "\uffff", "😀"]);
  });
});

describe("corpora", () => {
  it("splits contiguously 90/5/5 with no gap or overlap", () => {
    for (const n of [100, 1001, 3196214]) {
      const tr = splitRange(n, "train"), va = splitRange(n, "valid"), te = splitRange(n, "test");
      expect(tr.start).toBe(0);
      expect(va.start).toBe(tr.end);
      expect(te.start).toBe(va.end);
      expect(te.end).toBe(n);
      expect(tr.end).toBe(Math.floor(n * 0.9));
    }
  });
  it("loads the shipped War and Peace with its documented size and alphabet", () => {
    const c = loadCorpus("warpeace");
    expect(c.chars.length).toBe(3196214);
    expect(c.vocab.length).toBe(82);
    expect(c.ids.length).toBe(c.chars.length);
    expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it("loads the shipped tiny Shakespeare with its documented size and alphabet, and splits it 90/5/5", () => {
    const c = loadCorpus("shakespeare");
    expect(c.chars.length).toBe(1115394);
    expect(c.vocab.length).toBe(65);
    expect(c.sha256).toBe("86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed");
    expect(splitRange(c.ids.length, "train")).toEqual({ start: 0, end: 1003854 });
    expect(splitRange(c.ids.length, "valid")).toEqual({ start: 1003854, end: 1059624 });
    expect(splitRange(c.ids.length, "test")).toEqual({ start: 1059624, end: 1115394 });
    expect(listCorpora()).toContain("shakespeare");
  });
  it("refuses empty, binary and non-UTF-8 files with a clear message", () => {
    expect(() => loadCorpus(file("empty.txt", ""))).toThrow(/is empty/);
    expect(() => loadCorpus(file("bin.txt", new Uint8Array([104, 0, 105])))).toThrow(/binary/);
    expect(() => loadCorpus(file("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9])))).toThrow(/not valid UTF-8/);
    expect(() => loadCorpus("no-such-corpus")).toThrow(/unknown corpus "no-such-corpus".*warpeace/);
  });
  it("drops a byte-order mark", () => {
    expect(decodeText(new TextEncoder().encode("\ufeffhi"), "x")).toBe("hi");
  });
});
