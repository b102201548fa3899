import type { Database } from 'better-sqlite3'

/**
 * `--group` and `--tag` name the runs an import adds to the store. A run stored before keeps
 * its group and tags, even when a file of it grew: re-importing a project folder as `candidate`
 * must not move yesterday's `baseline` runs out of their group (`runs group` and `runs tag`
 * change a stored run on purpose). Returns the runs left as they were.
 */
export function groupNewRuns(db: Database, rowidBefore: number, runIds: string[], group?: string, tags?: Record<string, string>): string[] {
  const tagList = Object.entries(tags ?? {})
  if (group === undefined && tagList.length === 0) return []
  const isNew = db.prepare('SELECT rowid > ? FROM runs WHERE id = ?').pluck()
  const setGroup = db.prepare('UPDATE runs SET group_name = ? WHERE id = ?')
  const put = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value')
  const kept: string[] = []
  for (const id of runIds) {
    if (isNew.get(rowidBefore, id) !== 1) {
      kept.push(id)
      continue
    }
    if (group !== undefined) setGroup.run(group, id)
    for (const [k, v] of tagList) put.run(id, k, v)
  }
  return kept
}
