/** For the write controls: one JSON request to the API, throwing an Error with the API's message when it refuses. */
export async function sendJson<T = unknown>(url: string, method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}

/** The API URL of one unit in a collection. */
export function itemUrl(slug: string, model: string, unit: string): string {
  return `/api/collections/${encodeURIComponent(slug)}/items/${encodeURIComponent(model)}/${unit}`;
}
