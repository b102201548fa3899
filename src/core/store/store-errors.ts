import { accessSync, constants, statSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import type Database from 'better-sqlite3'
import { byteSize } from '../../shared/format'
import { CoreError } from '../../shared/result'
import { freeBytes, RESERVE_SETTING, ReserveReached } from './disk-reserve'

/**
 * SQLite's errors about the store file itself, said as what happened to which file and what to
 * do. SQLite's own words ("database or disk is full", "attempt to write a readonly database",
 * "file is not a database") name neither the file nor a way out, and they were all a user saw:
 * after `sudo swarmscope import` once, every later command failed with "attempt to write a
 * readonly database".
 */
export type StoreProblem = 'full' | 'reserve' | 'read-only' | 'not-a-store' | 'damaged' | 'cannot-open' | 'io'

/** The problem an error from a store connection names, or null for any other error (a bad statement, a constraint, busy). */
export function storeProblem(e: unknown): StoreProblem | null {
  if (e instanceof ReserveReached) return 'reserve'
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null
  // Extended codes (SQLITE_READONLY_DIRECTORY, SQLITE_IOERR_WRITE…) start with their primary code.
  if (code === 'SQLITE_FULL') return 'full'
  if (code.startsWith('SQLITE_READONLY')) return 'read-only'
  if (code === 'SQLITE_NOTADB') return 'not-a-store'
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged'
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot-open'
  if (code.startsWith('SQLITE_IOERR')) return 'io'
  return null
}

const MOVE = 'or use another store (--db PATH, or SWARMSCOPE_DB)'

/** The errno code of asking for write access, or null when this user may write. */
function writeDenied(path: string): string | null {
  try {
    accessSync(path, constants.W_OK)
    return null
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES'
  }
}

function owner(path: string): string {
  try {
    const st = statSync(path)
    const mine = typeof process.getuid === 'function' && st.uid === process.getuid()
    return `owned by ${mine ? 'you' : `user id ${st.uid}`}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`
  } catch {
    return 'not there'
  }
}

/** What happened and what to do, said apart so that what was kept can go between them. */
type Said = [problem: string, fix: string]

/** What keeps this user from writing the store (the file, the folder beside it where the WAL lives, the WAL files, the file system), or null. */
function denial(path: string): Said | null {
  const dir = dirname(path)
  const file = writeDenied(path)
  if (file === 'EROFS') return [`the store ${path} is on a read-only file system`, 'Copy it to a writable place and open that (--db PATH, or SWARMSCOPE_DB)']
  const chown = `Give it back to yourself (chown) or make it writable, ${MOVE}`
  if (file !== null && file !== 'ENOENT') {
    return [`the store ${path} is read-only for this user (${owner(path)}; perhaps an earlier command ran as another user, e.g. with sudo)`, chown]
  }
  const folder = writeDenied(dir)
  if (folder !== null && folder !== 'ENOENT') {
    return [`the folder ${dir} is read-only for this user (${owner(dir)}), and SQLite keeps ${basename(path)}-wal and ${basename(path)}-shm beside the store`, `Make the folder writable, ${MOVE}`]
  }
  for (const side of ['-wal', '-shm']) {
    const denied = writeDenied(path + side)
    if (denied !== null && denied !== 'ENOENT') return [`${path}${side}, which SQLite keeps beside the store, is read-only for this user (${owner(path + side)})`, chown]
  }
  return null
}

/** Why this user cannot write the store, said in full, or null when it can (doctor asks before anything fails). */
export function readOnlyReason(path: string): string | null {
  const d = denial(path)
  return d && `${d[0]}. ${d[1]}.`
}

function whyReadOnly(path: string, code: string): Said {
  if (code === 'SQLITE_READONLY_DBMOVED') return [`the store ${path} was moved or deleted while Swarmscope had it open`, 'Restart Swarmscope']
  return denial(path) ?? [`the store ${path} cannot be written (${code})`, `Check its permissions and those of its folder, ${MOVE}`]
}

/**
 * Another program's SQLite database named as the store, said as such, or null for a store (or
 * a new, empty file). Asked before the first write: making it a store would switch it to WAL
 * and add our tables to it, and `--db .swarm/memory.db` (claude-flow's database, mistaken for
 * the one to import) did.
 */
export function foreignStoreError(db: Database.Database, path: string): CoreError | null {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]
  if (tables.length === 0 || tables.includes('schema_migrations')) return null
  const listed = tables.length > 6 ? `${tables.slice(0, 6).join(', ')} and ${tables.length - 6} more` : tables.join(', ')
  return new CoreError('io_error', `${path} is another program's SQLite database (tables ${listed}), not a Swarmscope store: it was left as it is. To import it, name it after \`import\`; to choose where Swarmscope keeps its own store, point --db (or SWARMSCOPE_DB) at a new file.`)
}

/**
 * The store problem `e` names, said in full (as a CoreError 'io_error'), or null when `e` is
 * not one. `lost` says what a refused write lost, where the caller knows (a whole import, a
 * batch of live records); every write is one transaction, so what was stored before is left
 * as it was, and the message says so.
 */
export function explainStoreError(e: unknown, path: string, lost?: string): CoreError | null {
  const sys = e as NodeJS.ErrnoException | null
  if (sys?.syscall === 'mkdir' && sys.code) {
    const at = sys.path && sys.path !== dirname(path) ? ` at ${sys.path}` : ''
    return new CoreError('io_error', `cannot create the folder ${dirname(path)} for the store ${path} (${sys.code}${at}). ${MOVE[3].toUpperCase()}${MOVE.slice(4)}.`)
  }
  const problem = diskFullIo(storeProblem(e), path)
  if (problem === null) return null
  const code = (e as { code: string }).code
  const sqlite = (e as Error).message
  const said = ((): Said => {
    switch (problem) {
      case 'full': {
        const free = freeBytes(path)
        // An I/O error said as a full disk (diskFullIo) names what SQLite could not do.
        const at = code === 'SQLITE_FULL' ? '' : `, and SQLite could not ${code === 'SQLITE_IOERR_SHMSIZE' ? `make ${basename(path)}-shm, the index of its WAL, even to read it` : `go on (${code})`}`
        return [`the disk holding the store ${path} is full${free === null ? '' : ` (${byteSize(free)} free)`}${at}`, `Free some space and try again, ${MOVE}`]
      }
      case 'reserve': {
        const { free, reserve, pending } = e as ReserveReached
        const counting = pending > 0 ? ` (counting ${byteSize(pending)} that this import would still take there)` : ''
        return [
          `the disk holding the store ${path} has ${byteSize(free)} free, and writes stop before less than ${byteSize(reserve)} would be left${counting}, ` +
            'so that other programs, Claude Code writing its transcripts among them, do not meet a full disk',
          `Free some space and try again, ${MOVE}, or set ${RESERVE_SETTING} (0 for no reserve)`,
        ]
      }
      case 'read-only':
        return whyReadOnly(path, code)
      case 'not-a-store':
        return [`${path} is not a Swarmscope store: it is not an SQLite database (or it is encrypted)`, 'Point --db (or SWARMSCOPE_DB) at the store, or move this file away and Swarmscope starts a new store there']
      case 'damaged':
        return [`the store ${path} is damaged (${sqlite})`, `Copy it aside, then recover what it holds (sqlite3 "${path}" .recover | sqlite3 recovered.db) or start a new store and import your logs again`]
      case 'cannot-open':
        return [`cannot open the store ${path}: ${whyCannotOpen(path)}`, `${MOVE[3].toUpperCase()}${MOVE.slice(4)}`]
      case 'io':
        return [`reading or writing the store ${path} failed (${code}: ${sqlite}; a failing disk, a network file system, or another program changing the file)`, 'Check the disk, then try again']
    }
  })()
  const kept = lost ? ` ${lost[0].toUpperCase()}${lost.slice(1)}, and what the store held before is as it was.` : ''
  return new CoreError('io_error', `${said[0]}.${kept} ${said[1]}.`)
}

/**
 * Below this much free space an I/O error is taken for a full disk. A full disk does not always
 * come back as SQLITE_FULL: opening a store needs its -shm file sized (32 KB), and on a disk
 * another program had filled SQLite said SQLITE_IOERR_SHMSIZE, explained as a failing disk.
 */
const NEARLY_FULL_BYTES = 1024 * 1024

function diskFullIo(problem: StoreProblem | null, path: string): StoreProblem | null {
  if (problem !== 'io') return problem
  const free = freeBytes(path)
  return free !== null && free < NEARLY_FULL_BYTES ? 'full' : problem
}

function whyCannotOpen(path: string): string {
  const dir = dirname(path)
  const denied = writeDenied(dir)
  if (denied === 'ENOENT') return `its folder ${dir} does not exist`
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return 'that is a folder, not a file'
  if (denied !== null) return `the folder ${dir} is read-only for this user (${owner(dir)})`
  return 'this user may not read it'
}

/**
 * After a write refused for lack of space, or an import stopped at the disk's reserve
 * (disk-reserve.ts): gives back what the WAL file grew to (the failed
 * transaction's pages, up to the whole disk) so that the disk is not left full for every other
 * program until Swarmscope exits. SQLite keeps the WAL at its largest size otherwise. Best effort:
 * a reader holding an old snapshot, or no room to copy earlier pages back, leaves it until the
 * store is closed (the idle checkpoint copies pages but never shrinks the file). Called by the
 * importer and the live pipeline, which then rethrow the error explained, and by the write queue
 * for any other write: the explained error no longer names SQLITE_FULL, so this runs once.
 */
export function releaseSpaceAfter(db: Database.Database, e: unknown): void {
  const problem = storeProblem(e)
  if ((problem !== 'full' && problem !== 'reserve') || !db.open || db.inTransaction) return
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
  } catch {
    // As above: left until the store is closed.
  }
}
