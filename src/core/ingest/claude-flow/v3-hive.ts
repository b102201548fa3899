import { createHash } from 'node:crypto'
import { EntryError, Fields, rejectEntry, show, type Path } from './checks'
import { isObj, safeAttrs, textBytes, type JsonCtx } from './project'

// The v3 hive-mind and router files: lists of timed items, each its own entry.

/** Each object of a list as Fields at its path; anything else in the list is listed as skipped. */
function items(ctx: JsonCtx, list: unknown[], at: Path, what: string): Fields[] {
  return list.flatMap((v, i) => {
    if (isObj(v)) return [new Fields(v, [...at, i])]
    rejectEntry(ctx, [{ at: [...at, i], message: `expected ${what}, got ${show(v)}` }])
    return []
  })
}

/** The first of `keys` that holds anything is the item's time; one that is not a time is reported, not passed over. */
function timeOf(f: Fields, keys: string[]): number | null {
  const key = keys.find((k) => f.o[k] !== undefined && f.o[k] !== null && f.o[k] !== '')
  const ts = key ? f.time(key) : null
  if (!key) f.problem(keys[0], `missing (no ${keys.join(', ')})`)
  return ts
}

/** `hive-mind/state.json`: queen, workers, broadcasts and consensus history. The hiveToken is a secret: never read. */
export function hiveState(ctx: JsonCtx, json: unknown): void {
  if (!isObj(json)) throw new EntryError(`hive-mind/state.json: expected a JSON object, got ${show(json)}`, [])
  const f = new Fields(json)
  const queenF = f.obj('queen')
  const queen = queenF?.text('agentId') ?? null
  const term = queenF?.count('term') ?? null
  const workers = f.strings('workers')
  const created = f.time('createdAt')
  const updated = f.time('updatedAt')
  f.order('createdAt', 'updatedAt', created, updated)
  const [topology, consensusStrategy] = [f.text('topology'), f.text('consensusStrategy')]
  const shared = f.obj('sharedMemory')
  const broadcasts = shared?.list('broadcasts') ?? []
  const consensus = f.obj('consensus')
  const history = consensus?.list('history') ?? []
  // The hive itself (queen, workers, its span) is one entry; each broadcast and decision is its own.
  if (!f.ok) rejectEntry(ctx, f.problems)
  else {
    if (queen) ctx.sink.agent({ runId: ctx.runId, id: queen, name: 'queen', type: 'queen', attrs: { term } })
    for (const w of workers) if (w) ctx.sink.agent({ runId: ctx.runId, id: w, type: 'worker', parentAgentId: queen })
    if (created !== null) {
      ctx.sink.span({
        runId: ctx.runId, id: `hive:${created}`, agentId: queen, kind: 'other', name: `hive-mind ${topology ?? ''}`.trim(),
        startMs: created, endMs: updated ?? created, status: 'unset', attrs: { topology, consensusStrategy, workers: workers.length },
      })
    }
  }
  for (const b of items(ctx, broadcasts, ['sharedMemory', 'broadcasts'], 'a broadcast object')) {
    const ts = timeOf(b, ['timestamp'])
    const [messageId, fromId, priority, message] = [b.text('messageId'), b.text('fromId'), b.text('priority'), b.text('message')]
    if (ts === null || !b.ok) {
      rejectEntry(ctx, b.problems)
      continue
    }
    ctx.sink.event({ runId: ctx.runId, id: `broadcast:${messageId ?? ts}`, ts, name: 'hive.broadcast', agentId: fromId, attrs: { priority, messageBytes: textBytes(message) } })
  }
  items(ctx, history, ['consensus', 'history'], 'a decision object').forEach((d, i) => {
    const ts = timeOf(d, ['decidedAt', 'resolvedAt', 'timestamp', 'createdAt'])
    const id = d.text('proposalId') ?? d.text('id')
    if (ts === null || !d.ok) return rejectEntry(ctx, d.problems)
    ctx.sink.event({ runId: ctx.runId, id: `consensus:${id ?? `${ts}:${i}`}`, ts, name: 'hive.consensus', attrs: safeAttrs(d.o) })
  })
}

/** `routing-outcomes.json`: which agent type a task was routed to and how it went. */
export function routingOutcomes(ctx: JsonCtx, json: unknown): void {
  const outcomes = isObj(json) && Array.isArray(json.outcomes) ? json.outcomes : null
  if (!outcomes) throw new EntryError('routing-outcomes.json: no "outcomes" array', ['outcomes'])
  for (const o of items(ctx, outcomes, ['outcomes'], 'an outcome object')) {
    const ts = timeOf(o, ['timestamp'])
    const [agentName, success, quality, task] = [o.text('agent'), o.bool('success'), o.number('quality'), o.text('task')]
    if (ts === null || !o.ok) {
      rejectEntry(ctx, o.problems)
      continue
    }
    const agent = agentName ?? 'unknown'
    // The task text is user content: the id hashes it so two outcomes at one instant stay apart.
    const id = createHash('sha1').update(`${ts}|${agent}|${String(o.o.task)}`).digest('hex').slice(0, 16)
    ctx.sink.event({
      runId: ctx.runId, id: `routing:${id}`, ts, name: 'routing.outcome', severity: success === false ? 'warning' : null,
      attrs: { agent, success, quality, taskBytes: textBytes(task) },
    })
    // The quality score is claude-flow's self-assessment (a hook flag or its default), not a measurement.
    if (quality !== null) ctx.sink.metric({ runId: ctx.runId, name: 'claude_flow.routing.quality', ts, value: quality, labels: { agent }, reported: true })
  }
}
