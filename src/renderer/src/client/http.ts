import { routeAddresses } from 'virtual:route-addresses'
import type { EventName, RouteName } from '../../../shared/contract'
import type { CoreClient } from '../../../shared/client'
import type { ImportResult } from '../../../shared/dto'
import type { Result } from '../../../shared/result'
import { filesFromDrop } from '../lib/dropped-files'

/** The contract over the local host: REST calls with the token, push events over one WebSocket. */
export function createHttpClient(token: string): CoreClient & { importDrop(dt: DataTransfer, importId: string): Promise<Result<ImportResult>> } {
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
    async importDrop(dt, importId) {
      // filesFromDrop reads the DataTransfer before its first await: its items expire after the event.
      const files = await filesFromDrop(dt)
      if (files.length === 0) return { ok: false, error: { code: 'bad_request', message: 'nothing to import in that drop' } }
      const created = await request<{ uploadId: string }>('POST', '/api/v1/uploads')
      if (!created.ok) return created
      for (const f of files) {
        const res = await fetch(`/api/v1/uploads/${created.data.uploadId}/files?path=${encodeURIComponent(f.relativePath)}`, { method: 'PUT', headers, body: f.file })
        if (!res.ok) return { ok: false, error: { code: 'io_error', message: `upload of ${f.relativePath} failed (${res.status})` } }
      }
      return request<ImportResult>('POST', `/api/v1/uploads/${created.data.uploadId}/import`, { importId })
    },
  }
}
