import { readFileSync, statSync } from 'node:fs'
import type { Statement } from 'better-sqlite3'
import { openStore } from '../../src/core/store/open'
import type { FloorWrite } from './store-floor'

// Run by store-floor.ts in a process of its own (the store's pages not yet read, as in a host
// started afresh): makes the given writes in one transaction and prints how long BEGIN to
// COMMIT took and how much the WAL grew.

const [path, writesFile] = process.argv.slice(2)
const writes = JSON.parse(readFileSync(writesFile, 'utf8')) as FloorWrite[]
const store = openStore({ path })
const db = store.write
// Prepared before the clock starts, one per table and set of columns.
const statements = new Map<string, Statement>()
const statementFor = (w: FloorWrite): Statement => {
  const sql = 'insert' in w
    ? `INSERT INTO ${w.table} VALUES (${w.insert.map(() => '?').join(', ')})`
    : `UPDATE ${w.table} SET ${w.set.map((c) => `${c} = ?`).join(', ')} WHERE ${w.key.map((k) => `${k} = ?`).join(' AND ')}`
  let st = statements.get(sql)
  if (!st) statements.set(sql, (st = db.prepare(sql)))
  return st
}
const prepared = writes.map((w) => [statementFor(w), 'insert' in w ? w.insert : [...w.values, ...w.keyValues]] as const)
const walBefore = statSize(`${path}-wal`)
const started = performance.now()
db.exec('BEGIN IMMEDIATE')
for (const [st, args] of prepared) st.run(args)
db.exec('COMMIT')
const ms = performance.now() - started
const walBytes = statSize(`${path}-wal`) - walBefore
const pageSize = db.pragma('page_size', { simple: true }) as number
store.close()
console.log(JSON.stringify({ ms, walBytes, pageSize }))

function statSize(p: string): number {
  try {
    return statSync(p).size
  } catch {
    return 0
  }
}
