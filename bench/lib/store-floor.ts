import { spawnSync } from 'node:child_process'
import { copyFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { measure } from './measure'

// The store's share of a warm import, measured alone: how long the store takes to hold what one
// append added, given exactly the rows to write and nothing else to do (no file read, no parse,
// no summary to compute). The rows are the difference the append's real import made to the
// store (taken with EXCEPT against a copy made before the append); a fresh process writes them
// into another copy of the store as it was (an INSERT per new row, an UPDATE of the changed
// columns only per changed row), in one transaction as the tail's import does, with the store's
// own settings (openStore). A lower bound: a row the import wrote several times is written once.

export const STORE_FLOOR_METHOD =
  'warm.storeFloor: the store\'s part of a warm import alone, for the same kind of append (1 % of lines to every tenth session): ' +
  'the rows the append\'s real import (`swarmscope import`) added or changed in runs, agents, spans, events, metric_samples and imported_files, ' +
  'found by comparing the store with a copy made before the append, are written by a fresh process into another copy of the store as it was, ' +
  'with prepared INSERTs for new rows and UPDATEs of the changed columns only for the others, in one transaction (openStore\'s settings; BEGIN to COMMIT timed). No file is read, parsed or summarised: ' +
  'whatever design reads these lines into this store does at least this. ccusage is run right after it; ccusageOverFloor is the best ratio such an import could reach here'

/** Tables an import writes, each with the column that ties a row to its run (null: compared whole). */
const TABLES: [string, string | null][] = [
  ['runs', null], ['agents', 'run_id'], ['spans', 'run_id'], ['events', 'run_id'], ['metric_samples', 'run_id'], ['imported_files', null],
]

export interface StoreFloor {
  appendedLines: number
  runsChanged: number
  /** Rows written per table (new or changed)… */
  rowsWritten: Record<string, number>
  /** …of which new. */
  rowsNew: Record<string, number>
  /** Pages the transaction wrote to the WAL. */
  walPages: number
  floorMs: number
  /** The real import of the same append, through the CLI (process start included). */
  cliImportMs: number
}

/** A write the import made: a row new to the store, or the columns it changed in a row already there. */
export type FloorWrite = { table: string; insert: unknown[] } | { table: string; set: string[]; values: unknown[]; key: string[]; keyValues: unknown[] }

/** The writes that turn `before` into `after` (rows new or changed), for the runs that changed. */
function difference(after: string, before: string): { writes: FloorWrite[]; runs: number } {
  const db = new Database(after, { readonly: true })
  db.prepare('ATTACH ? AS before').run(before)
  const changedRuns = db.prepare('SELECT id FROM main.runs EXCEPT SELECT id FROM before.runs UNION SELECT id FROM (SELECT * FROM main.runs EXCEPT SELECT * FROM before.runs)').pluck().all() as string[]
  const ids = JSON.stringify(changedRuns)
  const writes: FloorWrite[] = []
  for (const [table, runColumn] of TABLES) {
    const info = db.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string; pk: number }[]
    const columns = info.map((c) => c.name)
    const key = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
    const keyAt = key.map((k) => columns.indexOf(k))
    const where = runColumn ? `WHERE ${runColumn} IN (SELECT value FROM json_each(@ids))` : ''
    const changed = db.prepare(`SELECT * FROM main.${table} ${where} EXCEPT SELECT * FROM before.${table} ${where}`).raw().all(runColumn ? { ids } : {}) as unknown[][]
    const old = db.prepare(`SELECT * FROM before.${table} WHERE ${key.map((k) => `${k} IS ?`).join(' AND ')}`).raw()
    for (const row of changed) {
      const keyValues = keyAt.map((i) => row[i])
      const was = old.get(keyValues) as unknown[] | undefined
      if (!was) {
        writes.push({ table, insert: row })
        continue
      }
      const set = columns.filter((_, i) => row[i] !== was[i])
      writes.push({ table, set, values: set.map((c) => row[columns.indexOf(c)]), key, keyValues })
    }
  }
  db.close()
  return { writes, runs: changedRuns.length }
}

/**
 * Appends through `append` (returns the lines written), imports it for real into `db`, and
 * measures the store's part of that import alone (see above). `db` must not be open elsewhere.
 */
export function storeFloor(opts: { bundle: string; db: string; projects: string; work: string; append: () => number; written?: (store: string) => void }): StoreFloor {
  const before = join(opts.work, 'floor-before.db')
  const target = join(opts.work, 'floor-target.db')
  const rowsFile = join(opts.work, 'floor-rows.json')
  // A CLI import closes the store, which leaves its WAL empty: the database file alone is the store.
  copyFileSync(opts.db, before)
  const appendedLines = opts.append()
  const cli = measure(process.execPath, [opts.bundle, '--db', opts.db, 'import', opts.projects, '--json'])
  const diff = difference(opts.db, before)
  writeFileSync(rowsFile, JSON.stringify(diff.writes))
  for (const s of ['', '-wal', '-shm']) rmSync(target + s, { force: true })
  copyFileSync(before, target)
  spawnSync('sync')
  const here = dirname(fileURLToPath(import.meta.url))
  const child = spawnSync(process.execPath, [join(here, '..', '..', 'bin', 'run-ts.mjs'), join(here, 'store-floor-child.ts'), target, rowsFile], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`store floor: ${child.stderr}`)
  const { ms, walBytes, pageSize } = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; walBytes: number; pageSize: number }
  // For the test: the copy as the writes left it, which must equal the store the import left.
  opts.written?.(target)
  for (const f of [before, target, target + '-wal', target + '-shm', rowsFile]) rmSync(f, { force: true })
  return {
    appendedLines, runsChanged: diff.runs,
    rowsWritten: Object.fromEntries(TABLES.map(([t]) => [t, diff.writes.filter((w) => w.table === t).length])),
    rowsNew: Object.fromEntries(TABLES.map(([t]) => [t, diff.writes.filter((w) => w.table === t && 'insert' in w).length])),
    // Each WAL frame is a 24-byte header and a page; the WAL starts with a 32-byte header.
    walPages: Math.round((walBytes - 32) / (pageSize + 24)),
    floorMs: ms, cliImportMs: cli.wallMs,
  }
}
