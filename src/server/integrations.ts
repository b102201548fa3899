import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Core } from '../core'
import type { AnonymizedCore } from '../core/privacy/mirror'
import { loadConfig } from '../core/config/file'
import { fireAlerts } from '../core/alerts/engine'
import { evaluateCollectorDrops } from '../core/alerts/rules'
import { routeNames, type RouteName } from '../shared/contract'
import { openApiDocument } from './openapi'

export interface Integrations {
  /** Answers /api/v1/openapi.json, /metrics and /mcp; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
  close(): void
}

/**
 * What the local host offers besides the contract's routes: the OpenAPI document, Prometheus
 * metrics, the MCP endpoint, and alert rules evaluated as runs change. The host calls `handle`
 * after its token and Host/Origin checks, so all of it is as protected as the API.
 */
export function attachIntegrations(core: Core, opts: { alertPollMs?: number; mcpAnonymize?: boolean } = {}): Integrations {
  // The MCP SDK and prom-client load on first use: every CLI command starts this module, few serve MCP.
  let metrics: ReturnType<typeof loadMetrics> | null = null
  const loadMetrics = () => import('./metrics').then((m) => m.createMetrics(core))

  // MCP under pseudonyms when `serve --mcp-anonymize` or the privacy.anonymizeMcp setting says so
  // (read at every request: turning it on needs no restart; a broken config.json fails the request
  // rather than answer with names). One view for the host's life: one salt, so the pseudonyms an
  // agent was given still name the same runs in its follow-up requests.
  let mirror: AnonymizedCore | null = null
  const mcpCore = async (): Promise<Pick<Core, 'call'>> => {
    if (!opts.mcpAnonymize && !loadConfig(core.dbPath).privacy.anonymizeMcp) return core
    const { createAnonymizedCore } = await import('../core/privacy/mirror')
    return (mirror ??= createAnonymizedCore(core, {}, { nativeBinding: core.nativeBinding }))
  }

  // Alerts: evaluated when runs change (imports, live collection), delivered in the background.
  // Live runs change every second; their ids are gathered and checked at most every few seconds.
  const pending = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let evaluating: Promise<unknown> = Promise.resolve()
  let lastFlush = 0
  const flush = () => {
    timer = null
    lastFlush = Date.now()
    const runs = [...pending]
    pending.clear()
    // All at once (a folder import touches thousands of runs); if one was deleted meanwhile
    // (runs.changed reports deletions too), one at a time, so it fails alone.
    evaluating = evaluating.then(async () => {
      const all = await core.call('alerts.evaluate', { runs })
      if (!all.ok) for (const id of runs) await core.call('alerts.evaluate', { runs: [id] })
    }).catch(() => undefined)
  }
  const unsubscribe = core.on('runs.changed', (p) => {
    for (const id of p.runIds) pending.add(id)
    if (pending.size > 0 && timer === null) timer = setTimeout(flush, Math.max(100, 5000 - (Date.now() - lastFlush)))
  })
  // Collector drops come from the live collector's health, when there is one.
  const poll = (routeNames as string[]).includes('live.health')
    ? setInterval(async () => {
        const config = (() => {
          try {
            return loadConfig(core.dbPath)
          } catch {
            return null
          }
        })()
        if (!config?.alerts.rules.some((r) => r.kind === 'collector-drops' && r.enabled)) return
        const health = await core.call('live.health' as RouteName, {} as never)
        const dropped = health.ok ? (health.data as { totals?: { dropped?: number } }).totals?.dropped : undefined
        if (typeof dropped === 'number') await fireAlerts(core.dbPath, config, evaluateCollectorDrops(dropped, config.alerts.rules), { deliver: true, force: false })
      }, opts.alertPollMs ?? 15_000)
    : null
  poll?.unref()

  return {
    async handle(req, res, url) {
      if (url.pathname === '/api/v1/openapi.json' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        res.end(JSON.stringify(openApiDocument()))
        return true
      }
      if (url.pathname === '/metrics' && req.method === 'GET') {
        const m = await (metrics ??= loadMetrics())
        const text = await m.render()
        res.writeHead(200, { 'content-type': m.registry.contentType, 'cache-control': 'no-store' })
        res.end(text)
        return true
      }
      if (url.pathname === '/mcp') {
        const { handleMcpRequest } = await import('./mcp/http')
        await handleMcpRequest(await mcpCore(), req, res)
        return true
      }
      return false
    },
    close() {
      unsubscribe()
      if (timer) clearTimeout(timer)
      if (poll) clearInterval(poll)
      mirror?.close()
    },
  }
}
