import { copyFileSync, mkdirSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { SHOWCASE_MAIN, SHOWCASE_SUB, SIDECHAIN } from '../helpers/transcript-facts'
import { tempDb, tempDir } from '../helpers/temp'

// A transcript that did not only grow (edited, truncated, truncated and regrown) must leave the
// store as a fresh import of the files as they are now: no rows of lines that are gone, no
// first figures of lines that changed (found by an audit: calls and tokens counted twice).

/** Everything an import stores about runs, as comparable rows (no import times; a run's cost to 1e-12, as sums in another order differ in the last digit). */
function contents(path: string) {
  const db = new Database(path, { readonly: true })
  const q = (sql: string) => db.prepare(sql).raw().all()
  const out = {
    runs: q(`SELECT id, started_at, ended_at, agents, spans, llm_calls, tool_calls, errors, events, input_tokens, output_tokens,
      cache_creation_tokens, cache_read_tokens, ROUND(cost_usd, 12), unpriced_models FROM runs ORDER BY id`),
    agents: q('SELECT run_id, id, name, type, parent_agent_id, parent_span_id FROM agents ORDER BY run_id, id'),
    spans: q('SELECT * FROM spans ORDER BY run_id, id'),
    events: q('SELECT * FROM events ORDER BY run_id, id'),
  }
  db.close()
  return out
}

async function importInto(db: string, paths: string[]) {
  const core = createCore({ path: db })
  const r = await core.call('import.paths', { paths })
  core.close()
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

/** Imports `steps` one after another into one store, and the final files into a fresh one. */
async function incrementalAndFresh(paths: string[], steps: (() => void)[]) {
  const db = tempDb()
  for (const step of steps) {
    step()
    await importInto(db, paths)
  }
  const fresh = tempDb()
  await importInto(fresh, paths)
  return { incremental: contents(db), fresh: contents(fresh) }
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean)
const touchLater = (file: string, s: number) => utimesSync(file, new Date(), new Date(Date.now() + s * 1000))

describe('a transcript rewritten since its last import', () => {
  it('edited in place at the same size (its head changed) ends as a fresh import', async () => {
    const file = join(tempDir(), '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
    copyFileSync(SIDECHAIN, file)
    const { incremental, fresh } = await incrementalAndFresh([file], [
      () => undefined,
      () => (writeFileSync(file, readFileSync(file, 'utf8').replaceAll('msg_01', 'msg_02')), touchLater(file, 60)),
    ])
    expect(incremental).toEqual(fresh)
    expect((fresh.runs[0] as unknown[])[5]).toBe(3) // three LLM calls, not six
  })

  it('truncated, then regrown with other lines, imported in between or not, ends as a fresh import', async () => {
    const src = lines(SHOWCASE_MAIN)
    const regrown = [...src.slice(0, 5), ...src.slice(5).map((l) => l.replaceAll('msg_sc', 'msg_XXXX'))].join('\n') + '\n'
    for (const importBetween of [true, false]) {
      const file = join(tempDir(), '55550000-0000-4000-8000-000000000001.jsonl')
      copyFileSync(SHOWCASE_MAIN, file)
      const steps = [() => undefined, () => writeFileSync(file, src.slice(0, 5).join('\n') + '\n'), () => writeFileSync(file, regrown)]
      const { incremental, fresh } = await incrementalAndFresh([file], importBetween ? steps : [steps[0], () => (steps[1](), steps[2]())])
      expect(incremental, `import between: ${importBetween}`).toEqual(fresh)
      expect((fresh.spans as unknown[][]).some((s) => String(s[1]).includes('XXXX'))).toBe(true)
    }
  })

  it('changed near its end at the same size (past the first 4 KB) ends as a fresh import', async () => {
    const file = join(tempDir(), '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
    copyFileSync(SIDECHAIN, file)
    const text = readFileSync(file, 'utf8')
    const last = text.lastIndexOf('"output_tokens": ')
    expect(last).toBeGreaterThan(4096)
    const { incremental, fresh } = await incrementalAndFresh([file], [
      () => undefined,
      () => {
        // The same number of digits: the same size, another count.
        writeFileSync(file, text.slice(0, last) + text.slice(last).replace(/"output_tokens": (\d)/, (_m, d: string) => `"output_tokens": ${(Number(d) + 1) % 10}`))
        touchLater(file, 60)
      },
    ])
    expect(incremental).toEqual(fresh)
  })

  it('a subagent file rewritten: the session is read again from all of its files', async () => {
    const dir = tempDir()
    const main = join(dir, '55550000-0000-4000-8000-000000000001.jsonl')
    const sub = join(dir, '55550000-0000-4000-8000-000000000001', 'subagents', 'agent-showcol1.jsonl')
    mkdirSync(join(dir, '55550000-0000-4000-8000-000000000001', 'subagents'), { recursive: true })
    copyFileSync(SHOWCASE_MAIN, main)
    copyFileSync(SHOWCASE_SUB, sub)
    const subLines = lines(SHOWCASE_SUB)
    const { incremental, fresh } = await incrementalAndFresh([dir], [
      () => undefined,
      // The subagent's transcript cut to its first line, then (the tail's import) only the subagent file named.
      () => truncateSync(sub, Buffer.byteLength(subLines[0] + '\n')),
    ])
    expect(incremental).toEqual(fresh)
    const db = tempDb()
    await importInto(db, [dir])
    truncateSync(sub, Buffer.byteLength(subLines[0] + '\n'))
    const named = await importInto(db, [sub])
    expect(named.runs.map((r) => r.id)).toEqual(['cc-55550000-0000-4000-8000-000000000001'])
    expect(contents(db)).toEqual(fresh)
  })

  it('that only grew is still read on from where the last import stopped', async () => {
    const file = join(tempDir(), '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
    const all = lines(SIDECHAIN)
    writeFileSync(file, all.slice(0, 3).join('\n') + '\n')
    const db = tempDb()
    await importInto(db, [file])
    writeFileSync(file, all.join('\n') + '\n')
    await importInto(db, [file])
    const check = new Database(db, { readonly: true })
    // Read on: the file's offset moved past the first import's, and its lines count the whole file once.
    expect(check.prepare('SELECT lines, offset = ? FROM imported_files').raw().get(Buffer.byteLength(all.join('\n') + '\n'))).toEqual([all.length, 1])
    check.close()
    const fresh = tempDb()
    await importInto(fresh, [file])
    expect(contents(db)).toEqual(contents(fresh))
  })
})

describe('a transcript grown a few lines at a time', () => {
  it('puts sidechain lines that name no agent on the session\'s only subagent, however the imports after the one naming it split the file', async () => {
    const all = lines(SIDECHAIN)
    const fresh = tempDb()
    await importInto(fresh, [SIDECHAIN])
    const expected = contents(fresh)
    // Every split into three imports after the line that names the subagent (the audit's case: line 3 alone).
    for (let a = 2; a < all.length - 1; a++) {
      for (let b = a + 1; b < all.length; b++) {
        const file = join(tempDir(), '88a8d761-7b9a-4bf1-a8ca-c1febe6bf358.jsonl')
        const { incremental } = await incrementalAndFresh([file], [a, b, all.length].map((n) => () => writeFileSync(file, all.slice(0, n).join('\n') + '\n')))
        expect(incremental.agents, `split at ${a}, ${b}`).toEqual(expected.agents)
        expect(incremental.spans.map((x) => (x as unknown[]).slice(0, 4)), `split at ${a}, ${b}`).toEqual(expected.spans.map((x) => (x as unknown[]).slice(0, 4)))
      }
    }
  })
})

describe('line numbers of a transcript grown between imports', () => {
  it('do not count the newline that completes a last line read before as a line', async () => {
    const src = lines(SHOWCASE_MAIN)
    const file = join(tempDir(), '55550000-0000-4000-8000-000000000001.jsonl')
    writeFileSync(file, src.slice(0, 6).join('\n')) // the last line whole, but without its newline
    const db = tempDb()
    await importInto(db, [file])
    writeFileSync(file, src.slice(0, 6).join('\n') + '\ngarbage\n')
    const r = await importInto(db, [file])
    expect(r.skipped).toEqual([{ file, line: 7, reason: expect.stringContaining('not valid JSON') }])
    const check = new Database(db, { readonly: true })
    expect(check.prepare('SELECT lines FROM imported_files').pluck().get()).toBe(7)
    check.close()
  })
})

describe('run details of a transcript grown between imports', () => {
  it('are those of its first lines, as in one import of the whole file', async () => {
    const src = lines(SHOWCASE_MAIN)
    const moved = [...src.slice(0, 5), ...src.slice(5).map((l) => l.replaceAll('/workspace/example-app', '/workspace/other-app').replaceAll('"2.1.173"', '"2.1.200"'))]
    const file = join(tempDir(), '55550000-0000-4000-8000-000000000001.jsonl')
    const db = tempDb()
    writeFileSync(file, moved.slice(0, 5).join('\n') + '\n')
    await importInto(db, [file])
    writeFileSync(file, moved.join('\n') + '\n')
    await importInto(db, [file])
    const fresh = tempDb()
    await importInto(fresh, [file])
    const details = (path: string) => {
      const d = new Database(path, { readonly: true })
      const row = d.prepare('SELECT name, attrs FROM runs').get()
      d.close()
      return row
    }
    expect(details(db)).toEqual(details(fresh))
    expect(details(fresh)).toMatchObject({ attrs: expect.stringContaining('"project":"example-app"') })
  })
})

describe('content policies across imports of a growing transcript', () => {
  it('a file read on under none after a full import is read again whole by the next full import', async () => {
    const file = join(tempDir(), '55550000-0000-4000-8000-000000000001.jsonl')
    const src = lines(SHOWCASE_MAIN)
    writeFileSync(file, src.slice(0, 6).join('\n') + '\n')
    const core = createCore({ path: tempDb() })
    const run = async (content?: 'none' | 'full') => {
      const r = await core.call('import.paths', { paths: [file], content })
      if (!r.ok) throw new Error(r.error.message)
    }
    await run('full')
    writeFileSync(file, src.join('\n') + '\n')
    await run('none') // the app's default: the new lines are read without text
    await run('full')
    const text = await core.call('runs.content', { id: 'latest' })
    core.close()
    const fresh = createCore({ path: tempDb() })
    const r = await fresh.call('import.paths', { paths: [file], content: 'full' })
    const expected = await fresh.call('runs.content', { id: 'latest' })
    fresh.close()
    expect(r.ok && text.ok && expected.ok).toBe(true)
    if (!text.ok || !expected.ok) return
    expect(expected.data.items.length).toBeGreaterThan(0)
    expect(text.data.items).toEqual(expected.data.items)
  })

  it('a file read again whole for more text keeps every span as a fresh import stores it, attributes included', async () => {
    const db = tempDb()
    await importInto(db, [SHOWCASE_MAIN])
    const core = createCore({ path: db })
    const again = await core.call('import.paths', { paths: [SHOWCASE_MAIN], content: 'redacted' })
    core.close()
    const fresh = createCore({ path: tempDb() })
    const first = await fresh.call('import.paths', { paths: [SHOWCASE_MAIN], content: 'redacted' })
    const freshPath = fresh.dbPath
    fresh.close()
    expect(again.ok && first.ok).toBe(true)
    // requestId: null was dropped from the attributes by the second write only.
    expect(contents(db).spans).toEqual(contents(freshPath).spans)
  })
})
