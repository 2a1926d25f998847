/** Corpora and models for the home page and GET /api/models. */
import { prisma } from "../db.ts";

export const LN2 = Math.LN2;

/** Nats per character → bits per character. */
export function bitsPerChar(nats: number | null | undefined): number | null {
  return nats == null || !Number.isFinite(nats) ? null : nats / LN2;
}

export interface ModelSummary {
  id: string;
  corpus: string;
  /** "char", or "captioner" (a captioner's word-level decoder, recorded over test captions). */
  kind: string;
  cell: string;
  layers: number;
  hidden: number;
  vocabSize: number;
  params: number;
  testNats: number | null;
  testBitsPerChar: number | null;
  recording: { id: number; split: string; start: number; chars: number; kinds: string[] } | null;
  detectors: number;
  labels: number;
}

export interface CorpusSummary {
  id: string;
  chars: number;
  sha256: string;
  models: string[];
}

export async function listModels(): Promise<ModelSummary[]> {
  const models = await prisma.model.findMany({
    orderBy: { id: "asc" },
    include: {
      recordings: {
        where: { status: "complete" },
        orderBy: [{ split: "desc" }, { chars: "desc" }, { id: "desc" }],
        take: 1,
        select: { id: true, split: true, start: true, chars: true, kinds: true },
      },
      _count: { select: { detectors: true, labels: true } },
    },
  });
  return models.map((m) => {
    const r = m.recordings[0];
    return {
      id: m.id,
      corpus: m.corpusId,
      kind: m.kind,
      cell: m.cell,
      layers: m.layers,
      hidden: m.hidden,
      vocabSize: m.vocabSize,
      params: m.params,
      testNats: m.testNats,
      testBitsPerChar: bitsPerChar(m.testNats),
      recording: r ? { id: r.id, split: r.split, start: r.start, chars: r.chars, kinds: r.kinds.split(",") } : null,
      detectors: m._count.detectors,
      labels: m._count.labels,
    };
  });
}

export async function listCorpora(): Promise<CorpusSummary[]> {
  const corpora = await prisma.corpus.findMany({ orderBy: { id: "asc" }, include: { models: { select: { id: true }, orderBy: { id: "asc" } } } });
  return corpora.map((c) => ({ id: c.id, chars: c.chars, sha256: c.sha256, models: c.models.map((m) => m.id) }));
}
