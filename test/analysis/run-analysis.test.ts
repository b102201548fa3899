import Database from 'better-sqlite3'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { analyzeRun } from '../../src/core/analysis/run-analysis'
import { RunAnalysis } from '../../src/shared/analysis-dto'
import { close } from './helpers'

const FIXTURE = '/work/shared/fixtures/real/claude-code-jsonl/claude-code-log'
const RUN = 'cc-55550000-0000-4000-8000-000000000001'
const SIDECHAIN_RUN = 'cc-88a8d761-7b9a-4bf1-a8ca-c1febe6bf358'

interface Line {
  type?: string
  uuid?: string
  parentUuid?: string | null
  sessionId?: string
  timestamp: string
  isSidechain?: boolean
  agentId?: string
  requestId?: string
  message?: { id?: string; usage?: { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number } }
}

function jsonl(dir: string): { file: string; lines: Line[] }[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return jsonl(p)
    if (!name.endsWith('.jsonl')) return []
    return [{ file: p, lines: readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Line) }]
  })
}

/**
 * The expected numbers, computed here straight from the transcripts, without the importer:
 * per agent (main for non-sidechain lines, else the line's agentId) the usage of each distinct
 * response (message.id + requestId), and each call's latency (its time minus its parent's).
 */
function expectedFromJsonl(sessionId: string) {
  const lines = jsonl(FIXTURE).flatMap((f) => f.lines).filter((l) => l.sessionId === sessionId)
  const ts = new Map(lines.map((l) => [l.uuid ?? null, Date.parse(l.timestamp)]))
  const seen = new Set<string>()
  const perAgent: Record<string, { input: number; output: number; cacheRead: number; calls: number }> = {}
  const llmLatency: number[] = []
  for (const l of lines) {
    if (l.type !== 'assistant' || !l.message?.usage) continue
    const usage = l.message.usage
    const key = `${l.message.id}:${l.requestId ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    const agent = l.isSidechain ? (l.agentId as string) : 'main'
    const a = (perAgent[agent] ??= { input: 0, output: 0, cacheRead: 0, calls: 0 })
    a.input += usage.input_tokens ?? 0
    a.output += usage.output_tokens ?? 0
    a.cacheRead += usage.cache_read_input_tokens ?? 0
    a.calls++
    const parentTs = ts.get(l.parentUuid ?? null)
    if (parentTs !== undefined) llmLatency.push(Date.parse(l.timestamp) - parentTs)
  }
  const times = lines.map((l) => Date.parse(l.timestamp))
  return { perAgent, llmLatency, wallMs: Math.max(...times) - Math.min(...times), lines }
}

const prices = JSON.parse(readFileSync(fileURLToPath(new URL('../../resources/pricing/anthropic.json', import.meta.url)), 'utf8')) as { models: { match: string; input: number; output: number; cacheRead: number }[] }
const rate = (match: string) => prices.models.find((m) => m.match === match)!

describe('analyzeRun on the imported Claude Code fixture', () => {
  let dir: string
  let db: Database.Database
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmscope-analysis-'))
    const core = createCore({ path: join(dir, 'store.db') })
    const res = await core.call('import.paths', { paths: [FIXTURE] })
    expect(res.ok).toBe(true)
    core.close()
    db = new Database(join(dir, 'store.db'), { readonly: true })
  })
  afterAll(() => {
    db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('attributes tokens and cost per agent as the transcripts say, with the subagent rolled up into main', () => {
    const exp = expectedFromJsonl('55550000-0000-4000-8000-000000000001')
    const r = RunAnalysis.parse(analyzeRun(db, RUN))
    const haiku = rate('claude-haiku-4-5')
    const costOf = (a: { input: number; output: number }) => (a.input * haiku.input + a.output * haiku.output) / 1e6
    const main = r.attribution.byAgent.find((a) => a.agentId === 'main')!
    const sub = r.attribution.byAgent.find((a) => a.agentId === 'showcol1')!
    expect(main.own).toMatchObject({ inputTokens: exp.perAgent.main.input, outputTokens: exp.perAgent.main.output, llmCalls: exp.perAgent.main.calls })
    expect(sub.own).toMatchObject({ inputTokens: exp.perAgent.showcol1.input, outputTokens: exp.perAgent.showcol1.output, llmCalls: 1 })
    expect(main.rolledUp.inputTokens).toBe(exp.perAgent.main.input + exp.perAgent.showcol1.input)
    expect(main.rolledUp.outputTokens).toBe(exp.perAgent.main.output + exp.perAgent.showcol1.output)
    expect(sub.parentAgentId).toBe('main')
    expect(sub.depth).toBe(1)
    close(main.own.costUsd, costOf(exp.perAgent.main), 1e-12)
    close(main.rolledUp.costUsd, costOf(exp.perAgent.main) + costOf(exp.perAgent.showcol1), 1e-12)
    close(r.attribution.totalCostUsd, main.rolledUp.costUsd, 1e-12)
    close(main.shareOfCost, exp.perAgent.main.input / (exp.perAgent.main.input + exp.perAgent.showcol1.input))
    // showcol2 ran no transcript here: it has a row, with zero usage.
    expect(r.attribution.byAgent.find((a) => a.agentId === 'showcol2')!.rolledUp.llmCalls).toBe(0)
  })

  it('summarises LLM latency, tokens per call and tools from the same rows', () => {
    const exp = expectedFromJsonl('55550000-0000-4000-8000-000000000001')
    const r = analyzeRun(db, RUN)
    expect(r.llm.latencyMs.summary.count).toBe(exp.llmLatency.length)
    close(r.llm.latencyMs.summary.mean, exp.llmLatency.reduce((a, b) => a + b, 0) / exp.llmLatency.length)
    expect(r.llm.tokensPerCall.summary).toMatchObject({ count: 6, mean: 160, p95: 160 })
    const agentTool = r.attribution.byTool.find((t) => t.tool === 'Agent')!
    // Agent calls: toolu_sc_showcol1 answered 1 s after the call, toolu_sc_showcol2 2 s after.
    expect(agentTool).toMatchObject({ count: 2, errors: 0, totalMs: 3000, meanMs: 1500 })
    close(agentTool.p95Ms, 1950)
    expect(r.attribution.byModel).toHaveLength(1)
    expect(r.cache).toMatchObject({ cacheReadTokens: 0, hitRatio: 0, savedUsd: 0 })
  })

  it('finds the critical path and the agents’ working and waiting time', () => {
    const exp = expectedFromJsonl('55550000-0000-4000-8000-000000000001')
    const r = analyzeRun(db, RUN)
    expect(r.structure.wallMs).toBe(exp.wallMs)
    const segs = r.structure.criticalPath.segments
    expect(segs.reduce((t, s) => t + s.endMs - s.startMs, 0)).toBe(exp.wallMs)
    // The slower of the two parallel Agent calls (2 s) is on the path, the 1 s one is not.
    expect(r.structure.criticalPath.spanIds).toContain('tool:toolu_sc_showcol2')
    expect(r.structure.criticalPath.spanIds).not.toContain('tool:toolu_sc_showcol1')
    const main = r.structure.agents.find((a) => a.agentId === 'main')!
    expect(main).toMatchObject({ lifetimeMs: 10_000, workingMs: 8_000, delegatingMs: 2_000 })
  })

  it('produces ranked, computed insights and is deterministic', () => {
    const a = analyzeRun(db, RUN)
    expect(a.insights.length).toBeGreaterThan(0)
    expect(a.insights.map((i) => i.rank)).toEqual(a.insights.map((_, i) => i + 1))
    for (let i = 1; i < a.insights.length; i++) {
      expect(a.insights[i - 1].impact * a.insights[i - 1].confidence).toBeGreaterThanOrEqual(a.insights[i].impact * a.insights[i].confidence)
    }
    const share = a.insights.find((i) => i.kind === 'cost-share-agent')!
    close(share.evidence.share as number, 5 / 6)
    expect(share.title).toContain('83%')
    expect(analyzeRun(db, RUN)).toEqual(a)
  })

  it('prices cache savings as the transcript usage implies (sidechain fixture, Sonnet 4.5)', () => {
    const exp = expectedFromJsonl('88a8d761-7b9a-4bf1-a8ca-c1febe6bf358')
    const reads = Object.values(exp.perAgent).reduce((t, a) => t + a.cacheRead, 0)
    expect(reads).toBeGreaterThan(0)
    const sonnet = rate('claude-sonnet-4-5')
    const r = RunAnalysis.parse(analyzeRun(db, SIDECHAIN_RUN))
    expect(r.cache.cacheReadTokens).toBe(reads)
    close(r.cache.savedUsd, (reads * (sonnet.input - sonnet.cacheRead)) / 1e6, 1e-12)
    expect(r.insights.some((i) => i.kind === 'cache')).toBe(true)
  })

  it('rejects an unknown run', () => {
    expect(() => analyzeRun(db, 'no-such-run')).toThrow(/no run with id/)
  })
})
