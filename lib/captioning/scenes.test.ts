import { describe, expect, it } from "vitest";
import { canonicalCaption, captionsOf, COLORS, IMAGE, isTrue, makeScene, makeScenes, parseCaption, relationOf, renderScene, type Scene } from "./scenes.ts";

const scenes = makeScenes("test", 300);

describe("scenes made by code", () => {
  it("draws the same scene and picture from the same seed, whatever the count asked for, and other scenes from other seeds", () => {
    expect(makeScenes("test", 5)).toEqual(scenes.slice(0, 5));
    expect(makeScene("test", 42)).toEqual(scenes[42]);
    expect(renderScene(makeScene("test", 42))).toEqual(renderScene(scenes[42]));
    expect(makeScene("train", 42)).not.toEqual(scenes[42]);
    expect(makeScene("test", 42, 2)).not.toEqual(scenes[42]);
    // One to three objects, all three counts present.
    expect(new Set(scenes.map((s) => s.objects.length))).toEqual(new Set([1, 2, 3]));
  });

  it("paints each object in its color at its center, on a plain background elsewhere", () => {
    for (const s of scenes.slice(0, 50)) {
      const px = renderScene(s);
      expect(px.length).toBe(IMAGE * IMAGE * 3);
      for (const o of s.objects) {
        // The center of a triangle is inside it too (its half-width there is r/2).
        const at = (o.y * IMAGE + o.x) * 3;
        const rgb = [px[at], px[at + 1], px[at + 2]];
        const dominant = ["red", "green", "blue"][rgb.indexOf(Math.max(...rgb))];
        if (o.color === "yellow") expect(rgb[0] > 150 && rgb[1] > 150 && rgb[2] < 100).toBe(true);
        else expect(dominant).toBe(o.color);
      }
      // Every pixel outside all objects' bounding boxes is background; some inside are not.
      const inBox = (x: number, y: number) => s.objects.some((o) => Math.abs(x - o.x) <= 11 && Math.abs(y - o.y) <= 11);
      let painted = 0;
      for (let y = 0; y < IMAGE; y++) {
        for (let x = 0; x < IMAGE; x++) {
          const at = (y * IMAGE + x) * 3;
          if (!inBox(x, y)) expect([px[at], px[at + 1], px[at + 2]]).toEqual([245, 245, 245]);
          else if (px[at] !== 245 || px[at + 1] !== 245) painted++;
        }
      }
      expect(painted).toBeGreaterThan(20 * s.objects.length);
    }
  });

  it("writes only captions that are true of their scene, several per scene", () => {
    let twins = 0;
    for (const s of scenes) {
      const caps = captionsOf(s);
      expect(caps.length).toBeGreaterThanOrEqual(2);
      for (const c of caps) expect(isTrue(c, s), `${c} of ${JSON.stringify(s.objects)}`).toBe(true);
      if (caps.some((c) => c.startsWith("two "))) twins++;
    }
    expect(twins).toBeGreaterThan(0);
  });

  it("writes one canonical caption per scene: true, with sizes, its objects left to right", () => {
    for (const s of scenes) {
      const c = canonicalCaption(s);
      expect(isTrue(c, s), `${c} of ${JSON.stringify(s.objects)}`).toBe(true);
      const named = parseCaption(c)!.objects;
      const leftToRight = [...s.objects].sort((a, b) => a.x - b.x || a.y - b.y).map(({ shape, color, size }) => ({ shape, color, size }));
      expect(named, c).toEqual(leftToRight);
    }
  });

  it("maps a caption back to the attributes it claims", () => {
    expect(parseCaption("a small blue square above a large red circle")).toEqual({
      objects: [
        { shape: "square", color: "blue", size: "small" },
        { shape: "circle", color: "red", size: "large" },
      ],
      relation: "above",
    });
    expect(parseCaption("two green triangles")).toEqual({ objects: [{ shape: "triangle", color: "green" }, { shape: "triangle", color: "green" }] });
    expect(parseCaption("a red circle, a yellow square and a large green triangle")?.objects).toHaveLength(3);
    expect(parseCaption("a purple hexagon")).toBeNull();
    expect(parseCaption("a red circle above")).toBeNull();
  });

  it("finds a caption false when it gets a color, a relation, a count or an object wrong", () => {
    const two = scenes.find((s) => s.objects.length === 2 && s.objects[0].color !== s.objects[1].color)!;
    const [a, b] = two.objects;
    const rel = relationOf(a, b)!;
    const opposite = { above: "below", below: "above", "left of": "right of", "right of": "left of" }[rel];
    expect(isTrue(`a ${a.color} ${a.shape} ${rel} a ${b.color} ${b.shape}`, two)).toBe(true);
    expect(isTrue(`a ${a.color} ${a.shape} ${opposite} a ${b.color} ${b.shape}`, two)).toBe(false);
    const other = COLORS.find((c) => c !== a.color && c !== b.color)!;
    expect(isTrue(`a ${other} ${a.shape} ${rel} a ${b.color} ${b.shape}`, two)).toBe(false);
    // Leaving an object out is false: a caption mentions them all.
    expect(isTrue(`a ${a.color} ${a.shape}`, two)).toBe(false);
    const wrongSize = a.size === "small" ? "large" : "small";
    expect(isTrue(`a ${wrongSize} ${a.color} ${a.shape} ${rel} a ${b.color} ${b.shape}`, two)).toBe(false);
    const one: Scene = scenes.find((s) => s.objects.length === 1)!;
    expect(isTrue(`two ${one.objects[0].color} ${one.objects[0].shape}s`, one)).toBe(false);
  });
});
