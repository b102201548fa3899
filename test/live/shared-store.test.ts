import { spawn, spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { SHOWCASE_MAIN, SIDECHAIN, sessionFacts } from '../helpers/transcript-facts'
import { tempDir } from '../helpers/temp'
import { BIN, count, IngestClient, rows, startServe, TOKEN, until, type ServeProcess } from './helpers'

// One store written by several processes: the app (here `serve`) tailing a folder and taking
// live records, and `swarmscope import` in a terminal. SQLite lets one write at a time; the
// others wait. The lock is held here by this test process, as another Swarmscope process
// holds it during an import, for longer than the store's 5 s busy timeout: before, a second
// import then failed with "database is locked", and the tail dropped the lines it was reading.

const HOLD_MS = 6000
const SESSION = '55550000-0000-4000-8000-000000000001'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let serve: ServeProcess | undefined
const held: Database.Database[] = []
afterEach(async () => {
  for (const c of held.splice(0)) if (c.open) c.close()
  await serve?.stop()
  serve = undefined
})

/** Takes the store's write lock from this process, as an import in another process does. */
function holdWriteLock(db: string) {
  const conn = new Database(db)
  held.push(conn)
  conn.exec('BEGIN IMMEDIATE')
  return () => {
    conn.exec('COMMIT')
    conn.close()
  }
}

/** The CLI as a process of its own, its output gathered as it comes. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
  return { child, done, stderr: () => stderr }
}

/** `serve` tailing a projects folder into which one session's transcript is appended (line ranges of the showcase session). */
async function tailing(env: Record<string, string> = {}) {
  const dir = tempDir()
  const db = join(dir, 'host.db')
  const projects = join(dir, 'projects')
  mkdirSync(join(projects, 'proj'), { recursive: true })
  const transcript = join(projects, 'proj', `${SESSION}.jsonl`)
  const lines = readFileSync(SHOWCASE_MAIN, 'utf8').split('\n').filter(Boolean)
  serve = await startServe(db, ['--port', '0', '--no-otlp', '--watch', projects], env)
  const offset = () => rows(db, 'SELECT offset FROM imported_files WHERE path = ?', transcript)[0]?.offset as number | undefined
  return {
    db, lines, port: serve.port, offset,
    append: (from: number, to?: number) => appendFileSync(transcript, lines.slice(from, to).map((l) => l + '\n').join('')),
    /** Whether the store holds the transcript to its end. */
    caughtUp: () => offset() === statSync(transcript).size,
  }
}

/** A host route's answer and how long it took. */
async function get(port: number, path: string) {
  const t = performance.now()
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { headers: { 'x-swarmscope-token': TOKEN } })
  return { ms: performance.now() - t, body: (await res.json()) as { ok: boolean; data: any } } // eslint-disable-line @typescript-eslint/no-explicit-any
}

function storeWith(file: string): string {
  const db = join(tempDir(), 'shared.db')
  const r = spawnSync(process.execPath, [BIN, '--db', db, 'import', file, '--json'], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return db
}

describe('a store written by several processes', () => {
  it('an import waits for another process writing to the store, says so once, and then imports', async () => {
    const db = storeWith(SIDECHAIN)
    const release = holdWriteLock(db)
    const started = performance.now()
    const cli = startCli(['--db', db, 'import', SHOWCASE_MAIN, '--json'])
    await until('the import to say it waits', () => cli.stderr().includes('waiting for another process writing to'), 20_000)
    // Past the 5 s that SQLite's own wait gave it, the import is still waiting, not failed.
    await sleep(HOLD_MS - (performance.now() - started))
    expect(cli.child.exitCode).toBeNull()
    release()
    const r = await cli.done
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr.match(/waiting for another process/g)).toHaveLength(1)
    expect(r.stderr).toContain(db)
    const facts = sessionFacts([SHOWCASE_MAIN]).get(SESSION)!
    const [run] = JSON.parse(r.stdout).runs
    expect(run).toMatchObject({ id: `cc-${SESSION}`, llmCalls: facts.llmCalls, inputTokens: facts.inputTokens })
    expect(count(db, 'SELECT COUNT(*) FROM spans WHERE run_id = ? AND kind = ?', `cc-${SESSION}`, 'llm')).toBe(facts.llmCalls)
  }, 40_000)

  it('a rename at the command line waits too, says so once, and is made once the store is free', async () => {
    const db = storeWith(SIDECHAIN)
    const [run] = rows(db, 'SELECT id FROM runs')
    const release = holdWriteLock(db)
    const cli = startCli(['--db', db, 'runs', 'rename', String(run.id), 'renamed while locked'])
    await until('the rename to say it waits', () => cli.stderr().includes(`waiting for another process writing to ${db}`), 20_000)
    await sleep(1000)
    expect(cli.child.exitCode).toBeNull()
    release()
    const r = await cli.done
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr.match(/waiting for another process/g)).toHaveLength(1)
    expect(rows(db, 'SELECT name FROM runs WHERE id = ?', run.id)).toEqual([{ name: 'renamed while locked' }])
  }, 40_000)

  it('Ctrl-C while waiting ends the import at once and leaves the store as it was', async () => {
    const db = storeWith(SIDECHAIN)
    const before = count(db, 'SELECT COUNT(*) FROM spans')
    const release = holdWriteLock(db)
    const cli = startCli(['--db', db, 'import', SHOWCASE_MAIN])
    await until('the import to say it waits', () => cli.stderr().includes('waiting for another process writing to'), 20_000)
    const signalled = performance.now()
    cli.child.kill('SIGINT')
    const r = await cli.done
    // The wait is a timer, not SQLite's sleep: the cancel is heard within one pause (250 ms), not after the lock.
    expect(performance.now() - signalled).toBeLessThan(4000)
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('import cancelled; the store is as it was')
    release()
    expect(count(db, 'SELECT COUNT(*) FROM spans')).toBe(before)
    expect(count(db, 'SELECT COUNT(*) FROM runs WHERE id = ?', `cc-${SESSION}`)).toBe(0)
  }, 40_000)

  it('SWARMSCOPE_STORE_WAIT=0 fails at once instead, naming the store; a bad value is refused', async () => {
    const db = storeWith(SIDECHAIN)
    const release = holdWriteLock(db)
    const started = performance.now()
    const r = await startCli(['--db', db, 'import', SHOWCASE_MAIN], { SWARMSCOPE_STORE_WAIT: '0' }).done
    expect(performance.now() - started).toBeLessThan(5000)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the store ${db} is being written by another process`)
    const bad = await startCli(['--db', db, 'import', SHOWCASE_MAIN], { SWARMSCOPE_STORE_WAIT: 'soon' }).done
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('SWARMSCOPE_STORE_WAIT must be a number of seconds, 0 or more (it is "soon")')
    release()
    expect(count(db, 'SELECT COUNT(*) FROM runs WHERE id = ?', `cc-${SESSION}`)).toBe(0)
  }, 40_000)

  it('a tail import that gave up on a locked store is tried again, and the lines it was reading are stored', async () => {
    // Writes give up after 1 s here, so the tail's import fails while the store is held.
    const { db, append, caughtUp, port } = await tailing({ SWARMSCOPE_STORE_WAIT: '1' })
    append(0, 3)
    await until('the first lines stored', caughtUp, 15_000)
    const release = holdWriteLock(db)
    append(3)
    const sources = async () => (await get(port, '/live/health')).body.data.sources as { lastError: { message: string } | null }[]
    await until('the tail to report the locked store', async () => (await sources()).some((s) => /is being written by another process/.test(s.lastError?.message ?? '')), 10_000)
    release()
    // Nothing else happens to the file: only the retry can read it to its end.
    await until('the rest stored by a retry', caughtUp, 20_000)
    const facts = sessionFacts([SHOWCASE_MAIN]).get(SESSION)!
    expect(count(db, 'SELECT COUNT(*) FROM spans WHERE run_id = ? AND kind = ?', `cc-${SESSION}`, 'llm')).toBe(facts.llmCalls)
  }, 60_000)

  it('the host keeps answering while the store is locked, and its tail, live ingest and a rename write once it is free', async () => {
    const { db, lines, append, caughtUp, offset, port } = await tailing()
    // The first half of the session, imported by the tail as usual.
    const half = Math.ceil(lines.length / 2)
    append(0, half)
    await until('the first half stored', caughtUp, 15_000)

    const release = holdWriteLock(db)
    const started = performance.now()
    // The rest is written while another process holds the store, and a live sender sends a batch.
    append(half)
    const stored = offset()
    const client = await IngestClient.open(port)
    let acked = false
    const ack = client.send(1, [{ v: 1, type: 'run', id: 'live-while-locked' }, { type: 'event', runId: 'live-while-locked', id: 'e1', ts: 1767261600000, name: 'tick' }]).then((a) => ((acked = true), a))
    await until('the live writer to wait for the store', async () => (await get(port, '/live/health')).body.data.writer.waitingForStore === true, 5000)
    // A rename from the UI waits too (every write of the core goes through its write queue).
    let renamed = false
    const rename = fetch(`http://127.0.0.1:${port}/api/v1/runs/cc-${SESSION}/rename`, {
      method: 'POST', headers: { 'x-swarmscope-token': TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'renamed while locked' }),
    }).then(async (r) => ((renamed = true), (await r.json()) as { ok: boolean }))
    // Answers come at once, though both the tail's import and the live commit wait.
    const during: number[] = []
    while (performance.now() - started < HOLD_MS) {
      const r = await get(port, '/runs')
      expect(r.body.ok).toBe(true)
      during.push(r.ms)
      await sleep(200)
    }
    // Before, the host slept inside SQLite: an answer took as long as the lock was held (15 s measured).
    expect(Math.max(...during)).toBeLessThan(3000)
    expect(acked).toBe(false)
    expect(renamed).toBe(false)
    expect(offset()).toBe(stored)
    expect(caughtUp()).toBe(false)
    release()

    expect(await ack).toMatchObject({ type: 'ack', seq: 1, accepted: 2, rejected: [] })
    expect(count(db, 'SELECT COUNT(*) FROM events WHERE run_id = ?', 'live-while-locked')).toBe(1)
    expect(await rename).toMatchObject({ ok: true })
    expect(rows(db, 'SELECT name FROM runs WHERE id = ?', `cc-${SESSION}`)).toEqual([{ name: 'renamed while locked' }])
    await until('the whole session stored', caughtUp, 15_000)
    const facts = sessionFacts([SHOWCASE_MAIN]).get(SESSION)!
    await until('the run summed up whole', async () => (await get(port, `/runs/cc-${SESSION}`)).body.data?.llmCalls === facts.llmCalls, 5000)
    expect(count(db, 'SELECT COUNT(*) FROM spans WHERE run_id = ? AND kind = ?', `cc-${SESSION}`, 'llm')).toBe(facts.llmCalls)
    client.close()
  }, 60_000)
})
