/**
 * Reads one of the API's NDJSON streams (sampling, ranking by effect): each
 * batch of whole lines that arrives goes to `onLines`, parsed. A request the
 * API refuses before streaming throws an Error with the API's message; so
 * does anything `onLines` throws.
 */
export async function readNdjson<T>(url: string, onLines: (lines: T[]) => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch(url, { signal });
  if (!res.ok || !res.body) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += value;
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    const batch = lines.filter(Boolean).map((l) => JSON.parse(l) as T);
    if (batch.length) onLines(batch);
  }
}
