import type { Database } from 'better-sqlite3'
import { CoreError } from '../../shared/result'
import { expandRef } from '../handlers/analysis'
import { resolveRunId } from '../queries/runs'

// What a report is about, from the target the user typed: `latest` or a run id, `group:NAME`,
// or `baseline..candidate[,candidate…]` where each side is a run or a group.

export type Scope =
  | { kind: 'run'; target: string; runId: string }
  | { kind: 'group'; target: string; group: string; runIds: string[] }
  | { kind: 'comparison'; target: string; baseline: string; candidates: string[]; runIds: string[] }

export function parseScope(db: Database, target: string): Scope {
  const t = target.trim()
  if (t.includes('..')) {
    const [baseline, rest, extra] = t.split('..')
    const candidates = (rest ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    if (extra !== undefined || !baseline.trim() || candidates.length === 0) {
      throw new CoreError('bad_request', `"${target}" is not a comparison: write baseline..candidate (e.g. group:before..group:after or run1..run2,run3)`)
    }
    if (candidates.length > 8) throw new CoreError('bad_request', 'at most 8 candidates can be compared with one baseline')
    const refs = [baseline.trim(), ...candidates]
    const runIds = [...new Set(refs.flatMap((r) => expandRef(db, r).flat()))]
    return { kind: 'comparison', target: t, baseline: baseline.trim(), candidates, runIds }
  }
  if (t.startsWith('group:')) {
    const runIds = expandRef(db, t).flat()
    return { kind: 'group', target: t, group: t.slice('group:'.length), runIds }
  }
  return { kind: 'run', target: t, runId: resolveRunId(db, t) }
}

export const scopeRunIds = (s: Scope): string[] => (s.kind === 'run' ? [s.runId] : s.runIds)
