import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { Core } from '../core'
import { routeNames, type RouteName } from '../shared/contract'
import type { RunOverview } from '../shared/dto'

// Prometheus metrics of the local host (GET /metrics, token required like every request).
// Everything is read from the core on scrape, so the numbers are the stored ones. Per-run and
// per-agent series cover only the N most recent runs (config metrics.recentRuns) and the
// busiest agents of each, so label cardinality stays bounded however many runs are stored.

const MAX_AGENTS_PER_RUN = 20
const TOKEN_TYPES = ['input', 'output', 'cache_write', 'cache_read'] as const

interface LiveSourceLike { id: string; kind: string; received: number; written: number; rejected: number; dropped: number; sampledOut: number; ratePerSec: number; queueDepth: number; queueCapacity: number }
interface LiveHealthLike { sources: LiveSourceLike[]; writer: { queueDepth: number; queueCapacity: number; failedBatches: number }; totals: { dropped: number } }

/** Calls a route that another part of the app may or may not provide yet (live collection). */
async function optional<T>(core: Core, route: string): Promise<T | null> {
  if (!(routeNames as string[]).includes(route)) return null
  const r = await core.call(route as RouteName, {} as never)
  return r.ok ? (r.data as T) : null
}

const tokenValues = (t: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }) =>
  ({ input: t.inputTokens, output: t.outputTokens, cache_write: t.cacheCreationTokens, cache_read: t.cacheReadTokens }) as const

export function createMetrics(core: Core): { registry: Registry; render(): Promise<string> } {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'swarmscope_' })
  const reg = { registers: [registry] }

  // Stored totals are counters: they only grow unless runs are deleted (Prometheus sees a reset).
  const runsGauge = new Gauge({ name: 'swarmscope_runs', help: 'Runs in the store', ...reg })
  const tokens = new Counter({ name: 'swarmscope_tokens_total', help: 'Tokens of all stored runs by type', labelNames: ['type'], ...reg })
  const cost = new Counter({ name: 'swarmscope_cost_usd_total', help: 'Cost in USD of all stored runs', ...reg })
  const runTokens = new Counter({ name: 'swarmscope_run_tokens_total', help: 'Tokens of the most recent runs by type', labelNames: ['run', 'type'], ...reg })
  const runCost = new Counter({ name: 'swarmscope_run_cost_usd_total', help: 'Cost in USD of the most recent runs', labelNames: ['run'], ...reg })
  const runCalls = new Counter({ name: 'swarmscope_run_calls_total', help: 'LLM and tool calls of the most recent runs', labelNames: ['run', 'kind'], ...reg })
  const runErrors = new Counter({ name: 'swarmscope_run_errors_total', help: 'Errors of the most recent runs', labelNames: ['run'], ...reg })
  const agentTokens = new Counter({ name: 'swarmscope_agent_tokens_total', help: 'Tokens per agent of the most recent runs', labelNames: ['run', 'agent', 'type'], ...reg })
  const agentCost = new Counter({ name: 'swarmscope_agent_cost_usd_total', help: 'Cost in USD per agent of the most recent runs', labelNames: ['run', 'agent'], ...reg })
  const alertsFired = new Counter({ name: 'swarmscope_alerts_fired_total', help: 'Alerts fired (kept history)', labelNames: ['rule'], ...reg })
  const alertFailures = new Counter({ name: 'swarmscope_alert_delivery_failures_total', help: 'Webhook deliveries that failed after every retry', ...reg })
  const received = new Counter({ name: 'swarmscope_collector_received_total', help: 'Records received by live sources', labelNames: ['source', 'kind'], ...reg })
  const written = new Counter({ name: 'swarmscope_collector_written_total', help: 'Records committed by live sources', labelNames: ['source', 'kind'], ...reg })
  const rejected = new Counter({ name: 'swarmscope_collector_rejected_total', help: 'Records refused as invalid', labelNames: ['source', 'kind'], ...reg })
  const dropped = new Counter({ name: 'swarmscope_collector_dropped_total', help: 'Records lost for good', labelNames: ['source', 'kind'], ...reg })
  const sampledOut = new Counter({ name: 'swarmscope_collector_sampled_out_total', help: 'Records left out by sampling', labelNames: ['source', 'kind'], ...reg })
  const rate = new Gauge({ name: 'swarmscope_collector_rate_per_second', help: 'Records committed per second', labelNames: ['source', 'kind'], ...reg })
  const queue = new Gauge({ name: 'swarmscope_collector_queue_depth', help: 'Records queued and not yet committed', labelNames: ['queue'], ...reg })
  const queueCap = new Gauge({ name: 'swarmscope_collector_queue_capacity', help: 'Queue capacity', labelNames: ['queue'], ...reg })
  const failedBatches = new Gauge({ name: 'swarmscope_collector_failed_batches', help: 'Write batches that failed', ...reg })

  async function refresh(): Promise<void> {
    for (const m of [tokens, cost, runTokens, runCost, runCalls, runErrors, agentTokens, agentCost, alertsFired, alertFailures, received, written, rejected, dropped, sampledOut, rate, queue, queueCap, failedBatches]) m.reset()
    const config = await core.call('config.get', {})
    const recent = config.ok ? config.data.config.metrics.recentRuns : 20
    // Stored totals in one aggregate query; runs are listed only as far as the per-run series go.
    const totals = await core.call('runs.totals', {})
    if (totals.ok) {
      runsGauge.set(totals.data.runs)
      for (const type of TOKEN_TYPES) tokens.inc({ type }, tokenValues(totals.data)[type])
      cost.inc(totals.data.costUsd)
    }
    // recentRuns 0 turns the per-run series off (a limit of 0 is not a limit to the route).
    const latest = recent > 0 ? await core.call('runs.list', { limit: recent }) : null
    if (latest?.ok) {
      for (const r of latest.data) {
        for (const type of TOKEN_TYPES) runTokens.inc({ run: r.id, type }, tokenValues(r)[type])
        runCost.inc({ run: r.id }, r.costUsd)
        runCalls.inc({ run: r.id, kind: 'llm' }, r.llmCalls)
        runCalls.inc({ run: r.id, kind: 'tool' }, r.toolCalls)
        runErrors.inc({ run: r.id }, r.errors)
        const o = await core.call('runs.overview', { id: r.id, maxPoints: 10 })
        if (o.ok) addAgents(r.id, o.data.agents)
      }
    }
    const alerts = await core.call('alerts.list', { limit: 1000 })
    if (alerts.ok) {
      for (const a of alerts.data.alerts) {
        alertsFired.inc({ rule: a.ruleId })
        alertFailures.inc(a.deliveries.filter((d) => d.status === 'failed').length)
      }
    }
    const live = await optional<LiveHealthLike>(core, 'live.health')
    if (live) {
      for (const s of live.sources) {
        const l = { source: s.id, kind: s.kind }
        received.inc(l, s.received)
        written.inc(l, s.written)
        rejected.inc(l, s.rejected)
        dropped.inc(l, s.dropped)
        sampledOut.inc(l, s.sampledOut)
        rate.set(l, s.ratePerSec)
        queue.set({ queue: s.id }, s.queueDepth)
        queueCap.set({ queue: s.id }, s.queueCapacity)
      }
      queue.set({ queue: 'writer' }, live.writer.queueDepth)
      queueCap.set({ queue: 'writer' }, live.writer.queueCapacity)
      failedBatches.set(live.writer.failedBatches)
    }
  }

  function addAgents(runId: string, agents: RunOverview['agents']): void {
    const busiest = [...agents].sort((a, b) => b.costUsd - a.costUsd || b.llmCalls - a.llmCalls)
    const shown = busiest.slice(0, MAX_AGENTS_PER_RUN)
    const rest = busiest.slice(MAX_AGENTS_PER_RUN)
    const put = (agent: string, t: Parameters<typeof tokenValues>[0], usd: number) => {
      for (const type of TOKEN_TYPES) agentTokens.inc({ run: runId, agent, type }, tokenValues(t)[type])
      agentCost.inc({ run: runId, agent }, usd)
    }
    for (const a of shown) put(a.name, a, a.costUsd)
    if (rest.length) {
      const sum = (k: 'inputTokens' | 'outputTokens' | 'cacheCreationTokens' | 'cacheReadTokens' | 'costUsd') => rest.reduce((n, a) => n + a[k], 0)
      put('_other', { inputTokens: sum('inputTokens'), outputTokens: sum('outputTokens'), cacheCreationTokens: sum('cacheCreationTokens'), cacheReadTokens: sum('cacheReadTokens') }, sum('costUsd'))
    }
  }

  // One scrape at a time: a slow scrape overlapping the next would reset counters mid-render.
  let chain: Promise<unknown> = Promise.resolve()
  return {
    registry,
    render() {
      const next = chain.then(async () => {
        await refresh()
        return registry.metrics()
      })
      chain = next.catch(() => undefined)
      return next
    },
  }
}
