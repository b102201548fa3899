import { createHash } from 'node:crypto'
import { basename, resolve, sep } from 'node:path'
import { gunzipSync, inflateSync } from 'node:zlib'
import { isObj, type RecordSink } from '../records'
import type { Path } from './checks'
import { uploadPlace } from '../upload-place'

/** The folders claude-flow writes into a project; the folder holding them is the project root. */
export const LAYOUT_DIRS = new Set(['.claude-flow', '.swarm', '.hive-mind'])

export interface Project {
  root: string
  runId: string
  /** The file's path below the root, with '/' separators: `.claude-flow/metrics/performance.json`. */
  rel: string
}

/**
 * Places a file in its claude-flow project. The importer hands us one file at a time, so every
 * file of a project must derive the same run id on its own: it is a hash of the project root
 * (the folder holding `.claude-flow`/`.swarm`/`.hive-mind`), not of anything inside the files.
 */
export function projectOf(path: string): Project | null {
  const parts = resolve(path).split(sep)
  for (let i = parts.length - 2; i >= 0; i--) {
    if (LAYOUT_DIRS.has(parts[i])) return projectAt(parts.slice(0, i).join(sep) || sep, parts.slice(i).join('/'))
  }
  return null
}

export function projectAt(root: string, rel: string): Project {
  // A project folder dropped in a browser is known by its name there (upload-place.ts); layout
  // folders dropped on their own have no project folder, and stay one run per drop.
  const place = uploadPlace(root)
  const key = place ? `upload:${place}` : root
  return { root, runId: `cf-${createHash('sha1').update(key).digest('hex').slice(0, 16)}`, rel }
}

function runRecord(p: Project) {
  const place = uploadPlace(p.root)
  // Never the scratch folder of an upload: it is gone once the import ends, and names nothing.
  const project = place === null ? basename(p.root) || p.root : place ? basename(place) : 'dropped files'
  const projectRoot = place === null ? p.root : place ? `(dropped) ${place}` : '(dropped)'
  return { id: p.runId, source: 'claude-flow', format: 'claude-flow', name: `${project} · claude-flow`, attrs: { project, projectRoot } }
}

/**
 * A sink that writes the project's run just before the first record that needs it, so a file
 * that turns out to hold nothing usable leaves no empty run behind.
 */
export function projectSink(sink: RecordSink, p: Project): RecordSink {
  let ready = false
  const ensure = () => {
    if (!ready) sink.run(runRecord(p))
    ready = true
  }
  return {
    run: (r) => sink.run(r),
    agent: (a) => (ensure(), sink.agent(a)),
    span: (s) => (ensure(), sink.span(s)),
    endSpan: (e) => (ensure(), sink.endSpan(e)),
    event: (e) => (ensure(), sink.event(e)),
    metric: (m) => (ensure(), sink.metric(m)),
    moveAgent: (m) => (ensure(), sink.moveAgent(m)),
  }
}

const SQLITE_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/

/**
 * claude-flow writes times as ISO strings, epoch ms, epoch seconds (v2 memory.db) and SQLite
 * DATETIME text (CURRENT_TIMESTAMP, which is UTC). Anything else is "no time", never a guess.
 */
export function toMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (v >= 1e11 && v < 1e14) return Math.round(v)
    if (v >= 1e8 && v < 1e11) return Math.round(v * 1000)
    return null
  }
  if (typeof v !== 'string' || v === '') return null
  const ms = Date.parse(SQLITE_DATETIME.test(v) ? `${v.replace(' ', 'T')}Z` : v)
  return Number.isNaN(ms) ? null : ms
}

const COMPRESSED = '__compressed__'

/**
 * Reads a stored value: JSON text, sometimes JSON inside a JSON string (the MCP server
 * stringifies before the store does), or hive-mind's `__compressed__` + base64 form.
 */
export function decodeValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return null
  if (typeof v !== 'string') return v
  let text = v
  if (text.startsWith(COMPRESSED)) {
    const raw = Buffer.from(text.slice(COMPRESSED.length), 'base64')
    try {
      // Plain base64 in the versions we have seen; zlib/gzip handled in case a version compresses for real.
      text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw[0] === 0x78 ? inflateSync(raw) : raw).toString('utf8')
    } catch {
      return null
    }
  }
  try {
    const once = JSON.parse(text) as unknown
    return typeof once === 'string' && /^\s*[[{]/.test(once) ? JSON.parse(once) : once
  } catch {
    return text
  }
}

export { isObj } from '../records'
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

// Keys that hold times, process ids or versions: numbers, but not measurements.
const NOT_A_METRIC = /(At|[tT]imestamp|[pP]id|pids)$|^(startTime|lastActivity|lastCheck|initialized|version)$/

/** Numeric leaves of a JSON object as [dotted.path, value]; arrays, strings and booleans are not metrics. */
export function numericLeaves(o: Record<string, unknown>, prefix = '', depth = 0): [string, number][] {
  const out: [string, number][] = []
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('_') || NOT_A_METRIC.test(k)) continue
    const path = prefix ? `${prefix}.${k}` : k
    if (num(v) !== null) out.push([path, v as number])
    else if (isObj(v) && depth < 4) out.push(...numericLeaves(v, path, depth + 1))
  }
  return out
}

export function unitOf(path: string): string | null {
  if (/(Ms|_ms|DurationMs)$/.test(path)) return 'ms'
  if (/(Percent|Percentage)$/.test(path)) return '%'
  return null
}

// Free text a user or model wrote (objectives, prompts, task descriptions): never stored, only sized.
const FREE_TEXT = new Set(['objective', 'description', 'message', 'task', 'prompt', 'content', 'output', 'result', 'input', 'text', 'value', 'query', 'hiveToken', 'token'])

/** Scalar, short, non-free-text fields of `o`: safe to keep as attributes. */
export function safeAttrs(o: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!isObj(o)) return out
  for (const [k, v] of Object.entries(o)) {
    if (FREE_TEXT.has(k)) {
      if (typeof v === 'string') out[`${k}Bytes`] = Buffer.byteLength(v)
      continue
    }
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 80)) out[k] = v
  }
  return out
}

export const textBytes = (v: unknown): number | null => (typeof v === 'string' ? Buffer.byteLength(v) : null)

/** What a handler for one claude-flow JSON file gets. */
export interface JsonCtx {
  sink: RecordSink
  runId: string
  /** The file name without `.json`: it names the metrics the file holds. */
  stem: string
  /** The file's mtime: the time of last resort for a snapshot that carries none. */
  fileMs: number
  /** Reports one bad entry of the file (`at`: where its bad values are; the first in the file gives the line); the rest still imports. */
  skip(reason: string, at?: Path[]): void
}
export type JsonHandler = (ctx: JsonCtx, json: unknown) => void
