import type { AnonymizeRequest } from '../../shared/anonymize'
import type { RouteName } from '../../shared/contract'
import { fail } from '../../shared/result'
import { createCoreOnStore, type Core } from '../core'
import { expandRef } from '../handlers/analysis'
import { openStore, type Store } from '../store/open'
import { copyRunAnonymized, primeRun } from './anonymize-rows'
import { pseudonymizerFor } from './anonymized-view'

// An anonymized view of a whole database for a long-lived reader (`swarmscope mcp --anonymize`):
// every answer comes from an in-memory copy whose names are pseudonyms under one salt for the
// session, so an agent can list runs, then ask about `run-3f9a` and get the same pseudonyms in
// every answer. The copy follows the database: each call first brings changed run rows over
// (cheap: the run row and its tags), and a run's spans are copied only when a call reads it.

/** The read-only routes an anonymized view answers; anything else would reach past the copy. */
const ROUTES = new Set<RouteName>(['runs.list', 'runs.get', 'runs.overview', 'analysis.run', 'compare.runs', 'insights.run', 'pricing.get'])
/** Runs kept whole in memory at once; older ones go back to their summary row. */
const MAX_FULL_RUNS = 12

type Caller = Pick<Core, 'call'>

interface Mirrored {
  pseudonym: string
  fingerprint: string
  full: boolean
  usedAt: number
}

export interface AnonymizedCore extends Caller {
  close(): void
}

/** A view of the database `real` reads, answering through pseudonyms. Prices come from `real` (the user's overrides apply). */
export function createAnonymizedCore(real: Core, req: AnonymizeRequest, opts: { nativeBinding?: string } = {}): AnonymizedCore {
  const src: Store = openStore({ path: real.dbPath, nativeBinding: opts.nativeBinding })
  const copy = openStore({ path: ':memory:', nativeBinding: opts.nativeBinding })
  const inner = createCoreOnStore(copy)
  const p = pseudonymizerFor(src, req)
  const runs = new Map<string, Mirrored>()
  const realOf = new Map<string, string>()
  let clock = 0

  const drop = (id: string) => copy.write.prepare('DELETE FROM runs WHERE id = ?').run(id)
  const place = (realId: string, full: boolean) => {
    const m = runs.get(realId)!
    drop(m.pseudonym)
    copyRunAnonymized(src.read, copy.write, realId, p, { ...req, summaryOnly: !full })
    m.full = full
    m.usedAt = ++clock
  }

  /** Brings new, changed and deleted runs over as summary rows. */
  function sync(): void {
    const rows = src.read
      .prepare(
        `SELECT r.id, json_array(r.updated_at, r.name, r.group_name, r.spans, r.events, r.metric_samples, r.ended_at, r.cost_usd,
           (SELECT json_group_object(key, value) FROM run_tags t WHERE t.run_id = r.id)) AS fingerprint FROM runs r`,
      )
      .all() as { id: string; fingerprint: string }[]
    const seen = new Set(rows.map((r) => r.id))
    for (const [id, m] of runs) {
      if (seen.has(id)) continue
      drop(m.pseudonym)
      runs.delete(id)
      realOf.delete(m.pseudonym)
    }
    const changed = rows.filter((r) => runs.get(r.id)?.fingerprint !== r.fingerprint)
    for (const r of changed) primeRun(src.read, r.id, p, req)
    for (const r of changed) {
      const pseudonym = p.run(r.id)
      runs.set(r.id, { pseudonym, fingerprint: r.fingerprint, full: false, usedAt: 0 })
      realOf.set(pseudonym, r.id)
      place(r.id, false)
    }
  }

  /** Copies whole the runs a call names (ids, latest, group:NAME as they read in the copy). */
  function load(input: unknown): void {
    const i = (input ?? {}) as Record<string, unknown>
    const refs = [i.id, i.baseline, ...(Array.isArray(i.candidates) ? i.candidates : [])].filter((x): x is string => typeof x === 'string')
    const wanted = new Set<string>()
    for (const ref of refs) {
      try {
        for (const id of expandRef(copy.read, ref).flat()) if (realOf.has(id)) wanted.add(realOf.get(id)!)
      } catch {
        // An unknown ref: the route itself answers with the error.
      }
    }
    for (const id of wanted) {
      const m = runs.get(id)!
      if (!m.full) place(id, true)
      else m.usedAt = ++clock
    }
    const full = [...runs.entries()].filter(([id, m]) => m.full && !wanted.has(id)).sort((a, b) => a[1].usedAt - b[1].usedAt)
    const excess = full.length + wanted.size - MAX_FULL_RUNS
    for (const [id] of full.slice(0, Math.max(0, excess))) place(id, false)
  }

  return {
    async call(route, input) {
      if (!ROUTES.has(route)) return fail('bad_request', `${route} is not answered by an anonymized view (it answers ${[...ROUTES].join(', ')})`)
      if (route === 'pricing.get') return real.call(route, input)
      try {
        sync()
        load(input)
      } catch (e) {
        return fail('internal', `cannot read the database for the anonymized view: ${(e as Error).message}`)
      }
      return inner.call(route, input)
    },
    close() {
      inner.close()
      src.close()
    },
  }
}
