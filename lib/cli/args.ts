/** Small helpers for reading CLI flags into validated options. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

/** A user error: printed as one line, never with a stack trace. */
export class UsageError extends Error {}

export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** A numeric flag: undefined when absent, an error naming the flag when not a number. */
export function num(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** Drops undefined entries so zod defaults apply. */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The query of a command that asks `--signal NAME` or `--regex R [--mode M]
 * [--close R2]` (search, probe, effect), with its other fields `rest`: checked
 * against `query`, a zod union of the signal form and the regex form in that
 * order, the form the flags chose, so its first problem names the flag.
 */
export function parseSignalOrRegex<T>(command: string, values: Record<string, unknown>, query: { options: readonly [z.ZodType, z.ZodType] }, rest: Record<string, unknown> = {}): T {
  if (!values.regex === !values.signal) throw new UsageError(`${command} needs exactly one of --regex or --signal`);
  const parsed = values.signal
    ? query.options[0].safeParse({ signal: values.signal, ...rest })
    : query.options[1].safeParse({ regex: values.regex, mode: values.mode, close: values.close, ...rest });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UsageError(`${i.path.length ? "--" + i.path.join(".") + ": " : ""}${i.message}`);
  }
  return parsed.data as T;
}
