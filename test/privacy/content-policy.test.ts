import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { SHOWCASE_MAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'
import { plantSecrets, writeTranscript } from './planted'

type Core = ReturnType<typeof createCore>

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

const importAs = (core: Core, paths: string[], content?: 'none' | 'redacted' | 'full') => ok(core.call('import.paths', { paths, ...(content ? { content } : {}) }))

describe('content policy', () => {
  it("defaults to 'none': no text at all, sizes only", async () => {
    const db = tempDb()
    const core = createCore({ path: db })
    const [run] = (await importAs(core, [SHOWCASE_MAIN])).runs
    expect(run.contentPolicy).toBe('none')
    expect(await ok(core.call('runs.content', { id: run.id }))).toEqual({ runId: run.id, contentPolicy: 'none', items: [] })
    core.close()
    const sql = new Database(db, { readonly: true })
    expect(sql.prepare('SELECT COUNT(*) n FROM span_content').get()).toEqual({ n: 0 })
    sql.close()
  })

  it('asking for more text than a file was read with reads it again; the run keeps the most permissive policy used', async () => {
    const planted = plantSecrets()
    const dir = tempDir()
    const t = writeTranscript(dir, planted)
    const core = createCore({ path: tempDb() })
    const first = await importAs(core, [dir])
    expect(first.runs[0].contentPolicy).toBe('none')

    const redacted = await importAs(core, [dir], 'redacted')
    expect(redacted.runs[0].contentPolicy).toBe('redacted')
    expect({ ...redacted.runs[0], contentPolicy: 'none' }).toEqual(first.runs[0]) // the numbers do not change
    const c1 = await ok(core.call('runs.content', { id: t.runId }))
    expect(c1.items.length).toBeGreaterThan(0)
    expect(c1.items.every((i) => i.policy === 'redacted')).toBe(true)

    // A stricter policy later neither hides nor drops what is stored: the run still says 'redacted'.
    const again = await importAs(core, [dir], 'none')
    expect(again.runs[0].contentPolicy).toBe('redacted')
    expect(await ok(core.call('runs.content', { id: t.runId }))).toEqual(c1)

    // 'full' replaces the redacted pieces with the text as read, once each (no duplicates).
    const full = await importAs(core, [dir], 'full')
    expect(full.runs[0].contentPolicy).toBe('full')
    const c2 = await ok(core.call('runs.content', { id: t.runId }))
    expect(c2.items.map((i) => [i.spanId, i.part])).toEqual(c1.items.map((i) => [i.spanId, i.part]))
    expect(c2.items.every((i) => i.policy === 'full')).toBe(true)
    expect(c2.items.find((i) => i.spanId === 'tool:toolu_0' && i.part === 'output')!.text).toContain(planted[0].text)
    await importAs(core, [dir], 'full')
    expect(await ok(core.call('runs.content', { id: t.runId }))).toEqual(c2)
    core.close()
  })

  it("joins a response's text blocks (one per line) into the LLM span's output, in order", async () => {
    const dir = tempDir()
    const file = join(dir, 's1.jsonl')
    const base = { sessionId: 's1', cwd: '/home/bob/proj', requestId: 'r1' }
    const line = (i: number, text: string) => ({ ...base, type: 'assistant', uuid: `a${i}`, timestamp: `2026-01-01T00:00:0${i}Z`, message: { id: 'm1', model: 'claude-haiku-4-5', content: [{ type: 'text', text }], usage: { input_tokens: 1, output_tokens: 1 } } })
    writeFileSync(file, [line(1, 'first part'), line(2, 'second part, mail bob@example.com')].map((l) => JSON.stringify(l)).join('\n') + '\n')
    const core = createCore({ path: tempDb() })
    const [run] = (await importAs(core, [file], 'redacted')).runs
    expect(run.name).toBe('proj · s1')
    const c = await ok(core.call('runs.content', { id: run.id, spanId: 'llm:m1:r1' }))
    expect(c.items).toEqual([{ spanId: 'llm:m1:r1', part: 'output', text: 'first part\nsecond part, mail [REDACTED:email]', policy: 'redacted', ts: Date.parse('2026-01-01T00:00:01Z') }])
    core.close()
  })

  it('never names the project after the user when the session ran in the home folder itself', async () => {
    const dir = tempDir()
    const file = join(dir, 's2.jsonl')
    writeFileSync(file, JSON.stringify({ sessionId: 's2', cwd: '/home/carol', type: 'user', uuid: 'u1', timestamp: '2026-01-01T00:00:00Z', message: { role: 'user', content: 'hi' } }) + '\n')
    const core = createCore({ path: tempDb() })
    const [run] = (await importAs(core, [file])).runs
    expect(run.name).toBe('session · s2')
    core.close()
  })

  it('applies user rules from the import and from redaction-rules.json beside the database', async () => {
    const db = tempDb()
    writeFileSync(join(dirname(db), 'redaction-rules.json'), JSON.stringify({ rules: [{ id: 'codename', pattern: 'Project Nightjar', flags: 'i' }] }))
    const dir = tempDir()
    const file = join(dir, 's3.jsonl')
    writeFileSync(file, JSON.stringify({ sessionId: 's3', cwd: '/srv/ACME-4242', type: 'user', uuid: 'u1', timestamp: '2026-01-01T00:00:00Z', message: { role: 'user', content: 'Ship project nightjar, see ACME-4242' } }) + '\n')
    const core = createCore({ path: db })
    const r = await ok(core.call('import.paths', { paths: [file], content: 'redacted', redactRules: [{ id: 'ticket', pattern: 'ACME-\\d+' }] }))
    expect(r.runs[0].name).toBe('[REDACTED:ticket] · s3') // metadata goes through the user's rules too
    const c = await ok(core.call('runs.content', { id: r.runs[0].id }))
    expect(c.items.map((i) => i.text)).toEqual(['Ship [REDACTED:codename], see [REDACTED:ticket]'])
    const bad = await core.call('import.paths', { paths: [file], redactRules: [{ id: 'bad', pattern: '(' }] })
    expect(bad.ok === false && bad.error.code).toBe('bad_request')
    core.close()
  })

  it('refuses an unknown policy at the boundary', async () => {
    const core = createCore({ path: tempDb() })
    const r = await core.call('import.paths', { paths: [SHOWCASE_MAIN], content: 'some' as never })
    expect(r.ok === false && r.error.code).toBe('bad_request')
    core.close()
  })
})
