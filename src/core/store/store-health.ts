import { existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations'
import { byteSize } from '../../shared/format'
import { diskReserve, freeBytes, RESERVE_SETTING } from './disk-reserve'
import { WRITE_CACHE_BYTES } from './open'
import { explainStoreError, foreignStoreError, readOnlyReason } from './store-errors'

/** What `swarmscope doctor` says of the store: whether it opens, is ours, is whole, can be written, and has room. */
export interface StoreHealth {
  status: 'ok' | 'warn' | 'error'
  detail: string
  fix?: string
}

/** Below this much free space beside the store, an import of a large folder may not fit (its WAL grows first). */
const LOW_SPACE_BYTES = 512 * 1024 * 1024

/** Splits an explanation's last sentence (what to do) from the rest (what is wrong). */
function said(message: string): { detail: string; fix?: string } {
  const at = message.lastIndexOf('. ', message.length - 2)
  return at < 0 ? { detail: message } : { detail: message.slice(0, at + 1), fix: message.slice(at + 2) }
}

/**
 * Looks at the store without changing it (read-only: no migration, no WAL switch), so that
 * doctor can be run on a store that the app refuses to open. A full integrity check reads every
 * page; `quick_check` skips the index-to-table cross-check and takes ~1 s for a 1 GB corpus's store.
 */
export function storeHealth(path: string): StoreHealth {
  if (!existsSync(path)) {
    const why = readOnlyReason(path)
    return why ? { status: 'error', ...said(why) } : { status: 'ok', detail: `${path} (created on first import)` }
  }
  let db: Database.Database | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    const foreign = foreignStoreError(db, path)
    if (foreign) return { status: 'error', ...said(foreign.message) }
    const applied = db.prepare(`SELECT name FROM sqlite_master WHERE name = 'schema_migrations'`).get()
      ? (db.prepare('SELECT COALESCE(MAX(id), 0) FROM schema_migrations').pluck().get() as number)
      : 0
    if (applied > migrations.length) {
      return { status: 'error', detail: `${path} was written by a newer Swarmscope (schema ${applied}, this version knows ${migrations.length})`, fix: 'update Swarmscope, or use another store (--db PATH, or SWARMSCOPE_DB)' }
    }
    const check = db.prepare('PRAGMA quick_check').pluck().all() as string[]
    if (check.length !== 1 || check[0] !== 'ok') {
      // Problems come one per row, the first behind a "*** in database main ***" header line.
      const found = check.join('\n').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('***'))
      const first = found.slice(0, 3).join('; ')
      return { status: 'error', detail: `the store ${path} is damaged (${first}${found.length > 3 ? `; ${found.length - 3} more` : ''})`, fix: `copy it aside, then recover what it holds (sqlite3 "${path}" .recover | sqlite3 recovered.db) or start a new store and import your logs again` }
    }
    const runs = applied > 0 ? (db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number) : 0
    db.close()
    db = null
    const readOnly = readOnlyReason(path)
    if (readOnly) return { status: 'error', ...said(readOnly) }
    const bytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)
    const upgrade = applied < migrations.length ? `; upgraded to schema ${migrations.length} when next opened` : ''
    const detail = `${path}: ${runs} run${runs === 1 ? '' : 's'}, ${byteSize(bytes)}, schema ${applied}${upgrade}, integrity ok`
    const free = freeBytes(path)
    let reserve: number
    try {
      reserve = diskReserve(path)
    } catch (e) {
      return { status: 'error', detail: (e as Error).message, fix: `set ${RESERVE_SETTING} to a number of megabytes (0 for no reserve), or unset it` }
    }
    if (free !== null && free < Math.max(LOW_SPACE_BYTES, reserve + WRITE_CACHE_BYTES)) {
      const stops = reserve > 0 ? `less than ${byteSize(reserve)} would be left (${RESERVE_SETTING})` : 'the disk fills'
      return { status: 'warn', detail: `${detail}; only ${byteSize(free)} free on its disk`, fix: `free some space on the disk of ${dirname(path)}: an import stops with nothing stored before ${stops}` }
    }
    return { status: 'ok', detail: free === null ? detail : `${detail}, ${byteSize(free)} free` }
  } catch (e) {
    const explained = explainStoreError(e, path)
    return { status: 'error', ...(explained ? said(explained.message) : { detail: `cannot read ${path}: ${(e as Error).message}` }) }
  } finally {
    db?.close()
  }
}
