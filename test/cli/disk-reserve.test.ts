import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statfsSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { generateLongSession } from '../../bench/corpus/claude-code'
import { importPaths } from '../../src/core/ingest/importer'
import { diskReserve, ReserveReached, reserveGuard } from '../../src/core/store/disk-reserve'
import { openStore } from '../../src/core/store/open'
import { cliAs, isRoot } from '../helpers/cli-as'
import { IngestClient, startServe } from '../live/helpers'
import { tempDir } from '../helpers/temp'
import { SHOWCASE_MAIN, SIDECHAIN } from '../helpers/transcript-facts'

// Imports stop while the store's disk still has its reserve free (SWARMSCOPE_DISK_RESERVE_MB,
// 256 MB by default), so that a big import never fills the disk other programs write to.
// Before, an import wrote until SQLite met a full disk: Claude Code writing its transcripts on
// that disk meanwhile failed too.

const freeMb = (dir: string) => {
  const s = statfsSync(dir)
  return (s.bavail * s.bsize) / 1e6
}
const runIds = (db: string) => (JSON.parse(cliAs(['--db', db, 'runs', '--json']).stdout) as { id: string }[]).map((r) => r.id).sort()

describe('the disk reserve at the command line', () => {
  it('refuses an import with something to read when the disk is at its reserve, keeps what was stored, and lets an import with nothing new through', () => {
    const dir = tempDir()
    const db = join(dir, 'store.db')
    expect(cliAs(['--db', db, 'import', SIDECHAIN], { env: { SWARMSCOPE_DISK_RESERVE_MB: '0' } }).code).toBe(0)
    const before = runIds(db)
    expect(before).toHaveLength(1)
    // More than this disk has free: the reserve is already reached.
    const reserve = String(Math.ceil(freeMb(dir)) + 100_000)
    const refused = cliAs(['--db', db, 'import', SHOWCASE_MAIN], { env: { SWARMSCOPE_DISK_RESERVE_MB: reserve } })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`the disk holding the store ${db} has `)
    expect(refused.stderr).toMatch(/writes stop before less than [\d.]+ (GB|TB) would be left/)
    expect(refused.stderr).toContain('Nothing of this import was stored, and what the store held before is as it was.')
    expect(refused.stderr).toContain('SWARMSCOPE_DISK_RESERVE_MB (0 for no reserve)')
    expect(runIds(db)).toEqual(before)
    // Nothing new to read: nothing to write, so the reserve does not stop it.
    const again = cliAs(['--db', db, 'import', SIDECHAIN], { env: { SWARMSCOPE_DISK_RESERVE_MB: reserve } })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('1 unchanged since the last import')
    // doctor says when imports stop.
    const doctor = cliAs(['--db', db, 'doctor'], { env: { SWARMSCOPE_DISK_RESERVE_MB: reserve } })
    expect(doctor.stdout).toMatch(/warn\s+store: .*only [\d.]+ GB free on its disk/)
    expect(doctor.stdout).toMatch(/an import stops with nothing stored before less than [\d.]+ (GB|TB) would be left \(SWARMSCOPE_DISK_RESERVE_MB\)/)
    // With the reserve off, the same import goes through.
    expect(cliAs(['--db', db, 'import', SHOWCASE_MAIN], { env: { SWARMSCOPE_DISK_RESERVE_MB: '0' } }).code).toBe(0)
    expect(runIds(db)).toHaveLength(2)
  })

  it('refuses live records to their sender at the reserve, to be sent again', async () => {
    const dir = tempDir()
    const db = join(dir, 'live.db')
    const reserve = String(Math.ceil(freeMb(dir)) + 100_000)
    const host = await startServe(db, ['--port', '0', '--no-otlp', '--no-watch'], { SWARMSCOPE_DISK_RESERVE_MB: reserve })
    const client = await IngestClient.open(host.port)
    try {
      const nack = (await client.send(0, [{ v: 1, type: 'run', id: 'live-reserve' }])) as unknown as { type: string; retry?: boolean; reason: string }
      expect(nack).toMatchObject({ type: 'nack', retry: true })
      expect(nack.reason).toContain(`the disk holding the store ${db} has `)
      expect(nack.reason).toContain('These records were not stored, and what the store held before is as it was.')
    } finally {
      client.close()
      await host.stop()
    }
    expect(runIds(db)).toEqual([])
  })

  it('is 256 MB, or 1 % of a smaller disk, unless set', () => {
    const dir = tempDir()
    const s = statfsSync(dir)
    expect(diskReserve(join(dir, 'x.db'), {})).toBe(Math.min(256_000_000, Math.round(s.blocks * s.bsize * 0.01)))
    expect(diskReserve(join(dir, 'x.db'), { SWARMSCOPE_DISK_RESERVE_MB: '1.5' })).toBe(1_500_000)
    expect(diskReserve(join(dir, 'x.db'), { SWARMSCOPE_DISK_RESERVE_MB: '0' })).toBe(0)
    if (mounted) expect(diskReserve(join(disk, 'x.db'), {})).toBe(Math.round(64 * 1024 * 1024 * 0.01))
  })

  it('counts what the WAL grew by during an import: a checkpoint needs that room again in the store file', () => {
    const path = join(tempDir(), 's.db')
    writeFileSync(`${path}-wal`, '')
    // 200 MB under what is free now (other tests write meanwhile: the margins are wide).
    const env = { SWARMSCOPE_DISK_RESERVE_MB: String(Math.floor(freeMb(join(path, '..')) - 200)) }
    const withWal = reserveGuard(path, { unwritten: 0, countWal: true, env })
    const withoutWal = reserveGuard(path, { unwritten: 0, env })
    withWal.check(true)
    // The WAL grows by 400 MB (a sparse file: its size, not its blocks, is what a checkpoint copies).
    truncateSync(`${path}-wal`, 400_000_000)
    expect(() => withWal.check(true)).toThrow(ReserveReached)
    try {
      withWal.check(true)
    } catch (e) {
      expect((e as ReserveReached).pending).toBe(400_000_000)
    }
    withoutWal.check(true)
  })

  it('names a reserve that is not a number of megabytes', () => {
    const db = join(tempDir(), 'store.db')
    const r = cliAs(['--db', db, 'import', SIDECHAIN], { env: { SWARMSCOPE_DISK_RESERVE_MB: '1GB' } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('SWARMSCOPE_DISK_RESERVE_MB must be a number of megabytes (0 for none), not "1GB"')
  })
})

// Another program fills the disk while an import runs, on a real small file system (a 64 MB
// tmpfs: mounting needs root, so elsewhere this is skipped; the refusal itself is covered above).
const work = mkdtempSync(join(tmpdir(), 'swarmscope-reserve-'))
const disk = join(work, 'disk')
const mounted = isRoot && (() => {
  mkdirSync(disk)
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64M', 'tmpfs', disk]).status === 0
})()
afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', disk])
  rmSync(work, { recursive: true, force: true })
})

describe.skipIf(!mounted)('the disk reserve during an import', () => {
  it('stops the import once the disk comes near its reserve, before it is full, with nothing stored', async () => {
    const big = generateLongSession(join(work, 'big'), 24 * 1024 * 1024).file
    const db = join(disk, 'store.db')
    const store = openStore({ path: db })
    vi.stubEnv('SWARMSCOPE_DISK_RESERVE_MB', '8')
    let filled = false
    let leastFreeMb = Infinity
    try {
      const failed = await importPaths(store, {
        paths: [big],
        onProgress: (p) => {
          leastFreeMb = Math.min(leastFreeMb, freeMb(disk))
          // Once the import is under way, another program takes all but ~38 MB: with the 32 MiB
          // page cache counted as still to be written, less than the 8 MB reserve would be left.
          if (!filled && p.bytesRead > 0) {
            filled = true
            writeFileSync(join(disk, 'other-program.bin'), Buffer.alloc(Math.floor((freeMb(disk) - 38) * 1e6)))
          }
        },
      }).then(() => null, (e: Error) => e)
      expect(filled).toBe(true)
      expect(failed?.message).toMatch(/^the disk holding the store .*store\.db has 3\d\.\d MB free, and writes stop before less than 8\.0 MB would be left \(counting 3\d\.\d MB that this import would still take there\)/)
      expect(failed?.message).toContain('Nothing of this import was stored')
      expect((store.read.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number)).toBe(0)
      // The disk was never full: the import stopped with room left for the other program.
      expect(leastFreeMb).toBeGreaterThan(30)
      expect(freeMb(disk)).toBeGreaterThan(30)
    } finally {
      vi.unstubAllEnvs()
      store.close()
    }
  })
})
