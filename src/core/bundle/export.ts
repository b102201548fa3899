import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { Database } from 'better-sqlite3'
import { BUNDLE_EXTENSION, type BundleManifest } from '../../shared/routes/bundle'
import { CoreError } from '../../shared/result'
import { resolveRunId } from '../queries/runs'
import { ALIAS, BUNDLE_APPLICATION_ID, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleChecksum, CONTENT_TABLES, MANIFEST_DDL, q, runTables } from './format'

export interface ExportOptions {
  runRefs: string[]
  out: string
  includeContent?: boolean
  overwrite?: boolean
  appVersion: string
  schemaVersion: number
}

/**
 * Writes the given runs into a new bundle file. The file is built beside the target and renamed
 * into place, so a failed export never leaves a half-written bundle under the chosen name.
 * Must run on the write connection, outside any transaction (ATTACH is refused inside one).
 */
export function exportBundle(db: Database, o: ExportOptions): { path: string; bytes: number; manifest: BundleManifest } {
  const out = resolve(o.out)
  // The local host can be asked to write files: limit that to bundles, never e.g. a dotfile.
  if (!out.endsWith(BUNDLE_EXTENSION)) throw new CoreError('bad_request', `a bundle file name must end in ${BUNDLE_EXTENSION}: ${o.out}`)
  if (existsSync(out) && !o.overwrite) throw new CoreError('conflict', `${o.out} exists; choose another name or overwrite it`)
  if (!existsSync(dirname(out))) throw new CoreError('not_found', `no such folder: ${dirname(out)}`)
  const runIds = [...new Set(o.runRefs.map((ref) => resolveRunId(db, ref)))]
  const includeContent = o.includeContent === true
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`)

  db.prepare(`ATTACH DATABASE ? AS ${ALIAS}`).run(tmp)
  let manifest: BundleManifest
  try {
    db.pragma(`${ALIAS}.application_id = ${BUNDLE_APPLICATION_ID}`)
    db.pragma(`${ALIAS}.user_version = ${BUNDLE_FORMAT_VERSION}`)
    manifest = db.transaction(() => {
      const ids = JSON.stringify(runIds)
      for (const table of runTables(db, 'main')) {
        if (CONTENT_TABLES.has(table) && !includeContent) continue
        const key = table === 'runs' ? 'id' : 'run_id'
        db.exec(`CREATE TABLE ${ALIAS}.${q(table)} AS SELECT * FROM main.${q(table)} WHERE 0`)
        db.prepare(`INSERT INTO ${ALIAS}.${q(table)} SELECT * FROM main.${q(table)} WHERE ${key} IN (SELECT value FROM json_each(?))`).run(ids)
      }
      // Without their text, the runs must not claim a content policy whose text is missing.
      if (!includeContent) db.exec(`UPDATE ${ALIAS}.runs SET content_policy = 'none'`)
      const m: BundleManifest = {
        formatVersion: BUNDLE_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        appVersion: o.appVersion,
        schemaVersion: o.schemaVersion,
        runIds,
        includesContent: includeContent,
        checksum: bundleChecksum(db, ALIAS, runIds),
      }
      db.exec(MANIFEST_DDL)
      db.prepare(`INSERT INTO ${ALIAS}.manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        BUNDLE_FORMAT, m.formatVersion, m.createdAt, m.appVersion, m.schemaVersion, JSON.stringify(m.runIds), m.includesContent ? 1 : 0, m.checksum,
      )
      return m
    })()
  } catch (e) {
    db.exec(`DETACH DATABASE ${ALIAS}`)
    rmSync(tmp, { force: true })
    throw e
  }
  db.exec(`DETACH DATABASE ${ALIAS}`)
  renameSync(tmp, out)
  return { path: out, bytes: statSync(out).size, manifest }
}
