import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { CC, SHOWCASE_MAIN, SHOWCASE_SUB, SIDECHAIN, sessionFacts } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

async function importOk(core: ReturnType<typeof createCore>, paths: string[]) {
  const r = await core.call('import.paths', { paths })
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

describe('Claude Code transcripts', () => {
  it('imports every real fixture with the counts computed independently from the files', async () => {
    const core = createCore({ path: tempDb() })
    const result = await importOk(core, [CC])
    const facts = sessionFacts([SIDECHAIN, SHOWCASE_MAIN, SHOWCASE_SUB])
    const byPlace = (a: { file: string; line: number | null }, b: { file: string; line: number | null }) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)
    expect([...result.skipped].sort(byPlace)).toEqual([])
    expect(result.runs).toHaveLength(facts.size)
    for (const f of facts.values()) {
      const run = result.runs.find((r) => r.id === `cc-${f.sessionId}`)!
      expect(run, f.sessionId).toBeDefined()
      expect({
        llmCalls: run.llmCalls, toolCalls: run.toolCalls, agents: run.agents, inputTokens: run.inputTokens, outputTokens: run.outputTokens,
        cacheCreationTokens: run.cacheCreationTokens, cacheReadTokens: run.cacheReadTokens, durationMs: run.durationMs,
      }).toEqual({
        llmCalls: f.llmCalls, toolCalls: f.toolCalls, agents: f.agents, inputTokens: f.inputTokens, outputTokens: f.outputTokens,
        cacheCreationTokens: f.cacheCreationTokens, cacheReadTokens: f.cacheReadTokens, durationMs: f.durationMs,
      })
      const overview = await core.call('runs.overview', { id: run.id })
      if (!overview.ok) throw new Error(overview.error.message)
      const perAgent = Object.fromEntries(overview.data.agents.filter((a) => a.llmCalls > 0).map((a) => [a.id, a.llmCalls]))
      expect(perAgent).toEqual(f.perAgentLlmCalls)
    }
    core.close()
  })

  it('links a subagent to the Agent tool call that started it, whichever file is read first', async () => {
    for (const order of [[SHOWCASE_SUB, SHOWCASE_MAIN], [SHOWCASE_MAIN, SHOWCASE_SUB]]) {
      const db = tempDb()
      const core = createCore({ path: db })
      for (const f of order) await importOk(core, [f])
      core.close()
      const sql = new Database(db, { readonly: true })
      const agent = sql.prepare(`SELECT parent_agent_id, parent_span_id, type FROM agents WHERE id = 'showcol1'`).get()
      expect(agent).toEqual({ parent_agent_id: 'main', parent_span_id: 'tool:toolu_sc_showcol1', type: 'general-purpose' })
      const span = sql.prepare(`SELECT parent_id FROM spans WHERE id = 'agent:showcol1'`).get()
      expect(span).toEqual({ parent_id: 'tool:toolu_sc_showcol1' })
      sql.close()
    }
  })

  it('prices LLM calls from the offline table and flags unknown models instead of pricing them at zero', async () => {
    const dir = tempDir()
    const file = join(dir, 's1.jsonl')
    const line = (model: string, id: string) =>
      JSON.stringify({ type: 'assistant', sessionId: 's1', uuid: id, timestamp: '2026-01-01T00:00:00Z', message: { id, model, usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } } })
    writeFileSync(file, [line('claude-haiku-4-5-20251001', 'm1'), line('mystery-model-9', 'm2')].join('\n') + '\n')
    const core = createCore({ path: tempDb() })
    const [run] = (await importOk(core, [file])).runs
    expect(run.costUsd).toBeCloseTo(1 + 5, 10) // haiku 4.5: $1/M input + $5/M output
    expect(run.unpricedModels).toEqual(['mystery-model-9'])
    core.close()
  })

  it('is idempotent: importing the same files again changes nothing', async () => {
    const db = tempDb()
    const core = createCore({ path: db })
    const first = await importOk(core, [CC])
    const snapshot = () => new Database(db, { readonly: true }).prepare('SELECT COUNT(*) n, SUM(input_tokens) t FROM spans').get()
    const before = snapshot()
    const second = await importOk(core, [CC])
    expect(snapshot()).toEqual(before)
    expect(second.runs.map((r) => [r.id, r.llmCalls, r.inputTokens]).sort()).toEqual(first.runs.map((r) => [r.id, r.llmCalls, r.inputTokens]).sort())
    core.close()
  })

  it('reads only the new lines of a grown transcript and ends with the same numbers as a full import', async () => {
    const dir = tempDir()
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    const growing = join(dir, '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
    writeFileSync(growing, lines.slice(0, 3).join('\n') + '\n' + lines[3].slice(0, 40)) // the last line half written
    const core = createCore({ path: tempDb() })
    const partial = await importOk(core, [growing])
    expect(partial.skipped).toEqual([{ file: growing, line: 4, reason: expect.stringContaining('incomplete last line') }])
    appendFileSync(growing, lines[3].slice(40) + '\n' + lines.slice(4).join('\n') + '\n')
    const grown = await importOk(core, [growing])
    const full = createCore({ path: tempDb() })
    const reference = await importOk(full, [SIDECHAIN])
    const pick = (r: (typeof reference.runs)[number]) => [r.llmCalls, r.toolCalls, r.agents, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.durationMs]
    expect(grown.skipped).toEqual([])
    expect(pick(grown.runs[0])).toEqual(pick(reference.runs[0]))
    // Grown again by a bad line only: refused with its line, and the answer still names the
    // file's run, unchanged (it said "no runs" and the CLI exited 1).
    appendFileSync(growing, 'garbage\n')
    const bad = await importOk(core, [growing])
    expect(bad.skipped).toEqual([{ file: growing, line: lines.length + 1, reason: expect.stringContaining('not valid JSON') }])
    expect(bad.runs.map(pick)).toEqual([pick(reference.runs[0])])
    core.close()
    full.close()
  })

  it('reports bad input with file and line, imports the good lines, and keeps what was stored', async () => {
    const dir = tempDir()
    const core = createCore({ path: tempDb() })
    await importOk(core, [SHOWCASE_MAIN])
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    const bad = join(dir, 'bad.jsonl')
    const wrongType = JSON.parse(lines[5])
    wrongType.message.usage.input_tokens = 'three'
    writeFileSync(bad, [lines[0], '{"type":"assistant", trunc', lines[1], JSON.stringify(wrongType), '[1,2]'].join('\n') + '\n')
    const binary = join(dir, 'blob.bin')
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255]))
    const empty = join(dir, 'empty.jsonl')
    writeFileSync(empty, '')
    const result = await importOk(core, [bad, binary, empty, join(dir, 'missing.jsonl')])
    const byPlace = (a: { file: string; line: number | null }, b: { file: string; line: number | null }) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)
    expect([...result.skipped].sort(byPlace)).toEqual([
      { file: bad, line: 2, reason: expect.stringContaining('not valid JSON') },
      { file: bad, line: 4, reason: 'message.usage.input_tokens is not a whole non-negative number: "three"' },
      { file: bad, line: 5, reason: 'expected a JSON object' },
      { file: binary, line: null, reason: 'binary file of an unknown format' },
      { file: empty, line: null, reason: 'empty file' },
      { file: join(dir, 'missing.jsonl'), line: null, reason: 'cannot read: no such file or folder' },
    ].sort(byPlace))
    const run = result.runs.find((r) => r.id === 'cc-88a8d761-7b9a-4bf1-a8ca-c1febe6bf358')!
    expect(run.llmCalls).toBe(1) // line 1 imported; line 4 (the other call) was refused
    const showcase = await core.call('runs.get', { id: 'cc-55550000-0000-4000-8000-000000000001' })
    expect(showcase.ok && showcase.data.llmCalls).toBe(sessionFacts([SHOWCASE_MAIN]).get('55550000-0000-4000-8000-000000000001')!.llmCalls)
    core.close()
  })

  it('refuses lines with a field of the wrong type or a result before its call, naming line and field, and keeps the rest', async () => {
    const dir = tempDir()
    const core = createCore({ path: tempDb() })
    type Line = { sessionId: string; timestamp: string; message: { content: { id: string }[]; usage: { input_tokens: number; output_tokens: number } } }
    const lines = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)
    const [call, result, , sideCall, , answer] = lines
    /** A copy of `rec` with the value at `path` (dot-separated) replaced, or removed when `value` is undefined. */
    const changed = (rec: Line, path: string, value?: unknown): Line => {
      const copy = structuredClone(rec) as unknown as Record<string, unknown>
      const keys = path.split('.')
      const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, copy)
      if (value === undefined) delete parent[keys[keys.length - 1]]
      else parent[keys[keys.length - 1]] = value
      return copy as unknown as Line
    }
    const session = call.sessionId
    const written = [
      call, // 1: kept, its tool call opens
      changed(answer, 'message.usage', 'lots'), // 2
      changed(answer, 'message', 'hello'), // 3
      changed(answer, 'sessionId', 12345), // 4
      changed(sideCall, 'message.content.0.id', 123), // 5
      changed(answer, 'message.usage.output_tokens', 1.5), // 6
      changed(answer, 'message.model', 42), // 7
      // 8: the result of line 1's call, stamped a minute before the call.
      changed(result, 'timestamp', new Date(Date.parse(call.timestamp) - 60_000).toISOString()),
      // 9: a response with tokens but no model: counted, and listed as unpriced.
      changed(answer, 'message.model'),
    ]
    const file = join(dir, `${session}.jsonl`)
    writeFileSync(file, written.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const r = await importOk(core, [file])
    expect(r.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'message.usage is not an object'],
      [3, 'message is not an object'],
      [4, 'sessionId is not a string'],
      [5, 'message.content[0].id of a tool_use is not a string'],
      [6, 'message.usage.output_tokens is not a whole non-negative number: 1.5'],
      [7, 'message.model is not a string'],
      [8, `tool_result for ${call.message.content[0].id} at ${written[7].timestamp} is before its call at ${call.timestamp}`],
    ])
    expect(r.skipped.every((s) => s.file === file)).toBe(true)
    expect(r.runs.map((x) => x.id)).toEqual([`cc-${session}`])
    const [run] = r.runs
    // Lines 1 and 9 are the calls: their usage, counted from the file.
    const usage = [call, answer].map((x) => x.message.usage)
    expect(run).toMatchObject({
      llmCalls: 2, toolCalls: 1, errors: 0, unpricedModels: ['(no model)'],
      inputTokens: usage.reduce((n, u) => n + u.input_tokens, 0), outputTokens: usage.reduce((n, u) => n + u.output_tokens, 0),
    })
    const db = new Database(core.dbPath, { readonly: true })
    const spans = db.prepare('SELECT id, kind, status, start_ms, end_ms FROM spans').all() as { id: string; kind: string; status: string; start_ms: number; end_ms: number | null }[]
    db.close()
    // No span ends before it starts; the call whose result came "before" it stays open.
    expect(spans.filter((x) => x.end_ms !== null && x.end_ms < x.start_ms)).toEqual([])
    expect(spans.find((x) => x.kind === 'tool')).toMatchObject({ status: 'unset', end_ms: null })
    core.close()
  })

  it('leaves a call open-ended when its result, read by a later import, is stamped before it', async () => {
    const file = join(tempDir(), '55550000-0000-4000-8000-000000000001.jsonl')
    const src = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter(Boolean)
    writeFileSync(file, src.slice(0, 2).join('\n') + '\n')
    const core = createCore({ path: tempDb() })
    await importOk(core, [file])
    const result = JSON.parse(src[2]) as { timestamp: string; message: { content: { tool_use_id: string }[] } }
    const call = JSON.parse(src[1]) as { timestamp: string }
    result.timestamp = new Date(Date.parse(call.timestamp) - 2000).toISOString()
    appendFileSync(file, JSON.stringify(result) + '\n')
    await importOk(core, [file])
    const db = new Database(core.dbPath, { readonly: true })
    const tool = db.prepare('SELECT start_ms, end_ms, status FROM spans WHERE id = ?').get(`tool:${result.message.content[0].tool_use_id}`)
    db.close()
    expect(tool).toEqual({ start_ms: Date.parse(call.timestamp), end_ms: null, status: 'unset' })
    core.close()
  })

  it('lists the empty and binary .jsonl/.ndjson files of a walked folder, and passes over its other files', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'logs'))
    copyFileSync(SIDECHAIN, join(dir, 'session.jsonl'))
    writeFileSync(join(dir, 'logs', 'blob.jsonl'), Buffer.from([0, 1, 2, 3, 0, 255]))
    writeFileSync(join(dir, 'logs', 'empty.ndjson'), '')
    // A project folder's own files, JSON lines of another tool among them: not run logs, not reported.
    writeFileSync(join(dir, 'logs', 'other.jsonl'), '{"hello": "world"}\n')
    writeFileSync(join(dir, 'package.json'), '{"name": "x"}')
    writeFileSync(join(dir, 'notes.txt'), 'hi')
    const core = createCore({ path: tempDb() })
    const r = await importOk(core, [dir])
    expect(r.runs).toHaveLength(1)
    expect([...r.skipped].sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: join(dir, 'logs', 'blob.jsonl'), line: null, reason: 'binary file of an unknown format' },
      { file: join(dir, 'logs', 'empty.ndjson'), line: null, reason: 'empty file' },
    ])
    core.close()
  })

  it('reports progress over the whole import: lines and runs so far, every file counted, ending at the totals', async () => {
    const dir = tempDir()
    const files = [SIDECHAIN, SHOWCASE_MAIN, SHOWCASE_SUB]
    files.forEach((f, i) => copyFileSync(f, join(dir, `${i}.jsonl`)))
    writeFileSync(join(dir, 'notes.txt'), 'not a run log')
    const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').filter(Boolean).length, 0)
    const core = createCore({ path: tempDb() })
    const seen: { lines: number; runs: number; filesDone: number; filesTotal: number; bytesRead: number; totalBytes: number; done: boolean }[] = []
    core.on('import.progress', (p) => void seen.push(p))
    const r = await importOk(core, [dir])
    const last = seen.at(-1)!
    expect(last).toMatchObject({ done: true, lines, runs: r.runs.length, filesDone: 4, filesTotal: 4 })
    expect(last.bytesRead).toBe(last.totalBytes)
    for (let i = 1; i < seen.length; i++) expect(seen[i].lines).toBeGreaterThanOrEqual(seen[i - 1].lines)
    core.close()
  })

  it('rolls a cancelled import back whole', async () => {
    const dir = tempDir()
    // Big enough to be streamed in chunks, so the cancel lands mid-file.
    const big = join(dir, 'big.jsonl')
    const line = (i: number) => JSON.stringify({ type: 'assistant', sessionId: 'big', uuid: `u${i}`, timestamp: new Date(1_700_000_000_000 + i).toISOString(), message: { id: `m${i}`, model: 'claude-haiku-4-5', usage: { input_tokens: 1, output_tokens: 1 } }, pad: 'x'.repeat(400) })
    writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => line(i)).join('\n') + '\n')
    const core = createCore({ path: tempDb() })
    core.on('import.progress', (p) => {
      if (p.bytesRead > 0 && !p.done) void core.call('import.cancel', { importId: 'cancel-me' })
    })
    const r = await core.call('import.paths', { paths: [big], importId: 'cancel-me' })
    expect(r).toEqual({ ok: false, error: { code: 'cancelled', message: 'import cancelled' } })
    const runs = await core.call('runs.list', {})
    expect(runs.ok && runs.data).toEqual([])
    core.close()
  })

  it('a cancel that arrives before its import (a drop still uploading) refuses that import when it comes', async () => {
    const core = createCore({ path: tempDb() })
    expect(await core.call('import.cancel', { importId: 'early' })).toEqual({ ok: true, data: { cancelled: false } })
    expect(await core.call('import.paths', { paths: [SIDECHAIN], importId: 'early' })).toEqual({ ok: false, error: { code: 'cancelled', message: 'import cancelled' } })
    expect(await core.call('runs.list', {})).toEqual({ ok: true, data: [] })
    // Refused once: the same id imports next time, and other imports were never affected.
    expect((await importOk(core, [SIDECHAIN])).runs).toHaveLength(1)
    expect((await core.call('import.paths', { paths: [SIDECHAIN], importId: 'early' })).ok).toBe(true)
    core.close()
  })

  it('never crashes on arbitrary or mutated lines (1,000 fuzzed inputs)', async () => {
    const dir = tempDir()
    const base = readFileSync(SIDECHAIN, 'utf8').split('\n').filter(Boolean)
    const core = createCore({ path: tempDb() })
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string(), fc.json(), fc.constantFrom(...base).chain((l) => fc.nat(l.length).map((cut) => l.slice(0, cut) + l.slice(cut + 1)))), { maxLength: 6 }),
        async (lines) => {
          const file = join(dir, `f${n++}.jsonl`)
          mkdirSync(dir, { recursive: true })
          writeFileSync(file, lines.join('\n'))
          const r = await core.call('import.paths', { paths: [file] })
          expect(r.ok).toBe(true)
        },
      ),
      { numRuns: 1000 },
    )
    core.close()
  })

  it('opens copies only: a fixture is byte-identical after import', async () => {
    const dir = tempDir()
    const copy = join(dir, 'copy.jsonl')
    copyFileSync(SIDECHAIN, copy)
    const before = readFileSync(copy)
    const core = createCore({ path: tempDb() })
    await importOk(core, [copy])
    expect(readFileSync(copy).equals(before)).toBe(true)
    core.close()
  })
})
