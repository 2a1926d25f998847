/** One unit ("cell") of a model: its statistics, label and neighbours (the cell page and GET …/units/[unit]). */
import { prisma } from "../db.ts";
import { InputError } from "../api/errors.ts";
import { checkUnit } from "../store/recordings.ts";
import { recordedKindsOf } from "../model/cells.ts";
import { formatUnitId, type UnitId } from "../store/quantize.ts";
import { KIND_LIST, kindRange, UNIT_ID_PATTERN } from "../model/unit-kinds.ts";
import { getModelContext, recordingText, type ModelContext } from "./model-context.ts";
import { openBulk, readUnitRange } from "../store/activations.ts";
import { readDetectorRows, readSignalScoreRows, readUnitLabelRow, readUnitRow } from "../store/unit-rows.ts";
import { describeUnit } from "./describe-unit.ts";
import { readSnippets, type Snippet } from "./snippets.ts";
import { isClearDetector, isConstantUnit } from "../search/strength.ts";
import { SIGNALS, signalFits } from "../search/signals.ts";
import { sharedMap } from "../store/shared-map.ts";

/** Validates a unit id's shape (400) and that the model has it (404). */
export function resolveUnit(ctx: ModelContext, unit: string): UnitId {
  if (!UNIT_ID_PATTERN.test(unit)) {
    throw new InputError(`"${unit.slice(0, 40)}" is not a unit id: write KIND:LAYER:INDEX, e.g. c:1:83 (kinds ${KIND_LIST})`, "bad_unit");
  }
  return checkUnit(ctx.rec, ctx.model, unit, recordedKindsOf(ctx.model.cell));
}

export interface CellStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Values at quantiles 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99. */
  quantiles: number[];
  /** 64 bin counts over the kind's range ([−1, 1] for tanh-like kinds, [0, 1] for gates: lib/model/unit-kinds.ts). */
  histogram: number[];
  range: [number, number];
  satLeft: number;
  satRight: number;
}

export interface CellDetail {
  model: string;
  unit: string;
  kind: string;
  layer: number;
  index: number;
  /** Units per layer in this model. */
  hidden: number;
  recording: { id: number; chars: number; kinds: string[] };
  stats: CellStats;
  /** Offsets of the 50 highest and lowest values. */
  top: number[];
  bottom: number[];
  label: { label: string; note: string; updatedAt: string } | null;
  /** Built-in signals this unit is the model's detector for, and tracks clearly (lib/search/strength.ts). */
  detectorFor: { signal: string; r: number; auc: number | null }[];
  /** Whether the unit barely moves over the recording (lib/search/strength.ts, isConstantUnit). */
  constant: boolean;
  /** The nearest units before and after this one in the same kind and layer that move (constant ones skipped; null when there is none). */
  prev: string | null;
  next: string | null;
  /** Indices of the constant units of this kind and layer (j / k skip them, J / K do not). */
  constantIndices: number[];
  /** The unit in words, from its signals and the text at its peaks (./describe-unit.ts); null when nothing stands out. */
  description: string | null;
}

/** The signals a unit is best for, most telling first: those made for its corpus's kind of text, then any-text ones, then the rest (its nickname is the first). */
function orderDetectors<D extends { signal: string }>(ds: D[], corpus: string): D[] {
  const rank = (signal: string) => (!signalFits(signal, corpus) ? 2 : SIGNALS.find((s) => s.name === signal)?.for === "any" ? 1 : 0);
  return [...ds].sort((a, b) => rank(a.signal) - rank(b.signal) || a.signal.localeCompare(b.signal));
}

export async function getCell(modelId: string, unit: string): Promise<CellDetail> {
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, unit);
  const row = readUnitRow(ctx.rec.id, unit);
  const detectors = readDetectorRows(modelId, unit);
  const label = readUnitLabelRow(modelId, unit);
  const constantIndices = await listConstantIndices(ctx.rec.id, u.kind, u.layer);
  if (!row) throw new Error(`recording ${ctx.rec.id} has no statistics for unit ${unit}`);
  const { chars } = await recordingText(ctx.rec.id);
  const json = <T>(s: string, fallback: T): T => {
    try {
      return JSON.parse(s) as T;
    } catch {
      return fallback;
    }
  };
  return {
    model: modelId,
    unit,
    kind: u.kind,
    layer: u.layer,
    index: u.index,
    hidden: ctx.model.hidden,
    recording: { id: ctx.rec.id, chars: ctx.rec.chars, kinds: ctx.kinds },
    stats: {
      mean: row.mean,
      std: row.std,
      min: row.min,
      max: row.max,
      quantiles: json(row.quantiles, []),
      histogram: json(row.histogram, []),
      range: [kindRange(u.kind).lo, kindRange(u.kind).hi],
      satLeft: row.satLeft,
      satRight: row.satRight,
    },
    top: json(row.top, []),
    bottom: json(row.bottom, []),
    label: label ? { label: label.label, note: label.note, updatedAt: label.updatedAt.toISOString() } : null,
    detectorFor: orderDetectors(detectors.filter(isClearDetector), ctx.model.corpusId).map((d) => ({ signal: d.signal, r: d.r, auc: d.auc })),
    constant: isConstantUnit(row),
    ...neighbours(u, ctx.model.hidden, constantIndices),
    constantIndices,
    description: describeUnit({ top: json(row.top, []), bottom: json(row.bottom, []), chars, scores: readSignalScoreRows(ctx.rec.id, unit), constant: isConstantUnit(row), mean: row.mean, fits: (signal) => signalFits(signal, ctx.model.corpusId) }),
  };
}

/** Per recording, kind and layer: the indices of its constant units (a complete recording's statistics never change). */
const constantCache = sharedMap<string, Promise<number[]>>("constant-indices");

/** The indices of the constant units of one kind and layer of a recording, ascending (read once per process). */
export function listConstantIndices(recordingId: number, kind: string, layer: number): Promise<number[]> {
  const key = `${recordingId}:${kind}:${layer}`;
  let p = constantCache.get(key);
  if (!p) {
    p = prisma.unit
      .findMany({ where: { recordingId, unit: { startsWith: `${kind}:${layer}:` } }, select: { unit: true, std: true } })
      .then((rows) =>
        rows
          .filter(isConstantUnit)
          .map((r) => Number(r.unit.split(":")[2]))
          .sort((a, b) => a - b),
      );
    constantCache.set(key, p);
    p.catch(() => constantCache.delete(key));
    while (constantCache.size > 256) constantCache.delete(constantCache.keys().next().value!);
  }
  return p;
}

/** The nearest moving units before and after `u` in its kind and layer, skipping the constant indices. */
export function neighbours(u: UnitId, hidden: number, constantIndices: number[]): { prev: string | null; next: string | null } {
  const constant = new Set(constantIndices);
  const step = (dir: 1 | -1) => {
    for (let i = u.index + dir; i >= 0 && i < hidden; i += dir) if (!constant.has(i)) return formatUnitId({ ...u, index: i });
    return null;
  };
  return { prev: step(-1), next: step(1) };
}

/** A unit's top and bottom activating snippets (±radius characters, the peak marked). */
export async function readCellSnippets(cell: CellDetail, count = 10, radius = 30): Promise<{ top: Snippet[]; bottom: Snippet[] }> {
  const rec = (await getModelContext(cell.model)).rec;
  const pick = (offsets: number[]) => distinctPeaks(offsets, count, radius);
  const top = pick(cell.top);
  const bottom = pick(cell.bottom);
  // The unit's whole series is small (one byte per character): read it once.
  const bytes = readUnitRange(openBulk(), rec.id, cell.unit, rec.chunkChars, 0, rec.chars);
  const [t, b] = await Promise.all([
    readSnippets(rec, cell.unit, top.map((o) => [o, o + 1]), radius, bytes),
    readSnippets(rec, cell.unit, bottom.map((o) => [o, o + 1]), radius, bytes),
  ]);
  return { top: t, bottom: b };
}

/** Up to `count` offsets, in order, skipping any within `gap` of one already taken (neighbouring peaks are the same place). */
export function distinctPeaks(offsets: number[], count: number, gap: number): number[] {
  const out: number[] = [];
  for (const o of offsets) {
    if (out.length >= count) break;
    if (out.every((p) => Math.abs(p - o) > gap)) out.push(o);
  }
  return out;
}
