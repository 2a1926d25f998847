/** The model page's unit map: which statistic colors each unit, and how. */
import { divergingColor, normalizeValue, sequentialColor, type Rgb, type ScaleName } from "./color.ts";

export const MAP_STATS = ["std", "mean", "min", "max", "satLeft", "satRight", "signal"] as const;
export type MapStat = (typeof MAP_STATS)[number];

export const MAP_STAT_INFO: Record<MapStat, string> = {
  std: "standard deviation (how much it moves)",
  mean: "mean value",
  min: "lowest value",
  max: "highest value",
  satLeft: "fraction of characters below 0.1 (left-saturated, for gates)",
  satRight: "fraction of characters above 0.9 (right-saturated, for gates)",
  signal: "strongest |r| against any built-in signal (how much it looks like a detector)",
};

export function parseMapStat(raw: string | undefined): MapStat {
  return (MAP_STATS as readonly string[]).includes(raw ?? "") ? (raw as MapStat) : "std";
}

/** Whether a statistic is shown on the diverging scale (signed values) or the sequential one. */
export function isDivergingStat(stat: MapStat): boolean {
  return stat === "mean" || stat === "min" || stat === "max";
}

/**
 * The color of a unit on the map. Diverging statistics use the kind's value
 * scale; std is relative to `maxStd` (the largest in its group); the
 * saturation fractions and the best signal's |r| are absolute (0 … 1).
 */
export function statColor(stat: MapStat, value: number, kind: string, scale: ScaleName, maxStd = 1): Rgb {
  if (isDivergingStat(stat)) return divergingColor(normalizeValue(value, kind), scale);
  if (stat === "std") return sequentialColor(maxStd > 0 ? value / maxStd : 0, scale);
  return sequentialColor(value, scale);
}
