import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'

// A .swarmscope bundle is a SQLite file: copies of the run-owned tables of the store (only the
// bundled runs' rows) plus a one-row `manifest` table. Bundles are read and written by ATTACHing
// them to the store's write connection, so the Electron build of better-sqlite3 is used without
// the bundle code knowing about it, and copying is INSERT … SELECT inside SQLite.

/** Bump when a bundle written by this version could not be read correctly by an older one. */
export const BUNDLE_FORMAT_VERSION = 1
export const BUNDLE_FORMAT = 'swarmscope-bundle'
/** SQLite's application_id header field: 'SWSC', so `file(1)`-style tools can tell what it is. */
export const BUNDLE_APPLICATION_ID = 0x53575343
/** The schema name the bundle is attached under; unusual enough not to clash with anything else. */
export const ALIAS = 'swarmscope_bundle'

/** Tables whose rows describe where files came from on the exporter's machine: never shared. */
const LOCAL_ONLY = new Set(['imported_files', 'file_runs', 'schema_migrations'])
/** Stored prompt/response text: only with includeContent. */
export const CONTENT_TABLES = new Set(['span_content'])

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Column names of a table in a schema (`main` or the bundle alias). */
export function columnsOf(db: Database, schema: string, table: string): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${q(table)})`).all() as { name: string }[]).map((c) => c.name)
}

/**
 * The tables holding run data: `runs` and every ordinary table with a run_id column whose
 * foreign keys point only at other run data. Found from the schema rather than listed, so a
 * table added by a later migration travels in bundles too; a table that also points elsewhere
 * (a report cache linking runs to cached files) is local bookkeeping and stays behind.
 */
export function runTables(db: Database, schema: string): string[] {
  const rows = db
    .prepare(`SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string; sql: string | null }[]
  const tables = new Set(
    rows
      .filter((r) => !LOCAL_ONLY.has(r.name) && r.name !== 'manifest' && !/^\s*CREATE\s+VIRTUAL/i.test(r.sql ?? ''))
      .filter((r) => r.name === 'runs' || columnsOf(db, schema, r.name).includes('run_id'))
      .map((r) => r.name),
  )
  const targets = (t: string) => (db.prepare(`PRAGMA ${schema}.foreign_key_list(${q(t)})`).all() as { table: string }[]).map((f) => f.table)
  for (let changed = true; changed; ) {
    changed = false
    for (const t of tables) {
      if (targets(t).some((target) => !tables.has(target))) {
        tables.delete(t)
        changed = true
      }
    }
  }
  return [...tables]
}

/**
 * sha256 over the bundled rows: per table (by name) its sorted column names and every row in a
 * fixed order. Written at export and recomputed on open, so a damaged or edited file is refused.
 */
export function bundleChecksum(db: Database, schema: string, runIds: readonly string[]): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify([BUNDLE_FORMAT, [...runIds].sort()]))
  for (const table of runTables(db, schema)) {
    const cols = columnsOf(db, schema, table).sort()
    hash.update(`\n${table}\n${JSON.stringify(cols)}\n`)
    const list = cols.map(q).join(', ')
    const rows = db.prepare(`SELECT ${list} FROM ${schema}.${q(table)} ORDER BY ${list}`).raw().iterate() as IterableIterator<unknown[]>
    for (const row of rows) hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n')
  }
  return hash.digest('hex')
}

export const MANIFEST_DDL = `CREATE TABLE ${ALIAS}.manifest (
  format TEXT NOT NULL, format_version INTEGER NOT NULL, created_at TEXT NOT NULL, app_version TEXT NOT NULL,
  schema_version INTEGER NOT NULL, run_ids TEXT NOT NULL, includes_content INTEGER NOT NULL, checksum TEXT NOT NULL)`

export interface ManifestRow {
  format: string
  format_version: number
  created_at: string
  app_version: string
  schema_version: number
  run_ids: string
  includes_content: number
  checksum: string
}
