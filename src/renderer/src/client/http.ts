import { routeAddresses } from 'virtual:route-addresses'
import type { EventName, RouteName } from '../../../shared/contract'
import type { CoreClient } from '../../../shared/client'
import type { Result } from '../../../shared/result'
import type { DropImporter } from './drop'
import type { ImportResult } from '../../../shared/dto'
import { filesFromDrop } from '../lib/dropped-files'

/** The contract over the local host: REST calls with the token, push events over one WebSocket. */
export function createHttpClient(token: string): CoreClient & DropImporter {
  const headers = { 'x-swarmscope-token': token }
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  let socket: WebSocket | null = null

  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws'
    socket = new WebSocket(`${proto}://${location.host}/api/v1/stream?token=${encodeURIComponent(token)}`)
    socket.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown }
      for (const l of listeners.get(event) ?? []) l(payload)
    }
    // The host restarts with the app; reconnect rather than go silently stale.
    socket.onclose = () => setTimeout(connect, 1000)
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    try {
      const res = await fetch(path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return (await res.json()) as Result<T>
    } catch (e) {
      return { ok: false, error: { code: 'io_error', message: `cannot reach Swarmscope: ${(e as Error).message}` } }
    }
  }

  return {
    call(route, input) {
      const [method, pattern] = routeAddresses[route as RouteName]
      const rest: Record<string, unknown> = { ...(input as object) }
      const path = pattern.replace(/:(\w+)/g, (_m, k: string) => {
        const v = encodeURIComponent(String(rest[k]))
        delete rest[k]
        return v
      })
      if (method === 'GET' || method === 'DELETE') {
        const qs = new URLSearchParams(Object.entries(rest).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
        return request(method, `/api/v1${path}${qs.size ? `?${qs}` : ''}`)
      }
      return request(method, `/api/v1${path}`, rest)
    },
    on(event: EventName, listener) {
      if (!socket) connect()
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    },
    async importDrop(dt, importId, signal) {
      const cancelled = { ok: false as const, error: { code: 'cancelled' as const, message: 'import cancelled' } }
      let uploadId: string | null = null
      try {
        // filesFromDrop reads the DataTransfer before its first await: its items expire after the event.
        const { files, unreadable } = await filesFromDrop(dt)
        if (files.length === 0) {
          const why = unreadable.length ? `: ${unreadable.map((u) => `${u.file} (${u.reason})`).join(', ')}` : ''
          return { ok: false, error: { code: 'bad_request', message: `nothing to import in that drop${why}` } }
        }
        const created = await request<{ uploadId: string }>('POST', '/api/v1/uploads')
        if (!created.ok) return created
        uploadId = created.data.uploadId
        // A file that cannot be uploaded (written to meanwhile, gone) is listed; the others go on.
        const failed: typeof unreadable = []
        for (const f of files) {
          if (signal?.aborted) return cancelled
          try {
            const res = await fetch(`/api/v1/uploads/${uploadId}/files?path=${encodeURIComponent(f.relativePath)}`, { method: 'PUT', headers, body: f.file, signal })
            if (!res.ok) failed.push({ file: f.relativePath, line: null, reason: `could not be uploaded (HTTP ${res.status})` })
          } catch (e) {
            if (signal?.aborted) return cancelled
            failed.push({ file: f.relativePath, line: null, reason: `could not be uploaded (changed or removed while it was read? ${(e as Error).message})` })
          }
        }
        if (signal?.aborted) return cancelled
        if (failed.length === files.length) return { ok: false, error: { code: 'io_error', message: `no file of that drop could be uploaded: ${failed[0].file} ${failed[0].reason}` } }
        const res = await request<ImportResult>('POST', `/api/v1/uploads/${uploadId}/import`, { importId })
        uploadId = null // the import removes the upload, whatever its outcome
        if (res.ok) res.data.skipped.unshift(...unreadable, ...failed)
        return res
      } catch (e) {
        return { ok: false, error: { code: 'io_error', message: `the drop could not be read: ${(e as Error).message}` } }
      } finally {
        // An upload left behind (cancelled, failed) is removed now, not when the host stops.
        if (uploadId !== null) void request('DELETE', `/api/v1/uploads/${uploadId}`)
      }
    },
  }
}
