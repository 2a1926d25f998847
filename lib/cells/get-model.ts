/** One model in detail: the model page and GET /api/models/[model]. */
import { z } from "zod";
import { prisma } from "../db.ts";
import { bitsPerChar } from "./list-models.ts";
import { getModelContext, recordingText } from "./model-context.ts";
import type { TrainingSample } from "../model/model-file.ts";
import { snippetOf, type Snippet } from "./snippets.ts";
import { findExtreme, findTellingStretch } from "./telling-stretch.ts";
import { openBulk, readUnitRange } from "../store/activations.ts";
import { isGateKind, UNIT_KINDS } from "../model/unit-kinds.ts";
import { recordedKindsOf } from "../model/cells.ts";

const GATE_KINDS = UNIT_KINDS.filter(isGateKind);
/** Whether a recording's kinds ("c,h,i,f,o") hold a gate. */
const hasGates = (kinds: string[]) => kinds.some(isGateKind);

const Point = z.object({ iteration: z.number(), epoch: z.number(), loss: z.number() });
/** model.json's training.samples (lib/model/model-file.ts TrainingSample), read tolerantly: a malformed one is dropped. */
const Sample: z.ZodType<TrainingSample> = z.object({ iteration: z.number(), epoch: z.number(), loss: z.number(), validNats: z.number().optional(), text: z.string() });
const Training = z
  .object({
    options: z.record(z.string(), z.unknown()).catch({}),
    iterations: z.number().catch(0),
    epochs: z.number().catch(0),
    seconds: z.number().catch(0),
    bestValidNats: z.number().nullable().catch(null),
    history: z.object({ train: z.array(Point).catch([]), valid: z.array(Point).catch([]) }).catch({ train: [], valid: [] }),
    samples: z.array(Sample.nullable().catch(null)).catch([]),
  })
  .partial();

export interface TrainingInfo {
  options: Record<string, unknown>;
  iterations: number;
  epochs: number;
  seconds: number;
  bestValidNats: number | null;
  history: { train: z.infer<typeof Point>[]; valid: z.infer<typeof Point>[] };
  /** Text the model wrote as it trained, oldest first (empty for a model trained before samples were kept). */
  samples: TrainingSample[];
}

/** The model's training record (Model.training), tolerant of missing or malformed fields. */
export function parseTraining(json: string): TrainingInfo {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const t = Training.safeParse(raw);
  const d = t.success ? t.data : {};
  return {
    options: d.options ?? {},
    iterations: d.iterations ?? 0,
    epochs: d.epochs ?? 0,
    seconds: d.seconds ?? 0,
    bestValidNats: d.bestValidNats ?? null,
    history: d.history ?? { train: [], valid: [] },
    samples: (d.samples ?? []).filter((x): x is TrainingSample => x !== null).sort((a, b) => a.iteration - b.iteration),
  };
}

/** A captioner's training record (captioner.json: a loss per epoch, nats per word) in a char model's shape, for the training curve; no validation loss (it is scored by true captions). */
function captionerTraining(json: string): TrainingInfo {
  const t = parseTraining(json);
  let parsed: unknown = {};
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = {};
  }
  const raw = z.object({ history: z.array(z.object({ epoch: z.number(), loss: z.number() })).catch([]) }).safeParse(parsed);
  const perEpoch = t.epochs ? t.iterations / t.epochs : 0;
  const train = (raw.success ? raw.data.history : []).map((h) => ({ iteration: Math.round(h.epoch * perEpoch), epoch: h.epoch, loss: h.loss }));
  return { ...t, history: { train, valid: [] }, bestValidNats: null, samples: [] };
}

export interface UnitStat {
  unit: string;
  kind: string;
  layer: number;
  index: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  satLeft: number;
  satRight: number;
  /** The unit's strongest |r| against any built-in signal (0 when none scored), and that signal. */
  signal: number;
  signalName: string | null;
}

export interface DetectorInfo {
  signal: string;
  unit: string;
  r: number;
  auc: number | null;
  label: string | null;
}

export interface ModelDetail {
  id: string;
  corpus: string;
  /** "char", or "captioner": a captioner's word-level decoder, recorded over test captions (lib/record/record-captions.ts). */
  kind: string;
  /** A captioner's recording: how many captions (lines) it holds; null for a char model. */
  captions: number | null;
  cell: string;
  /** Every kind of unit the cell records (lib/model/unit-kinds.ts), its gates included; empty for a cell this version does not know. */
  cellKinds: string[];
  layers: number;
  hidden: number;
  vocabSize: number;
  params: number;
  testNats: number | null;
  testBitsPerChar: number | null;
  recording: { id: number; split: string; start: number; chars: number; kinds: string[]; nats: number | null; chunkChars: number };
  training: TrainingInfo;
  detectors: DetectorInfo[];
  labels: { unit: string; label: string; note: string }[];
}

export async function getModel(modelId: string): Promise<ModelDetail> {
  const { model, rec, kinds } = await getModelContext(modelId);
  const [detectors, labels] = await Promise.all([
    prisma.detector.findMany({ where: { modelId }, orderBy: { signal: "asc" } }),
    prisma.unitLabel.findMany({ where: { modelId }, orderBy: { unit: "asc" } }),
  ]);
  const labelOf = new Map(labels.map((l) => [l.unit, l.label]));
  return {
    id: model.id,
    corpus: model.corpusId,
    kind: model.kind,
    captions: model.kind === "captioner" ? (await recordingText(rec.id)).text.split("\n").length - 1 : null,
    cell: model.cell,
    cellKinds: [...(recordedKindsOf(model.cell) ?? [])],
    layers: model.layers,
    hidden: model.hidden,
    vocabSize: model.vocabSize,
    params: model.params,
    testNats: model.testNats,
    testBitsPerChar: bitsPerChar(model.testNats),
    recording: { id: rec.id, split: rec.split, start: rec.start, chars: rec.chars, kinds, nats: rec.nats, chunkChars: rec.chunkChars },
    training: model.kind === "captioner" ? captionerTraining(model.training) : parseTraining(model.training),
    detectors: detectors.map((d) => ({ signal: d.signal, unit: d.unit, r: d.r, auc: d.auc, label: labelOf.get(d.unit) ?? null })),
    labels: labels.map((l) => ({ unit: l.unit, label: l.label, note: l.note })),
  };
}

/** Every unit's summary statistics and best built-in signal score (the unit map, and GET /api/models/[model]/units). */
export async function listUnitStats(modelId: string): Promise<UnitStat[]> {
  const { rec } = await getModelContext(modelId);
  const [rows, best] = await Promise.all([unitRows(rec.id), bestSignals(rec.id)]);
  return rows.map((u) => {
    const b = best.get(u.unit);
    return { ...u, signal: b ? Math.abs(b.r) : 0, signalName: b?.signal ?? null };
  });
}

function unitRows(recordingId: number) {
  return prisma.unit.findMany({
    where: { recordingId },
    select: { unit: true, kind: true, layer: true, index: true, mean: true, std: true, min: true, max: true, satLeft: true, satRight: true },
    orderBy: [{ kind: "asc" }, { layer: "asc" }, { index: "asc" }],
  });
}

/**
 * Each unit's strongest built-in signal (set-up's SignalScore rows), in one
 * query: with a lone MAX() aggregate SQLite takes the bare columns from the
 * row holding the maximum.
 */
async function bestSignals(recordingId: number): Promise<Map<string, { signal: string; r: number }>> {
  const rows = await prisma.$queryRaw<{ unit: string; signal: string; r: number; best: number }[]>`
    SELECT "unit", "signal", "r", MAX(ABS("r")) AS "best" FROM "SignalScore"
    WHERE "recordingId" = ${recordingId} AND "r" IS NOT NULL GROUP BY "unit"`;
  return new Map(rows.map((r) => [r.unit, { signal: r.signal, r: Number(r.r) }]));
}

export interface GateStats {
  /** The recording the gates come from; `shown` when it is the one every view shows (its gate units have cell pages). */
  recording: { id: number; chars: number; shown: boolean };
  units: Pick<UnitStat, "unit" | "kind" | "layer" | "index" | "satLeft" | "satRight">[];
}

/**
 * The gates' saturation (the model page's scatter): from the shown recording
 * when it has the gates, else from the newest complete recording that has
 * them made after it (`cellscope record --gates --chars N` makes one without
 * replacing the shown recording; one made before it may be of weights since
 * retrained, as set-up re-records a retrained model); null when there is none.
 */
export async function listGateStats(modelId: string): Promise<GateStats | null> {
  const { rec, kinds } = await getModelContext(modelId);
  const from = hasGates(kinds)
    ? rec
    : (await prisma.recording.findMany({ where: { modelId, status: "complete", id: { gt: rec.id } }, orderBy: { id: "desc" }, select: { id: true, chars: true, kinds: true } })).find((r) => hasGates(r.kinds.split(",")));
  if (!from) return null;
  const units = await prisma.unit.findMany({
    where: { recordingId: from.id, kind: { in: GATE_KINDS } },
    select: { unit: true, kind: true, layer: true, index: true, satLeft: true, satRight: true },
    orderBy: [{ layer: "asc" }, { kind: "asc" }, { index: "asc" }],
  });
  return units.length ? { recording: { id: from.id, chars: from.chars, shown: from.id === rec.id }, units } : null;
}

export interface DetectorPreview extends DetectorInfo {
  model: string;
  /** The text around the unit's highest value, colored by the unit. */
  preview: Snippet | null;
}

/** Set-up's detectors of one model or all (one best unit per model and signal), with the recording they were found on and each unit's label. */
async function readDetectors(modelId?: string) {
  const detectors = await prisma.detector.findMany({ where: modelId ? { modelId } : {}, orderBy: [{ modelId: "asc" }, { signal: "asc" }] });
  const labels = await prisma.unitLabel.findMany({ where: modelId ? { modelId } : {} });
  const labelOf = new Map(labels.map((l) => [`${l.modelId}/${l.unit}`, l.label]));
  return detectors.map((d) => ({
    recordingId: d.recordingId,
    detector: { model: d.modelId, signal: d.signal, unit: d.unit, r: d.r, auc: d.auc, label: labelOf.get(`${d.modelId}/${d.unit}`) ?? null },
  }));
}

/** The detectors of one model or all, without previews: for a page that only names and links them (no recording is loaded). */
export async function listDetectorScores(modelId?: string): Promise<(DetectorInfo & { model: string })[]> {
  return (await readDetectors(modelId)).map((d) => d.detector);
}

/**
 * Detectors of one model or all, each with a short preview where its unit
 * varies most (the quote cell on and off around a quote, not 50 characters
 * deep inside one), the character it fires hardest at there marked.
 */
export async function listDetectors(modelId?: string, radius = 24): Promise<DetectorPreview[]> {
  const out: DetectorPreview[] = [];
  const contexts = new Map<string, ReturnType<typeof getModelContext>>();
  for (const { recordingId, detector: d } of await readDetectors(modelId)) {
    let preview: Snippet | null = null;
    try {
      if (!contexts.has(d.model)) contexts.set(d.model, getModelContext(d.model));
      const { rec } = await contexts.get(d.model)!;
      if (rec.id === recordingId) {
        const q = readUnitRange(openBulk(), rec.id, d.unit, rec.chunkChars, 0, rec.chars);
        const { start, end } = findTellingStretch(q, 2 * radius + 1);
        // A detector with negative r fires low: mark its lowest value instead.
        const peak = findExtreme(q, start, end, d.r < 0);
        preview = await snippetOf(rec, d.unit, q, start, end, [peak, peak + 1]);
      }
    } catch {
      preview = null;
    }
    out.push({ ...d, preview });
  }
  return out;
}
