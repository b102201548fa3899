import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLongSession } from '../../bench/corpus/claude-code'
import { SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'
import { BIN, IngestClient, startServe, TOKEN, until } from '../live/helpers'

// A store on a disk that fills up during an import, on a real small file system (a 2 MB tmpfs:
// mounting needs root, so elsewhere this is skipped and test/store/store-errors.test.ts covers
// the same refusal through SQLite's own page limit). Before: "database or disk is full", no
// store named; and a running host kept the failed import's WAL, leaving the disk full for
// every other program until it exited.

// The disk's reserve (disk-reserve.ts) is off here: these tests fill the disk itself; disk-reserve.test.ts covers the reserve.
process.env.SWARMSCOPE_DISK_RESERVE_MB = '0'

const DISK_BYTES = 2 * 1024 * 1024
const work = mkdtempSync(join(tmpdir(), 'swarmscope-disk-'))
const disk = join(work, 'disk')
let big = ''
const mounted = (() => {
  if (process.getuid?.() !== 0) return false
  mkdirSync(disk)
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', disk]).status === 0
})()

beforeAll(() => {
  // ~24 MB of transcript (~4 MB once stored), stored in more than the disk holds; written outside the small disk.
  if (mounted) big = generateLongSession(join(work, 'big'), 24 * 1024 * 1024).file
})
afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', disk])
  rmSync(work, { recursive: true, force: true })
})

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const free = () => {
  const s = statfsSync(disk)
  return s.bavail * s.bsize
}
const runs = (db: string) => JSON.parse(cli(['--db', db, 'runs', '--json']).stdout) as { id: string; spans: number; inputTokens: number }[]

/**
 * A host that has been running: its idle checkpoint has folded what it committed into the store
 * file (the file stops growing), so its WAL holds nothing that still needs room.
 */
async function checkpointed(db: string) {
  let last = -1
  let since = Date.now()
  await until('the host to checkpoint', () => {
    const size = statSync(db).size
    if (size !== last) [last, since] = [size, Date.now()]
    return size > 4096 && Date.now() - since > 1500
  }, 15_000, 100)
}

describe.skipIf(!mounted)('a store whose disk fills up during an import', () => {
  it('at the command line: the import fails naming the disk and the store, stores nothing, and the runs before are as they were', () => {
    const db = join(disk, 'cli.db')
    expect(cli(['--db', db, 'import', SHOWCASE_MAIN]).code).toBe(0)
    const before = runs(db)
    const r = cli(['--db', db, 'import', big, SIDECHAIN])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`the disk holding the store ${db} is full \\([\\d.]+ (B|kB|MB) free\\)\\. Nothing of this import was stored, and what the store held before is as it was\\.`))
    expect(r.stderr).not.toContain('database or disk is full')
    expect(runs(db)).toEqual(before)
    // The process closed the store: nothing of the failed import is left on the disk.
    expect(free()).toBeGreaterThan(DISK_BYTES / 2)
  })

  it('in a running host: the import is refused with the same words, and the disk is given back at once, not when the host exits', async () => {
    const db = join(disk, 'host.db')
    const host = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'])
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${host.port}/api/v1${path}`, {
        method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      })
      return (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } }
    }
    try {
      expect((await api('POST', '/imports', { paths: [SHOWCASE_MAIN] })).ok).toBe(true)
      await checkpointed(db)
      const freeBefore = free()
      const r = await api('POST', '/imports', { paths: [big, SIDECHAIN] })
      expect(r.ok).toBe(false)
      expect(r.error).toMatchObject({ code: 'io_error', message: expect.stringContaining(`the disk holding the store ${db} is full`) })
      expect(r.error!.message).toContain('Nothing of this import was stored')
      // Before: the WAL kept what the failed import wrote, up to the whole disk, for as long as the host ran.
      expect(statSync(`${db}-wal`).size).toBe(0)
      expect(free()).toBeGreaterThan(freeBefore - 64 * 1024)
      const listed = (await api('GET', '/runs')).data as { id: string }[]
      expect(listed.map((x) => x.id)).toEqual(['cc-55550000-0000-4000-8000-000000000001'])
      // And the host goes on: an import that fits is stored.
      expect((await api('POST', '/imports', { paths: [SIDECHAIN] })).ok).toBe(true)
    } finally {
      await host.stop()
    }
  })

  it('live records that do not fit are refused to their sender with the same words (to be sent again), and the disk is given back', async () => {
    const db = join(disk, 'live.db')
    const host = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'])
    const client = await IngestClient.open(host.port)
    try {
      expect((await client.send(0, [{ v: 1, type: 'run', id: 'live-full' }])).type).toBe('ack')
      await checkpointed(db)
      const freeBefore = free()
      // A full batch (10,000 spans with scattered ids, ~4 MB stored): more than the disk has left.
      const spans = Array.from({ length: 10_000 }, (_, i) => ({
        type: 'span', runId: 'live-full', id: `s${(i * 7919) % 10_000}-${'x'.repeat(40)}`, kind: 'tool', name: 'Read',
        start: 1767261600000 + i, end: 1767261600100 + i, attrs: { note: 'y'.repeat(300) },
      }))
      const ack = (await client.send(1, spans)) as unknown as { type: string; retry?: boolean; reason: string }
      expect(ack).toMatchObject({ type: 'nack', retry: true })
      expect(ack.reason).toContain(`the disk holding the store ${db} is full`)
      expect(ack.reason).toContain('These records were not stored, and what the store held before is as it was.')
      expect(statSync(`${db}-wal`).size).toBe(0)
      expect(free()).toBeGreaterThan(freeBefore - 64 * 1024)
      // Records that fit are still taken.
      expect((await client.send(2, spans.slice(0, 50))).type).toBe('ack')
    } finally {
      client.close()
      await host.stop()
    }
  })

  it('a disk another program filled: reading the store says the disk is full (not a failing disk), doctor says so, and the runs come back once there is room', () => {
    const db = join(disk, 'filled.db')
    expect(cli(['--db', db, 'import', SHOWCASE_MAIN]).code).toBe(0)
    const before = runs(db)
    const filler = join(disk, 'filler')
    // Another program takes every block left; the store was closed, so its -shm must be made again to read it.
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'])
    try {
      expect(free()).toBe(0)
      const r = cli(['--db', db, 'runs'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`the disk holding the store ${db} is full (0 B free), and SQLite could not make filled.db-shm, the index of its WAL, even to read it. Free some space and try again`)
      expect(r.stderr).not.toContain('failing disk')
      const doctor = cli(['--db', db, 'doctor'])
      expect(doctor.stdout).toContain(`data directory: the disk holding ${disk} is full (ENOSPC)`)
      expect(doctor.stdout).toContain(`store: the disk holding the store ${db} is full (0 B free)`)
    } finally {
      rmSync(filler, { force: true })
    }
    expect(runs(db)).toEqual(before)
  })
})
