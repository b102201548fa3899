import { statfsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { CoreError } from '../../shared/result'

// Imports stop while the store's disk still has some space free. An import that fills the disk
// fails anyway (and gives the space back, store-errors.ts), but until it does, every other
// program writing to that disk fails too: Claude Code writing the very transcripts being
// imported among them, which loses a session's lines. A small reserve costs an import that
// would just have fitted; a full disk can cost another program's data.

/** The reserve on a disk of 25.6 GB or more; smaller disks keep 1 % of their size. Megabytes of 1,000,000 bytes, as sizes are shown. */
export const DEFAULT_RESERVE_BYTES = 256_000_000
/** The setting that changes the reserve, in megabytes (0: none). */
export const RESERVE_SETTING = 'SWARMSCOPE_DISK_RESERVE_MB'
/** The disk is looked at no more often than this while an import writes (statfs is cheap; this keeps it negligible). */
const CHECK_EVERY_MS = 100

/** The file system holding the store, or null where the system does not say. */
function diskOf(path: string) {
  try {
    return statfsSync(dirname(path))
  } catch {
    return null
  }
}

/** Free space for this user where the store lives, if the system says. */
export function freeBytes(path: string): number | null {
  const s = diskOf(path)
  return s && s.bavail * s.bsize
}

/** The space imports leave free on the store's disk: SWARMSCOPE_DISK_RESERVE_MB when set (0: none), else 256 MB or 1 % of a smaller disk. */
export function diskReserve(path: string, env: NodeJS.ProcessEnv = process.env): number {
  const set = env[RESERVE_SETTING]?.trim()
  if (set) {
    const mb = Number(set)
    if (!Number.isFinite(mb) || mb < 0) throw new CoreError('bad_request', `${RESERVE_SETTING} must be a number of megabytes (0 for none), not "${set}"`)
    return Math.round(mb * 1_000_000)
  }
  const s = diskOf(path)
  return s ? Math.min(DEFAULT_RESERVE_BYTES, Math.round(s.blocks * s.bsize * 0.01)) : 0
}

/** Writes stopped (an import, a batch of live records) because the store's disk reached its reserve; explained by store-errors.ts. */
export class ReserveReached extends Error {
  constructor(
    readonly free: number,
    readonly reserve: number,
    /** What the writes under way still need on the disk (see reserveGuard). */
    readonly pending: number,
  ) {
    super(`only ${free} bytes free, reserve ${reserve} + ${pending} pending`)
    this.name = 'ReserveReached'
  }
}

/**
 * Watches the free space of the store's disk during writes: `check()` is asked at every step
 * (cheaply: the disk is looked at every 100 ms at most, and the last look stands in between)
 * and throws ReserveReached once what the writes still need would leave less than the reserve:
 * - `unwritten`: what a transaction may hold in the page cache, which reaches the disk only when
 *   it spills or commits, after the last check;
 * - with `countWal`, what the WAL grew by since the guard was made: a checkpoint copies those
 *   pages into the store file while the WAL still holds them (the store grows by up to as much;
 *   the WAL shrinks back only afterwards, open.ts), so an import needs its pages' room twice.
 * `check(true)` looks now. No reserve (0), a store in memory or a system that does not say:
 * never throws.
 */
export function reserveGuard(path: string, opts: { unwritten: number; countWal?: boolean; env?: NodeJS.ProcessEnv }): { check(now?: boolean): void } {
  const reserve = path === ':memory:' ? 0 : diskReserve(path, opts.env)
  const wal = `${path}-wal`
  const walAtStart = opts.countWal ? fileSize(wal) : 0
  let lastLook = -Infinity
  let free: number | null = null
  let pending = opts.unwritten
  return {
    check(now = false) {
      if (reserve === 0) return
      const t = performance.now()
      if (now || t - lastLook >= CHECK_EVERY_MS) {
        lastLook = t
        free = freeBytes(path)
        pending = opts.unwritten + (opts.countWal ? Math.max(0, fileSize(wal) - walAtStart) : 0)
      }
      if (free !== null && free - pending < reserve) throw new ReserveReached(free, reserve, pending)
    },
  }
}

function fileSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0
}
