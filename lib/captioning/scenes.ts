/**
 * Scenes made by code for the lecture's last part, image captioning (P11 §1).
 * No captioned image collection can be downloaded here, so the data is drawn:
 * a 64×64 picture of one to three shapes, each with a shape, a color, a size
 * and a position, and several true captions per picture from a small grammar:
 *
 *   scene of 1:  "a large red circle", "a red circle"
 *   scene of 2:  "a small blue square above a large red circle" (and the
 *                relation the other way round, with or without sizes);
 *                "two green triangles" when both are the same shape and color
 *   scene of 3:  "a red circle, a small blue square and a green triangle"
 *                (in any order, with or without sizes)
 *
 * A caption mentions every object of its scene, so one that leaves an object
 * out is false. `parseCaption` maps a caption back to what it claims and
 * `isTrue` checks the claims against the scene: the captioner's true-caption
 * rate (P11 §2) is measured with them.
 *
 * Everything is deterministic: scene k of a split is drawn from its own seed,
 * so it is the same whatever the number of scenes asked for.
 */
import { Random } from "../model/random.ts";

/** The corpus a captioner's recorded captions belong to in the store (lib/record/record-captions.ts). */
export const CAPTIONS_CORPUS = "captions";

export const SHAPES = ["circle", "square", "triangle"] as const;
export const COLORS = ["red", "green", "blue", "yellow"] as const;
export const SIZES = ["small", "large"] as const;
export const RELATIONS = ["above", "below", "left of", "right of"] as const;
export type Shape = (typeof SHAPES)[number];
export type Color = (typeof COLORS)[number];
export type Size = (typeof SIZES)[number];
export type Relation = (typeof RELATIONS)[number];

/** Pixels: the picture is IMAGE × IMAGE. */
export const IMAGE = 64;
/** Half the width of a shape of each size, in pixels. */
/** A shape's radius in pixels by its size. */
export const RADIUS: Record<Size, number> = { small: 6, large: 11 };
const RGB: Record<Color, [number, number, number]> = { red: [215, 45, 40], green: [40, 160, 70], blue: [45, 85, 215], yellow: [230, 195, 30] };
const BACKGROUND = 245;

export interface SceneObject {
  shape: Shape;
  color: Color;
  size: Size;
  /** Center, in pixels from the top left. */
  x: number;
  y: number;
}

export interface Scene {
  /** "test-17": the split and the index in it. */
  id: string;
  objects: SceneObject[];
}

export const SPLITS = ["train", "valid", "test"] as const;
export type Split = (typeof SPLITS)[number];

/** The seed of scene k of a split: distinct for every (seed, split, k). */
function sceneSeed(seed: number, split: Split, k: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(SPLITS.indexOf(split) + 1, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35)) >>> 0;
}

const pick = <T>(rng: Random, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];

/**
 * How b stands to a: the relation a caption may claim between them, or none
 * when they are too close to call (then no caption claims one).
 */
export function relationOf(a: SceneObject, b: SceneObject): Relation | null {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  // Clear only when one axis dominates by half again and they are apart on it.
  if (Math.abs(dy) >= 1.5 * Math.abs(dx) && Math.abs(dy) >= RADIUS[a.size] + RADIUS[b.size]) return dy < 0 ? "above" : "below";
  if (Math.abs(dx) >= 1.5 * Math.abs(dy) && Math.abs(dx) >= RADIUS[a.size] + RADIUS[b.size]) return dx < 0 ? "left of" : "right of";
  return null;
}

/** Whether two objects overlap, or come closer than 3 pixels: no scene holds such a pair. */
export function overlap(a: Pick<SceneObject, "x" | "y" | "size">, b: Pick<SceneObject, "x" | "y" | "size">): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) < RADIUS[a.size] + RADIUS[b.size] + 3;
}

/** Scene k of a split. Objects do not overlap; two objects always stand in a clear relation. */
export function makeScene(split: Split, k: number, seed = 1): Scene {
  const rng = new Random(sceneSeed(seed, split, k));
  for (;;) {
    const n = 1 + Math.floor(rng.next() * 3);
    const objects: SceneObject[] = [];
    // Sometimes a pair of twins, so "two red circles" occurs.
    const twins = n === 2 && rng.next() < 0.25;
    for (let i = 0; i < n; i++) {
      const size = pick(rng, SIZES);
      const r = RADIUS[size];
      const base = twins && i === 1 ? objects[0] : undefined;
      const o: SceneObject = { shape: base?.shape ?? pick(rng, SHAPES), color: base?.color ?? pick(rng, COLORS), size, x: Math.round(rng.uniform(r + 1, IMAGE - r - 1)), y: Math.round(rng.uniform(r + 1, IMAGE - r - 1)) };
      if (objects.some((p) => overlap(p, o))) break;
      objects.push(o);
    }
    if (objects.length !== n) continue;
    if (n === 2 && !relationOf(objects[0], objects[1])) continue;
    return { id: `${split}-${k}`, objects };
  }
}

/** Scenes 0 … count − 1 of a split. */
export function makeScenes(split: Split, count: number, seed = 1): Scene[] {
  return Array.from({ length: count }, (_, k) => makeScene(split, k, seed));
}

/** The picture, row-major RGB bytes [IMAGE × IMAGE × 3]. */
export function renderScene(scene: Scene): Uint8Array {
  const px = new Uint8Array(IMAGE * IMAGE * 3).fill(BACKGROUND);
  for (const o of scene.objects) {
    const r = RADIUS[o.size];
    const [cr, cg, cb] = RGB[o.color];
    for (let y = Math.max(0, o.y - r); y <= Math.min(IMAGE - 1, o.y + r); y++) {
      for (let x = Math.max(0, o.x - r); x <= Math.min(IMAGE - 1, o.x + r); x++) {
        const dx = x - o.x, dy = y - o.y;
        // A triangle pointing up: its half-width grows from 0 at the top to r at the bottom.
        const inside = o.shape === "circle" ? dx * dx + dy * dy <= r * r : o.shape === "square" ? Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r : Math.abs(dx) <= (dy + r) / 2;
        if (!inside) continue;
        const at = (y * IMAGE + x) * 3;
        px[at] = cr;
        px[at + 1] = cg;
        px[at + 2] = cb;
      }
    }
  }
  return px;
}

const phrase = (o: SceneObject, withSize: boolean) => `a ${withSize ? o.size + " " : ""}${o.color} ${o.shape}`;

/** Every true caption the grammar writes for a scene (the references for BLEU; the first is the fullest). */
export function captionsOf(scene: Scene): string[] {
  const o = scene.objects;
  const out: string[] = [];
  if (o.length === 1) out.push(phrase(o[0], true), phrase(o[0], false));
  if (o.length === 2) {
    const [a, b] = o;
    const ab = relationOf(a, b)!;
    const ba = relationOf(b, a)!;
    for (const withSize of [true, false]) out.push(`${phrase(a, withSize)} ${ab} ${phrase(b, withSize)}`, `${phrase(b, withSize)} ${ba} ${phrase(a, withSize)}`);
    if (a.shape === b.shape && a.color === b.color) out.push(`two ${a.color} ${a.shape}s`);
  }
  if (o.length === 3) {
    for (const [i, j, k] of [[0, 1, 2], [2, 0, 1], [1, 2, 0]]) {
      for (const withSize of [true, false]) out.push(`${phrase(o[i], withSize)}, ${phrase(o[j], withSize)} and ${phrase(o[k], withSize)}`);
    }
  }
  return out;
}

/**
 * One caption per scene, its objects always in the same order (left to right,
 * then top to bottom) and with their sizes: a training target that spares the
 * decoder choosing which object to name first, so the picture's features need
 * only say what stands where. True of its scene like every caption above.
 */
export function canonicalCaption(scene: Scene): string {
  const o = [...scene.objects].sort((a, b) => a.x - b.x || a.y - b.y);
  if (o.length === 1) return phrase(o[0], true);
  if (o.length === 2) return `${phrase(o[0], true)} ${relationOf(o[0], o[1])!} ${phrase(o[1], true)}`;
  return `${o.slice(0, -1).map((x) => phrase(x, true)).join(", ")} and ${phrase(o.at(-1)!, true)}`;
}

/** What a caption claims: objects described (attributes a phrase leaves out are undefined), how many, and a relation between the first two. */
export interface Claims {
  objects: { shape: Shape; color?: Color; size?: Size }[];
  relation?: Relation;
}

const PHRASE = new RegExp(`^a (?:(${SIZES.join("|")}) )?(?:(${COLORS.join("|")}) )?(${SHAPES.join("|")})$`);
const COUNT = new RegExp(`^(two|three) (?:(${COLORS.join("|")}) )?(${SHAPES.join("|")})s$`);

function parsePhrase(p: string): Claims["objects"][number] | null {
  const m = PHRASE.exec(p.trim());
  return m ? { shape: m[3] as Shape, ...(m[2] && { color: m[2] as Color }), ...(m[1] && { size: m[1] as Size }) } : null;
}

/** The claims of a caption, or null when the grammar cannot read it. */
export function parseCaption(caption: string): Claims | null {
  const c = caption.trim().toLowerCase().replace(/\s+/g, " ");
  const count = COUNT.exec(c);
  if (count) {
    const one = { shape: count[3] as Shape, ...(count[2] && { color: count[2] as Color }) };
    return { objects: Array.from({ length: count[1] === "two" ? 2 : 3 }, () => ({ ...one })) };
  }
  for (const rel of RELATIONS) {
    const at = c.indexOf(` ${rel} a `);
    if (at > 0) {
      const a = parsePhrase(c.slice(0, at));
      const b = parsePhrase(c.slice(at + rel.length + 2));
      return a && b ? { objects: [a, b], relation: rel } : null;
    }
  }
  const parts = c.split(/, | and /);
  const objects = parts.map(parsePhrase);
  return objects.every((x) => x !== null) ? { objects: objects as Claims["objects"] } : null;
}

const fits = (claim: Claims["objects"][number], o: SceneObject) => claim.shape === o.shape && (claim.color === undefined || claim.color === o.color) && (claim.size === undefined || claim.size === o.size);

/**
 * Whether a caption is true of a scene: it parses, it mentions as many objects
 * as the scene has, each claimed object is a different object of the scene
 * with the attributes claimed, and a claimed relation holds between the first
 * two as claimed.
 */
export function isTrue(caption: string, scene: Scene): boolean {
  const claims = parseCaption(caption);
  if (!claims || claims.objects.length !== scene.objects.length) return false;
  const used = new Array(scene.objects.length).fill(false);
  const chosen: SceneObject[] = [];
  const assign = (i: number): boolean => {
    if (i === claims.objects.length) return !claims.relation || relationOf(chosen[0], chosen[1]) === claims.relation;
    for (let k = 0; k < scene.objects.length; k++) {
      if (used[k] || !fits(claims.objects[i], scene.objects[k])) continue;
      used[k] = true;
      chosen[i] = scene.objects[k];
      if (assign(i + 1)) return true;
      used[k] = false;
    }
    return false;
  };
  return assign(0);
}
