import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { BundleManifest } from '../../shared/routes/bundle'
import { CoreError } from '../../shared/result'
import { reserveGuard } from '../store/disk-reserve'
import { storeProblem } from '../store/store-errors'
import { ALIAS, BUNDLE_APPLICATION_ID, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleChecksum, columnsOf, q, runTables, type ManifestRow } from './format'

const notABundle = (path: string, why: string) => new CoreError('unsupported_format', `${path} is not a Swarmscope bundle: ${why}`)
const damaged = (path: string, why: string) => new CoreError('unsupported_format', `the bundle ${path} is damaged (${why}); export it again`)
const unreadable = (path: string, e: Error) => (/not a database/i.test(e.message) ? notABundle(path, 'it is not a SQLite file') : damaged(path, e.message))

/**
 * Attaches a bundle to the write connection, runs `work`, and always detaches. Must run outside
 * a transaction (the core's write queue guarantees it).
 */
export function withBundle<T>(db: Database, path: string, work: (manifest: BundleManifest) => T): T {
  const file = resolve(path)
  if (!existsSync(file)) throw new CoreError('not_found', `no such file: ${path}`)
  if (!statSync(file).isFile()) throw notABundle(path, 'it is a folder')
  try {
    db.prepare(`ATTACH DATABASE ? AS ${ALIAS}`).run(file)
  } catch (e) {
    throw unreadable(path, e as Error)
  }
  try {
    return work(validate(db, path))
  } finally {
    db.exec(`DETACH DATABASE ${ALIAS}`)
  }
}

/** Checks, in order: a SQLite file, a bundle, a version we read, intact pages, intact rows. */
function validate(db: Database, path: string): BundleManifest {
  let appId: number
  try {
    appId = db.pragma(`${ALIAS}.application_id`, { simple: true }) as number
  } catch (e) {
    throw unreadable(path, e as Error)
  }
  const hasManifest = db.prepare(`SELECT 1 FROM ${ALIAS}.sqlite_master WHERE type = 'table' AND name = 'manifest'`).get()
  if (appId !== BUNDLE_APPLICATION_ID || !hasManifest) throw notABundle(path, 'it is a SQLite database without a Swarmscope manifest')
  let row: ManifestRow | undefined
  try {
    row = db.prepare(`SELECT * FROM ${ALIAS}.manifest`).get() as ManifestRow | undefined
  } catch (e) {
    throw damaged(path, (e as Error).message)
  }
  if (!row || row.format !== BUNDLE_FORMAT) throw damaged(path, 'its manifest is empty or unreadable')
  if (!Number.isInteger(row.format_version) || row.format_version < 1) throw damaged(path, `unknown format version ${String(row.format_version)}`)
  if (row.format_version > BUNDLE_FORMAT_VERSION) {
    throw new CoreError(
      'unsupported_format',
      `the bundle ${path} was written by Swarmscope ${row.app_version} in bundle format ${row.format_version}; this version reads format ${BUNDLE_FORMAT_VERSION} and older. Update Swarmscope to open it.`,
    )
  }
  const manifest = parseManifest(row, path)
  const check = db.pragma(`${ALIAS}.quick_check`, { simple: true })
  if (check !== 'ok') throw damaged(path, String(check))
  let checksum: string
  try {
    checksum = bundleChecksum(db, ALIAS, manifest.runIds)
  } catch (e) {
    throw damaged(path, (e as Error).message)
  }
  if (checksum !== manifest.checksum) throw damaged(path, 'its contents do not match the checksum in its manifest')
  const bundled = (db.prepare(`SELECT id FROM ${ALIAS}.runs`).all() as { id: string }[]).map((r) => r.id).sort()
  if (JSON.stringify(bundled) !== JSON.stringify([...manifest.runIds].sort())) throw damaged(path, 'its runs differ from those its manifest lists')
  return manifest
}

function parseManifest(row: ManifestRow, path: string): BundleManifest {
  let runIds: unknown
  try {
    runIds = JSON.parse(row.run_ids)
  } catch {
    runIds = null
  }
  if (!Array.isArray(runIds) || !runIds.every((x) => typeof x === 'string')) throw damaged(path, 'its manifest lists no run ids')
  return {
    formatVersion: row.format_version,
    createdAt: String(row.created_at),
    appVersion: String(row.app_version),
    schemaVersion: Number(row.schema_version),
    runIds,
    includesContent: row.includes_content === 1,
    checksum: String(row.checksum),
  }
}

/**
 * Copies the bundle's runs into the store in one transaction. A run whose id is already in the
 * store is left as it is (same id, same source session) and reported as existing.
 */
export function importBundleRuns(db: Database, manifest: BundleManifest): { added: string[]; existing: string[] } {
  const has = db.prepare('SELECT 1 FROM main.runs WHERE id = ?')
  const existing = manifest.runIds.filter((id) => has.get(id))
  const added = manifest.runIds.filter((id) => !existing.includes(id))
  if (added.length === 0) return { added, existing }
  const ids = JSON.stringify(added)
  const storeTables = new Set(runTables(db, 'main'))
  // runs first (readable order in errors); foreign keys are checked at commit anyway.
  const tables = runTables(db, ALIAS).sort((a, b) => Number(b === 'runs') - Number(a === 'runs'))
  // The copy takes about the bundle's pages in the store, and as many again in the WAL until a
  // checkpoint: refused before it starts when that would leave less than the disk's reserve.
  const bundleBytes = (db.pragma(`${ALIAS}.page_count`, { simple: true }) as number) * (db.pragma(`${ALIAS}.page_size`, { simple: true }) as number)
  reserveGuard(db.name, { unwritten: 2 * bundleBytes }).check(true)
  const copy = db.transaction(() => {
    // Checked at commit, so tables that reference one another may come in any order.
    db.pragma('defer_foreign_keys = ON')
    for (const table of tables) {
      // A table this version does not know (written by a newer app in the same format) is skipped.
      if (!storeTables.has(table)) continue
      const mine = new Set(columnsOf(db, 'main', table))
      const cols = columnsOf(db, ALIAS, table).filter((c) => mine.has(c)).map(q).join(', ')
      const key = table === 'runs' ? 'id' : 'run_id'
      try {
        db.prepare(`INSERT INTO main.${q(table)} (${cols}) SELECT ${cols} FROM ${ALIAS}.${q(table)} WHERE ${key} IN (SELECT value FROM json_each(?))`).run(ids)
      } catch (e) {
        // A full disk or an unwritable store is the store's trouble, said as such by the core, not the bundle's.
        if (storeProblem(e)) throw e
        throw new CoreError('unsupported_format', `cannot import the bundle's ${table}: ${(e as Error).message}`)
      }
    }
  })
  try {
    copy()
  } catch (e) {
    if (e instanceof CoreError || storeProblem(e)) throw e
    throw new CoreError('unsupported_format', `cannot import the bundle: ${(e as Error).message}`)
  }
  return { added, existing }
}
