import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createCore } from '../../src/core'
import { generateSwarm } from '../helpers/generated-swarm'
import { tempDb, tempDir } from '../helpers/temp'
import { USER, allText, foundIn, plantSecrets, rand, storeBytes, writeTranscript, type Planted } from './planted'

type Core = ReturnType<typeof createCore>

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

/** What leaves the store through the routes other than runs.content: run lists, summaries, overviews. */
async function routeOutputs(core: Core, runId: string): Promise<string> {
  const list = await ok(core.call('runs.list', {}))
  const overview = await ok(core.call('runs.overview', { id: runId }))
  return JSON.stringify([list, overview])
}

const needlesIn = (text: string, planted: Planted[]) => planted.flatMap((x) => x.needles.filter((n) => text.includes(n)).map((n) => `${x.shape}: ${n}`))

async function importUnder(content: 'none' | 'redacted' | 'full') {
  const planted = plantSecrets()
  const dir = tempDir()
  const t = writeTranscript(dir, planted)
  const db = tempDb()
  const core = createCore({ path: db })
  const result = await ok(core.call('import.paths', { paths: [dir], content }))
  expect(result.skipped).toEqual([])
  expect(result.runs.map((r) => r.id)).toEqual([t.runId])
  return { planted, t, db, core, result }
}

describe('planted secrets: what reaches the database file', () => {
  it("under 'none' (the default) no planted secret, path or user name is in the file or its WAL", async () => {
    const { planted, db, core, t, result } = await importUnder('none')
    const run = result.runs[0]
    expect(run.contentPolicy).toBe('none')
    expect(run.name).toMatch(/^webapp · /) // the project's folder name, without the home folder
    expect(run.toolCalls).toBe(planted.length + 1)
    expect(needlesIn(await routeOutputs(core, t.runId), planted)).toEqual([])
    expect((await ok(core.call('runs.content', { id: t.runId }))).items).toEqual([])
    core.close()
    expect(foundIn(db, planted)).toEqual([])
    expect(storeBytes(db).includes(Buffer.from(USER))).toBe(false)
  })

  it("under 'redacted' text is stored, but without any planted secret, path or user name", async () => {
    const { planted, db, core, t, result } = await importUnder('redacted')
    expect(result.runs[0].contentPolicy).toBe('redacted')
    const content = await ok(core.call('runs.content', { id: t.runId }))
    expect(content.contentPolicy).toBe('redacted')
    const text = content.items.map((i) => i.text).join('\n')
    // The text is there (prompt, assistant text, tool input and output), with the secrets replaced.
    expect(new Set(content.items.map((i) => i.part))).toEqual(new Set(['prompt', 'output', 'input']))
    expect(text).toContain('Deploy the app please')
    expect(text).toContain('[REDACTED:anthropic-key]')
    expect(text).toContain('~/webapp')
    expect(content.items.every((i) => i.policy === 'redacted')).toBe(true)
    expect(needlesIn(text, planted)).toEqual([])
    expect(needlesIn(await routeOutputs(core, t.runId), planted)).toEqual([])
    core.close()
    expect(foundIn(db, planted)).toEqual([])
    expect(storeBytes(db).includes(Buffer.from(USER))).toBe(false)
  })

  it("under 'full' the secrets are in the database only (not in summaries or overviews), and runs.delete purges them from the file and WAL", async () => {
    const { planted, db, core, t } = await importUnder('full')
    const content = await ok(core.call('runs.content', { id: t.runId }))
    expect(content.contentPolicy).toBe('full')
    // Each kind of text, per span: the Bash call's input and output, the prompt, the subagent's answer.
    const bash = await ok(core.call('runs.content', { id: t.runId, spanId: 'tool:toolu_0' }))
    expect(bash.items.map((i) => i.part).sort()).toEqual(['input', 'output'])
    expect(bash.items.find((i) => i.part === 'input')!.text).toContain(`export ANTHROPIC_API_KEY=${planted[0].text}`)
    expect(needlesIn(await routeOutputs(core, t.runId), planted)).toEqual([])
    core.close()
    const all = planted.flatMap((x) => x.needles.map((n) => `${x.shape}: ${n}`))
    expect(foundIn(db, planted).sort()).toEqual(all.sort())

    const again = createCore({ path: db })
    expect(await ok(again.call('runs.delete', { id: t.runId }))).toEqual({ deleted: true })
    // Before closing too: the delete itself VACUUMs and empties the WAL, without waiting for the last connection to go.
    expect(foundIn(db, planted)).toEqual([])
    again.close()
    expect(foundIn(db, planted)).toEqual([])
    expect(storeBytes(db).includes(Buffer.from(USER))).toBe(false)
  })

  it('purges even while another run stays, and keeps that run whole', async () => {
    // Both transcripts name the same user: only the secrets of the deleted run are looked for.
    const planted = plantSecrets().map((x) => ({ ...x, needles: x.needles.filter((n) => !n.includes(USER)) }))
    const dir1 = tempDir()
    const dir2 = tempDir()
    const gone = writeTranscript(dir1, planted)
    const kept = writeTranscript(dir2, plantSecrets())
    const db = tempDb()
    const core = createCore({ path: db })
    await ok(core.call('import.paths', { paths: [dir1], content: 'full' }))
    const before = await ok(core.call('import.paths', { paths: [dir2], content: 'full' }))
    await ok(core.call('runs.delete', { id: gone.runId }))
    expect(foundIn(db, planted)).toEqual([])
    expect(await ok(core.call('runs.get', { id: kept.runId }))).toEqual(before.runs[0])
    expect((await ok(core.call('runs.content', { id: kept.runId }))).items.length).toBeGreaterThan(0)
    core.close()
  })
})

describe('deleting a run purges the reports cached from it', () => {
  const cached = (db: string, like?: string) => {
    const d = new Database(db, { readonly: true })
    try {
      return d.prepare(`SELECT COUNT(*) FROM report_cache WHERE @like IS NULL OR CAST(result AS TEXT) LIKE '%' || @like || '%'`).pluck().get({ like: like ?? null }) as number
    } finally {
      d.close()
    }
  }

  it("its own, its group's and comparisons that include it: no trace of its name stays in the file", async () => {
    const marker = `marker-${rand(10, 'abcdefghijklmnopqrstuvwxyz')}`
    const dir = tempDir()
    writeFileSync(join(dir, 'gone.ndjson'), generateSwarm({ runId: 'gone', name: marker, seed: 1, subagents: 1, callsPerAgent: 6 }).ndjson)
    writeFileSync(join(dir, 'kept.ndjson'), generateSwarm({ runId: 'kept', name: 'kept run', seed: 2, subagents: 1, callsPerAgent: 6 }).ndjson)
    const db = tempDb()
    const core = createCore({ path: db })
    try {
      await ok(core.call('import.paths', { paths: [dir], group: 'pair' }))
      for (const [target, format] of [['gone', 'json'], ['group:pair', 'md'], ['kept..gone', 'json'], ['kept', 'json']] as const) {
        expect((await ok(core.call('reports.render', { target, format }))).cached).toBe(false)
      }
      // The name is in three cached reports (and so in the file): the test can see it when it is there.
      expect(cached(db, marker)).toBe(3)
      expect(storeBytes(db).includes(Buffer.from(marker))).toBe(true)
      await ok(core.call('runs.delete', { id: 'gone' }))
      expect(cached(db)).toBe(1)
      expect(cached(db, 'kept run')).toBe(1)
      expect(storeBytes(db).includes(Buffer.from(marker))).toBe(false)
      expect(allText(db)).not.toContain(marker)
      expect((await ok(core.call('reports.render', { target: 'kept', format: 'json' }))).cached).toBe(true)
    } finally {
      core.close()
    }
  }, 60_000)
})
