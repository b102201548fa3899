import type { Database } from 'better-sqlite3'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { mulberry32, normalSampler } from '../../src/core/analysis/stats'

// Synthetic runs written straight into the schema of migration 0001: a main agent (Sonnet)
// alternating LLM and tool calls, plus one researcher subagent (Haiku) started by a Task call.

export interface RunSpec {
  id: string
  group: string
  seed: number
  /** Multiplies every Sonnet LLM latency (1.2 = a planted 20% regression). */
  sonnetLatencyFactor?: number
  calls?: number
}

const PRICE = { sonnet: { input: 3, output: 15 }, haiku: { input: 1, output: 5 } }

export function writeRun(db: Database, spec: RunSpec): void {
  const rng = mulberry32(spec.seed)
  const z = normalSampler(rng)
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * z())
  const calls = spec.calls ?? 30
  const t0 = 1_700_000_000_000 + spec.seed * 10_000_000
  const span = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd)
    VALUES (@run, @id, @parent, @agent, @kind, @name, @start, @end, @status, @model, @input, @output, 0, @cacheRead, @cost)`)
  const llm = (id: string, agent: string, model: 'sonnet' | 'haiku', start: number, ms: number) => {
    const input = Math.round(lognormal(4000, 0.2))
    const output = Math.round(lognormal(400, 0.2))
    const cacheRead = Math.round(input * 2)
    const p = PRICE[model]
    const cost = (input * p.input + output * p.output + cacheRead * p.input * 0.1) / 1e6
    span.run({ run: spec.id, id, parent: `agent:${agent}`, agent, kind: 'llm', name: model, start, end: start + ms, status: 'ok', model: model === 'sonnet' ? 'claude-sonnet-4-5' : 'claude-haiku-4-5', input, output, cacheRead, cost })
    return start + ms
  }
  const tool = (id: string, parent: string, agent: string, name: string, start: number, ms: number, status = 'ok') => {
    span.run({ run: spec.id, id, parent, agent, kind: 'tool', name, start, end: start + ms, status, model: null, input: null, output: null, cacheRead: null, cost: null })
    return start + ms
  }
  db.transaction(() => {
    db.prepare(`INSERT INTO runs (id, source, format, name, group_name, created_at, updated_at) VALUES (?, 'synthetic', 'sql', ?, ?, ?, ?)`).run(spec.id, spec.id, spec.group, t0, t0)
    db.prepare(`INSERT INTO agents (run_id, id, name, type) VALUES (?, 'main', 'main', 'main')`).run(spec.id)
    let t = t0
    for (let i = 0; i < calls; i++) {
      t = llm(`llm${i}`, 'main', 'sonnet', t, lognormal(2000, 0.3) * (spec.sonnetLatencyFactor ?? 1))
      const name = i % 3 === 0 ? 'Bash' : 'Read'
      t = tool(`tool${i}`, `llm${i}`, 'main', name, t, lognormal(name === 'Bash' ? 800 : 150, 0.4), rng() < 0.05 ? 'error' : 'ok')
      if (i === calls >> 1) {
        // The subagent runs inside a Task call of the main agent.
        const sub = `sub${spec.seed}`
        db.prepare(`INSERT INTO agents (run_id, id, name, type, parent_agent_id, parent_span_id) VALUES (?, ?, ?, 'researcher', 'main', 'task')`).run(spec.id, sub, `researcher ${sub}`)
        const start = t
        let s = t + 5
        for (let j = 0; j < 6; j++) s = llm(`sub-llm${j}`, sub, 'haiku', s, lognormal(700, 0.3))
        span.run({ run: spec.id, id: `agent:${sub}`, parent: 'task', agent: sub, kind: 'agent', name: sub, start: start + 5, end: s, status: 'ok', model: null, input: null, output: null, cacheRead: null, cost: null })
        t = tool('task', `llm${i}`, 'main', 'Task', start, s + 5 - start)
      }
    }
    span.run({ run: spec.id, id: 'agent:main', parent: null, agent: 'main', kind: 'agent', name: 'main', start: t0, end: t, status: 'ok', model: null, input: null, output: null, cacheRead: null, cost: null })
    refreshRunStats(db, spec.id)
  })()
}
