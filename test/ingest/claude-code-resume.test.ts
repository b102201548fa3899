import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { RESUME_KEEP } from '../../src/core/ingest/claude-code/resume-state'
import { tempDb, tempDir } from '../helpers/temp'

const SESSION = '7e5a0000-0000-4000-8000-00000000c0de'
const T0 = Date.UTC(2026, 10, 1, 9, 0, 0)

/**
 * An old-style transcript: a sidechain written in the session's own file, whose lines name their
 * agent only on the first one and otherwise inherit it from their parent line. The sidechain
 * pauses for 3×RESUME_KEEP main-thread lines, then continues from its own last line.
 */
function transcript(): string[] {
  const lines: string[] = []
  let t = T0
  const line = (uuid: string, parentUuid: string | null, type: 'user' | 'assistant', extra: Record<string, unknown> = {}) => {
    t += 1_000 + lines.length * 37 // distinct gaps, so a lost parent time shows as a different span start
    const message = type === 'assistant'
      ? { id: `msg_${uuid}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 10 + lines.length, output_tokens: 5, cache_read_input_tokens: 100 } }
      : { role: 'user', content: 'go on' }
    lines.push(JSON.stringify({ type, uuid, parentUuid, sessionId: SESSION, timestamp: new Date(t).toISOString(), requestId: type === 'assistant' ? `req_${uuid}` : undefined, message, ...extra }))
  }
  const side = { isSidechain: true }
  line('m0', null, 'user')
  line('m1', 'm0', 'assistant')
  line('s0', null, 'user', { ...side, agentId: 'sc1' })
  line('s1', 's0', 'assistant', side)
  let parent = 'm1'
  for (let i = 2; i < 2 + 3 * RESUME_KEEP; i++) {
    line(`m${i}`, parent, i % 2 === 0 ? 'user' : 'assistant')
    parent = `m${i}`
  }
  line('s2', 's1', 'user', side)
  line('s3', 's2', 'assistant', side)
  line('mx', parent, 'user')
  line('my', 'mx', 'assistant')
  return lines
}

function spanRows(dbPath: string): unknown[] {
  const db = new Database(dbPath, { readonly: true })
  try {
    return db.prepare('SELECT id, agent_id, kind, start_ms, end_ms, input_tokens, parent_id FROM spans ORDER BY id').all()
  } finally {
    db.close()
  }
}

describe('Claude Code resume state', () => {
  it('a transcript grown at any line ends with the same spans as one read whole, sidechains included', async () => {
    const lines = transcript()
    const dir = tempDir()
    const whole = join(dir, `${SESSION}.jsonl`)
    writeFileSync(whole, lines.join('\n') + '\n')
    const refDb = tempDb()
    const ref = createCore({ path: refDb })
    expect((await ref.call('import.paths', { paths: [whole] })).ok).toBe(true)
    ref.close()
    const expected = spanRows(refDb)
    // The sidechain's lines stay its own: the test can tell a lost parent from a kept one.
    expect(expected.filter((s) => (s as { agent_id: string }).agent_id === 'sc1').length).toBeGreaterThanOrEqual(3)

    // Split before the sidechain resumes (its parent far back), inside it, and elsewhere.
    const resumeAt = lines.findIndex((l) => l.includes('"uuid":"s2"'))
    for (const cut of [1, 3, 4, RESUME_KEEP, resumeAt, resumeAt + 1, resumeAt + 2, lines.length - 1]) {
      const growing = join(dir, `cut${cut}`, `${SESSION}.jsonl`)
      mkdirSync(join(dir, `cut${cut}`))
      writeFileSync(growing, lines.slice(0, cut).join('\n') + '\n')
      const dbPath = tempDb()
      const core = createCore({ path: dbPath })
      expect((await core.call('import.paths', { paths: [growing] })).ok).toBe(true)
      appendFileSync(growing, lines.slice(cut).join('\n') + '\n')
      const grown = await core.call('import.paths', { paths: [growing] })
      expect(grown.ok && grown.data.skipped).toEqual([])
      core.close()
      expect(spanRows(dbPath), `cut at line ${cut}`).toEqual(expected)
    }
  })

  it('keeps a small resume state: the last lines and each agent\'s last line', async () => {
    const lines = transcript()
    // Cut where the sidechain has been quiet for 3×RESUME_KEEP lines.
    const prefix = lines.slice(0, lines.findIndex((l) => l.includes('"uuid":"s2"')))
    const file = join(tempDir(), `${SESSION}.jsonl`)
    writeFileSync(file, prefix.join('\n') + '\n')
    const dbPath = tempDb()
    const core = createCore({ path: dbPath })
    expect((await core.call('import.paths', { paths: [file] })).ok).toBe(true)
    core.close()
    const db = new Database(dbPath, { readonly: true })
    const { resume } = db.prepare('SELECT resume FROM imported_files').get() as { resume: string }
    db.close()
    const recent = (JSON.parse(resume) as { recent: [string, number, string][] }).recent
    expect(recent.map((r) => [r[0], r[2]])).toEqual([
      ['s1', 'sc1'],
      ...prefix.slice(-RESUME_KEEP).map((l) => [JSON.parse(l).uuid as string, 'main']),
    ])
  })
})
