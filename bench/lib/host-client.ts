// Calls into a running `swarmscope serve` (the API the desktop app and browsers use), timed
// from the client: a warm import is measured where a long-running app would do it, without a
// process start per command.

export interface HostCall<T> {
  ms: number
  data: T
}

/** POST/GET one API route with the token; throws on an error answer. */
export async function callHost<T>(port: number, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HostCall<T>> {
  const started = performance.now()
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json()) as { ok: boolean; data: T; error?: { message: string } }
  const ms = performance.now() - started
  if (!json.ok) throw new Error(`${method} ${path}: ${json.error?.message ?? res.status}`)
  return { ms, data: json.data }
}
