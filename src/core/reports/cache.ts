import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { RenderResult } from '../../shared/routes/reports'
import { VERSION } from '../../shared/version'
import { ANALYSIS_VERSION, REPORT_BUILDER_VERSION } from './version'

// Rendered reports, keyed by everything they read: each run's stored row (its updated_at and
// every summary figure), its tags, the analysis and builder versions, the template's content and
// the format. Changed data gives a new key, so a stale report can never be served; the slot
// (target + template + format) keeps only its newest rendering, and deleting a run drops the
// reports that read it (migration 0003).

export interface CacheKeyParts {
  slot: string
  runIds: string[]
  templateFingerprint: string
  options: unknown
}

export function cacheKey(db: Database, p: CacheKeyParts): string {
  const rows = db
    .prepare(
      `SELECT r.*, (SELECT json_group_object(key, value) FROM run_tags t WHERE t.run_id = r.id) AS tags
       FROM runs r WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id`,
    )
    .all(JSON.stringify(p.runIds))
  return createHash('sha256')
    .update(JSON.stringify([VERSION, ANALYSIS_VERSION, REPORT_BUILDER_VERSION, p.slot, p.runIds, rows, p.templateFingerprint, p.options]))
    .digest('hex')
}

export function cacheGet(db: Database, key: string): RenderResult | null {
  const row = db.prepare('SELECT result FROM report_cache WHERE key = ?').get(key) as { result: Buffer } | undefined
  return row ? { ...(JSON.parse(row.result.toString('utf8')) as RenderResult), cached: true } : null
}

export function cachePut(db: Database, key: string, slot: string, runIds: string[], result: RenderResult): void {
  db.transaction(() => {
    db.prepare('DELETE FROM report_cache WHERE slot = ?').run(slot)
    db.prepare('INSERT OR REPLACE INTO report_cache (key, slot, created_at, result) VALUES (?, ?, ?, ?)').run(key, slot, Date.now(), Buffer.from(JSON.stringify({ ...result, cached: false })))
    const link = db.prepare('INSERT OR IGNORE INTO report_cache_runs (key, run_id) VALUES (?, ?)')
    for (const id of runIds) link.run(key, id)
  })()
}
