#!/usr/bin/env node
// Prints P7's proxy study (docs/recipe-study.jsonl, written by scripts/recipe-study.sh)
// as the Markdown table docs/recipe-study.md shows.
import { readFileSync } from "node:fs";

const rows = readFileSync(new URL("../docs/recipe-study.jsonl", import.meta.url), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
const f = (x, d = 3) => (typeof x === "number" ? x.toFixed(d) : "—");
const unit = (u) => `${f(u.r, 2)} (${u.unit})`;
console.log("| row | knob | test | constant | saturated | newline ≥ 70 | chars_since_newline r | line_fraction r | quote r (first 60k) |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.row} | \`${r.knob}\` | ${f(r.testNats)} | ${f(r.constant, 2)} | ${f(r.saturated, 2)} | ${f(r.newline70, 2)} | ${unit(r.chars_since_newline)} | ${unit(r.line_fraction)} | ${unit(r.quote60k)} |`);
}
