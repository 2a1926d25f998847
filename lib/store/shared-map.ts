/**
 * A Map shared by every bundle of this process. Next.js builds route handlers
 * and pages into separate bundles, each with its own copy of a module's
 * top-level state: a cache declared as a plain `new Map()` is filled, and held
 * in memory, once per bundle (measured: each recording's 300 MB of unit bytes
 * loaded twice per server process, once for the API and once for the pages).
 */
export function sharedMap<K, V>(name: string): Map<K, V> {
  const g = globalThis as unknown as Record<symbol, Map<K, V> | undefined>;
  const key = Symbol.for(`cellscope.${name}`);
  return (g[key] ??= new Map<K, V>());
}
