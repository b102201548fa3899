import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { AlertRecord } from '../../shared/integrations-dto'

// Fired alerts, newest first, in alerts.json beside the database (in memory for ':memory:').
// The list is short by nature and capped, so a JSON file is enough.

const MAX_KEPT = 1000
const memory = new Map<string, AlertRecord[]>()
const pathFor = (dbPath: string) => (dbPath === ':memory:' || dbPath === '' ? null : join(dirname(dbPath), 'alerts.json'))

export function readAlerts(dbPath: string): AlertRecord[] {
  const path = pathFor(dbPath)
  if (path === null) return [...(memory.get(dbPath) ?? [])]
  if (!existsSync(path)) return []
  try {
    return z.array(AlertRecord).parse(JSON.parse(readFileSync(path, 'utf8')))
  } catch {
    // A damaged history is not worth failing over: the alerts themselves were delivered.
    return []
  }
}

export function appendAlerts(dbPath: string, fired: AlertRecord[]): void {
  if (fired.length === 0) return
  const all = [...fired, ...readAlerts(dbPath)].slice(0, MAX_KEPT)
  const path = pathFor(dbPath)
  if (path === null) {
    memory.set(dbPath, all)
    return
  }
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(all, null, 1) + '\n', { mode: 0o600 })
  renameSync(tmp, path)
}
