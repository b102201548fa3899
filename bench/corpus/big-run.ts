import type { Database } from 'better-sqlite3'
import { refreshRunStats } from '../../src/core/store/run-stats'
import { mulberry32 as prng } from '../../src/core/analysis/stats/random'

// One large run written straight into the store's schema, the shape of a busy swarm: a main
// agent delegating to subagents, each alternating LLM calls (three models, priced like
// Anthropic's) and tool calls (a few percent failing). Deterministic for a given seed.

export interface BigRunSpec {
  id: string
  name?: string
  group?: string | null
  spans: number
  subagents?: number
  seed?: number
}

const MODELS = [
  { id: 'claude-sonnet-4-5', input: 3, output: 15, medianMs: 2500 },
  { id: 'claude-haiku-4-5', input: 1, output: 5, medianMs: 900 },
  { id: 'claude-opus-4-1', input: 15, output: 75, medianMs: 5000 },
]
const TOOLS = [
  { name: 'Read', medianMs: 40 }, { name: 'Edit', medianMs: 80 }, { name: 'Bash', medianMs: 1200 }, { name: 'Grep', medianMs: 120 },
  { name: 'Glob', medianMs: 60 }, { name: 'Write', medianMs: 70 }, { name: 'WebFetch', medianMs: 2500 },
]

/** Writes the run in one transaction; returns the number of spans written. */
export function writeBigRun(db: Database, spec: BigRunSpec): number {
  const rnd = prng(spec.seed ?? 1)
  const logn = (median: number, sigma: number) => median * Math.exp(sigma * (rnd() + rnd() + rnd() - 1.5) * 2)
  const subagents = spec.subagents ?? 20
  const agents = ['main', ...Array.from({ length: subagents }, (_, i) => `sub${i}`)]
  const t0 = 1_760_000_000_000
  const insertSpan = db.prepare(`INSERT INTO spans (run_id, id, parent_id, agent_id, kind, name, start_ms, end_ms, status, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
  let written = 0
  db.transaction(() => {
    db.prepare(`INSERT INTO runs (id, source, format, name, group_name, created_at, updated_at) VALUES (?, 'ndjson', 'bench', ?, ?, ?, ?)`)
      .run(spec.id, spec.name ?? spec.id, spec.group ?? null, t0, t0)
    const perAgent = Math.floor((spec.spans - agents.length * 2) / agents.length)
    let clock = t0
    agents.forEach((agent, ai) => {
      const parentSpan = ai === 0 ? null : `task${ai}`
      db.prepare('INSERT INTO agents (run_id, id, name, type, parent_agent_id, parent_span_id) VALUES (?, ?, ?, ?, ?, ?)')
        .run(spec.id, agent, agent, ai === 0 ? 'main' : ['coder', 'tester', 'researcher', 'reviewer'][ai % 4], ai === 0 ? null : 'main', parentSpan)
      // Subagents overlap: each starts a little after the previous one.
      let t = ai === 0 ? t0 : t0 + ai * 60_000
      const start = t
      for (let i = 0; i < perAgent; i += 2) {
        const m = MODELS[Math.floor(rnd() * (ai === 0 ? 3 : 2))]
        const input = Math.round(logn(20, 0.5)), output = Math.round(logn(600, 0.6))
        const cacheRead = Math.round(logn(40_000, 0.5)), cacheCreate = Math.round(logn(1500, 0.8))
        const cost = (input * m.input + output * m.output + cacheRead * m.input * 0.1 + cacheCreate * m.input * 1.25) / 1e6
        const llmMs = Math.round(logn(m.medianMs, 0.4) * (1 + output / 4000))
        insertSpan.run(spec.id, `${agent}-l${i}`, `agent:${agent}`, agent, 'llm', m.id, t, t + llmMs, 'ok', m.id, input, output, cacheCreate, cacheRead, cost)
        t += llmMs
        const tool = TOOLS[Math.floor(rnd() * TOOLS.length)]
        const toolMs = Math.round(logn(tool.medianMs, 0.7))
        insertSpan.run(spec.id, `${agent}-t${i}`, `${agent}-l${i}`, agent, 'tool', tool.name, t, t + toolMs, rnd() < 0.03 ? 'error' : 'ok', null, null, null, null, null, null)
        t += toolMs + Math.round(rnd() * 50)
        written += 2
      }
      insertSpan.run(spec.id, `agent:${agent}`, parentSpan, agent, 'agent', agent, start, t, 'ok', null, null, null, null, null, null)
      if (parentSpan) insertSpan.run(spec.id, parentSpan, 'main-l0', 'main', 'tool', 'Task', start - 5, t + 5, 'ok', null, null, null, null, null, null)
      written += parentSpan ? 2 : 1
      clock = Math.max(clock, t)
    })
    refreshRunStats(db, spec.id)
  })()
  return written
}
