import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppConfig, defaultConfig } from '../../shared/config'
import { CoreError } from '../../shared/result'

// config.json lives in the data directory, i.e. beside the database: with --db the settings
// travel with that database, like redaction-rules.json does.

/** The config file of a database; null for ':memory:', whose settings live in memory only. */
export function configPathFor(dbPath: string): string | null {
  return dbPath === ':memory:' || dbPath === '' ? null : join(dirname(dbPath), 'config.json')
}

const memory = new Map<string, AppConfig>()
const cache = new Map<string, { mtimeMs: number; size: number; config: AppConfig }>()

/** The settings of a database: defaults where the file says nothing; a broken file is an error, never silently replaced. */
export function loadConfig(dbPath: string): AppConfig {
  const path = configPathFor(dbPath)
  if (path === null) return structuredClone(memory.get(dbPath) ?? defaultConfig())
  if (!existsSync(path)) return defaultConfig()
  const st = statSync(path)
  const hit = cache.get(path)
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return structuredClone(hit.config)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new CoreError('bad_request', `${path} is not valid JSON (${(e as Error).message}); fix it or run \`swarmscope config reset\``)
  }
  const parsed = AppConfig.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CoreError('bad_request', `${path}: ${issue.path.join('.') || 'config'}: ${issue.message}; fix it or run \`swarmscope config reset\``)
  }
  cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, config: parsed.data })
  return structuredClone(parsed.data)
}

/** Writes the settings atomically (temp file + rename), so a reader never sees half a file. */
export function saveConfig(dbPath: string, config: AppConfig): void {
  const valid = AppConfig.parse(config)
  const path = configPathFor(dbPath)
  if (path === null) {
    memory.set(dbPath, structuredClone(valid))
    return
  }
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, path)
  cache.delete(path)
}
