import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { RECENT_LIMIT } from '../../src/core/ingest/claude-code/resume-state'
import { tempDb, tempDir } from '../helpers/temp'

const SESSION = '10a90000-0000-4000-8000-00000000face'
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * A session with more tool calls than the parser keeps in memory (RECENT_LIMIT), whose last
 * lines repeat the first calls: the result of the first call again, now an error, and the call
 * of the second again (a new response naming the same tool_use id) with a later result.
 */
function longSession(turns: number): { lines: string[]; times: Map<string, number> } {
  const lines: string[] = []
  const times = new Map<string, number>()
  let t = T0
  let parent: string | null = null
  const line = (uuid: string, type: 'user' | 'assistant', message: unknown, extra: Record<string, unknown> = {}) => {
    t += 1_000
    times.set(uuid, t)
    lines.push(JSON.stringify({ type, uuid, parentUuid: parent, sessionId: SESSION, timestamp: iso(t), message, ...extra }))
    parent = uuid
  }
  const call = (i: number, tool: number) =>
    line(`a${i}`, 'assistant', { id: `msg_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'tool_use', id: `toolu_${tool}`, name: 'Bash', input: { command: 'ls' } }], usage: { input_tokens: 1, output_tokens: 1 } }, { requestId: `req_${i}` })
  const result = (uuid: string, tool: number, isError = false) =>
    line(uuid, 'user', { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${tool}`, content: 'ok', is_error: isError }] })
  line('p0', 'user', { role: 'user', content: 'start' })
  for (let i = 0; i < turns; i++) {
    call(i, i)
    result(`r${i}`, i)
  }
  result('again0', 0, true)
  call(turns, 1)
  result('again1', 1)
  return { lines, times }
}

describe('a Claude Code session longer than the parser keeps in memory', () => {
  it('applies a repeated result and a repeated call of a long-gone tool call to its span, as when every call was remembered', async () => {
    const turns = RECENT_LIMIT + 500
    const { lines, times } = longSession(turns)
    const file = join(tempDir(), `${SESSION}.jsonl`)
    writeFileSync(file, lines.join('\n') + '\n')
    const dbPath = tempDb()
    const core = createCore({ path: dbPath })
    const r = await core.call('import.paths', { paths: [file] })
    core.close()
    expect(r.ok && r.data.skipped).toEqual([])
    const db = new Database(dbPath, { readonly: true })
    try {
      const span = (id: string) => db.prepare('SELECT start_ms, end_ms, status FROM spans WHERE run_id = ? AND id = ?').get(`cc-${SESSION}`, id)
      // One span per tool_use id, however often it is named.
      expect(db.prepare(`SELECT COUNT(*) AS n FROM spans WHERE kind = 'tool'`).get()).toEqual({ n: turns })
      // The repeated result ends the first call later, and as an error (an error wins over ok).
      expect(span('tool:toolu_0')).toEqual({ start_ms: times.get('a0'), end_ms: times.get('again0'), status: 'error' })
      // The repeated call keeps the first start; its later result widens the end.
      expect(span('tool:toolu_1')).toEqual({ start_ms: times.get('a1'), end_ms: times.get('again1'), status: 'ok' })
      // A call in between, untouched.
      expect(span('tool:toolu_7')).toEqual({ start_ms: times.get('a7'), end_ms: times.get('r7'), status: 'ok' })
      // Every LLM call starts at the line it answers (its parent, the line before).
      const llm = db.prepare(`SELECT id, start_ms, end_ms FROM spans WHERE kind = 'llm' AND id IN ('llm:msg_0:req_0', 'llm:msg_${turns}:req_${turns}')`).all()
      expect(llm).toEqual([
        { id: 'llm:msg_0:req_0', start_ms: times.get('p0'), end_ms: times.get('a0') },
        { id: `llm:msg_${turns}:req_${turns}`, start_ms: times.get('again0'), end_ms: times.get(`a${turns}`) },
      ])
    } finally {
      db.close()
    }
  })
})
