import { hostname, userInfo } from 'node:os'
import type { Database } from 'better-sqlite3'
import type { AnonymizeOptions, Pseudonymizer } from './anonymize'

// A run's stored rows rewritten for leaving the machine: every table of the run is copied into
// another database (an in-memory store the reports, exports and bundles then read as usual),
// with names and ids replaced by pseudonyms and free text through Pseudonymizer.text. Numbers,
// times, kinds, statuses, models and agent types are copied as they are, so everything computed
// from the copy (analysis, totals, percentiles) equals what the original gives.

export interface CopyOptions extends AnonymizeOptions {
  /** Copy the stored prompt/response text too (redacted on the way: a `full` run leaves as `redacted`). */
  content?: boolean
  /** Only the run's row and tags: enough to list it; its spans follow when it is asked about. */
  summaryOnly?: boolean
}

/**
 * What a string under an attribute or label key is: a pseudonym of that kind, `id` for an opaque
 * id (request, trace and task ids), `span` for a reference to a span, or free text otherwise.
 */
const KEY_KINDS: [RegExp, string][] = [
  [/^(span[._]?id|parent[._]?span[._]?id)$/i, 'span'],
  [/^(session|session[._]?id)$/i, 'session'],
  [/^(swarm|swarm[._]?id|hive[._]?id)$/i, 'swarm'],
  [/^(project|project[._]?name)$/i, 'project'],
  [/^(host|hostname|host[._](name|id)|service\.instance\.id|machine)$/i, 'host'],
  [/^(agent|worker|agent[._]?(id|name)|gen_ai\.agent\.(id|name)|parent[._]?agent[._]?id)$/i, 'agent'],
  [/^(run[._]?id)$/i, 'run'],
  [/^(user|username|email|user[._](id|name|email|account[._]?uuid)|organization[._]?id)$/i, 'user'],
  [/(^|[._])(id|uuid)$|[a-z]Id$/, 'id'],
]
export const kindOfKey = (key: string): string | undefined => KEY_KINDS.find(([re]) => re.test(key))?.[1]

/** Columns that hold fixed vocabulary (kinds, statuses, models, units), never names: copied as they are. */
const KEEP: Record<string, ReadonlySet<string>> = {
  runs: new Set(['source', 'format', 'content_policy', 'unpriced_models']),
  spans: new Set(['kind', 'status', 'model']),
  agents: new Set(['type']),
  events: new Set(['severity']),
  metric_samples: new Set(['unit']),
  span_content: new Set(['part', 'policy']),
}

type Row = Record<string, unknown>
const parse = (s: unknown): unknown => (typeof s === 'string' && s ? JSON.parse(s) : {})

/** The machine's own host and user names: looked for in every text of an export, whatever the source. */
export function primeMachine(p: Pseudonymizer): void {
  try {
    p.host(hostname())
  } catch {
    // no host name: nothing to hide
  }
  try {
    p.pseudonym('user', userInfo().username)
  } catch {
    // no user entry (some containers): likewise
  }
}

/**
 * Registers everything that names a run — id, name, group, tags, session, project, host and its
 * agents — before any text is rewritten, so a name found in an error message or a path is
 * replaced even if the row that names it comes later.
 */
export function primeRun(src: Database, runId: string, p: Pseudonymizer, opts: AnonymizeOptions): void {
  const run = src.prepare('SELECT id, name, group_name, attrs FROM runs WHERE id = ?').get(runId) as Row
  const id = p.run(runId)
  p.alias(String(run.name), id)
  if (run.group_name !== null && !opts.keepGroups) p.group(String(run.group_name))
  if (!opts.keepTags) for (const t of src.prepare('SELECT key, value FROM run_tags WHERE run_id = ?').all(runId) as Row[]) p.tag(`${String(t.key)}=${String(t.value)}`)
  primeAttrs(parse(run.attrs), undefined, p)
  for (const a of src.prepare('SELECT id, name, attrs FROM agents WHERE run_id = ?').all(runId) as Row[]) {
    p.agent(String(a.id))
    if (a.name) p.agent(String(a.name))
    primeAttrs(parse(a.attrs), undefined, p)
  }
}

function primeAttrs(v: unknown, kind: string | undefined, p: Pseudonymizer): void {
  if (typeof v === 'string' && kind && kind !== 'id' && kind !== 'span') p.pseudonym(kind, v)
  else if (Array.isArray(v)) v.forEach((x) => primeAttrs(x, kind, p))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) primeAttrs(x, kindOfKey(k) ?? kind, p)
}

/** Span and event ids renumbered in their stored order (so ties sort as before), zero-padded. */
function renumber(src: Database, table: 'spans' | 'events', runId: string, prefix: string): Map<string, string> {
  const ids = src.prepare(`SELECT id FROM ${table} WHERE run_id = ? ORDER BY id`).pluck().all(runId) as string[]
  const width = Math.max(6, String(ids.length).length)
  return new Map(ids.map((id, i) => [id, `${prefix}${String(i + 1).padStart(width, '0')}`]))
}

/** Copies one run, rewritten, into `dest` (a store with the same schema); returns its new id. Call primeRun for every run of the export first. */
export function copyRunAnonymized(src: Database, dest: Database, runId: string, p: Pseudonymizer, opts: CopyOptions = {}): string {
  const id = p.run(runId)
  const spans = opts.summaryOnly ? new Map<string, string>() : renumber(src, 'spans', runId, 's')
  const events = opts.summaryOnly ? new Map<string, string>() : renumber(src, 'events', runId, 'e')
  const ref = (v: unknown) => (typeof v === 'string' ? (spans.get(v) ?? events.get(v) ?? p.opaque('id', v)) : v)
  const agent = (v: unknown) => (typeof v === 'string' ? p.agent(v) : v)

  const attrs = (v: unknown, kind?: string): unknown => {
    if (typeof v === 'string') {
      if (!kind) return p.text(v)
      if (kind === 'span') return ref(v)
      return kind === 'id' ? p.opaque('id', v) : p.pseudonym(kind, v)
    }
    if (Array.isArray(v)) return v.map((x) => attrs(x, kind))
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, attrs(x, kindOfKey(k) ?? kind)]))
    return v
  }
  const json = (v: unknown) => JSON.stringify(attrs(parse(v)))

  /** Every column copied; strings the table does not keep as vocabulary go through text() unless given. */
  const put = (table: string, row: Row, given: Row) => {
    const keep = KEEP[table] ?? new Set<string>()
    const out: Row = {}
    for (const [k, v] of Object.entries(row)) out[k] = k in given ? given[k] : typeof v === 'string' && !keep.has(k) ? p.text(v) : v
    const cols = Object.keys(out)
    dest.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => out[c]))
  }
  const rows = (sql: string) => src.prepare(sql).all(runId) as Row[]

  dest.transaction(() => {
    const run = src.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row
    const policy = opts.content && run.content_policy === 'full' ? 'redacted' : run.content_policy
    put('runs', run, { id, name: id, group_name: run.group_name === null || opts.keepGroups ? run.group_name : p.group(String(run.group_name)), attrs: json(run.attrs), content_policy: policy })
    for (const t of rows('SELECT * FROM run_tags WHERE run_id = ?')) {
      put('run_tags', t, { run_id: id, key: t.key, value: opts.keepTags ? t.value : p.tag(`${String(t.key)}=${String(t.value)}`) })
    }
    if (opts.summaryOnly) return
    for (const a of rows('SELECT * FROM agents WHERE run_id = ?')) {
      put('agents', a, { run_id: id, id: agent(a.id), name: agent(a.name), parent_agent_id: agent(a.parent_agent_id), parent_span_id: ref(a.parent_span_id), attrs: json(a.attrs) })
    }
    for (const s of rows('SELECT * FROM spans WHERE run_id = ?')) {
      // An LLM call is named after its model: a model name is vocabulary, not a name to hide.
      const name = s.kind === 'llm' && s.name === s.model ? s.name : p.text(String(s.name))
      put('spans', s, { run_id: id, id: ref(s.id), parent_id: ref(s.parent_id), agent_id: agent(s.agent_id), name, attrs: json(s.attrs) })
    }
    for (const e of rows('SELECT * FROM events WHERE run_id = ?')) put('events', e, { run_id: id, id: ref(e.id), agent_id: agent(e.agent_id), attrs: json(e.attrs) })
    for (const m of rows('SELECT * FROM metric_samples WHERE run_id = ?')) put('metric_samples', m, { run_id: id, labels: json(m.labels) })
    if (opts.content) {
      for (const c of rows('SELECT * FROM span_content WHERE run_id = ?')) {
        put('span_content', c, { run_id: id, span_id: ref(c.span_id), seq: c.seq === '' ? '' : p.opaque('seq', String(c.seq)), policy: 'redacted' })
      }
    }
  })()
  return id
}
