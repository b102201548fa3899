import type { AnonymizeRequest } from '../../shared/anonymize'
import { resolveRunId } from '../queries/runs'
import { openStore, type Store } from '../store/open'
import { Pseudonymizer } from './anonymize'
import { copyRunAnonymized, primeMachine, primeRun } from './anonymize-rows'
import { userRedactionRules } from './user-rules'

// What every anonymized output reads: an in-memory store holding the chosen runs rewritten
// (src/core/privacy/anonymize-rows.ts). Reports, exports and bundles run their usual code on
// it, so nothing that leaves the machine is built from the original names, and no output has
// its own list of fields to anonymize that could fall behind the data.

export interface AnonymizedView {
  /** The anonymized copy: the runs under their pseudonymous ids. */
  store: Store
  pseudonymizer: Pseudonymizer
  /** A reference the user typed (an id, `latest`, `group:NAME`) as it reads in the copy. */
  ref(ref: string): string
  /** A report target (a ref, or `baseline..candidate[,candidate…]`) as it reads in the copy. */
  target(target: string): string
  close(): void
}

/** A Pseudonymizer for one export: the given or a random salt, the user's redaction rules, this machine's names known. */
export function pseudonymizerFor(src: Store, req: AnonymizeRequest): Pseudonymizer {
  const p = new Pseudonymizer(req.salt, { redactRules: userRedactionRules(src.path) })
  primeMachine(p)
  return p
}

/** Copies `runIds` (already resolved ids) of `src` into a new in-memory store, anonymized. */
export function openAnonymizedView(src: Store, runIds: readonly string[], req: AnonymizeRequest, opts: { content?: boolean } = {}): AnonymizedView {
  const p = pseudonymizerFor(src, req)
  // Every name first, then the rows: a name must be known before the first text that mentions it.
  for (const id of runIds) primeRun(src.read, id, p, req)
  const store = openStore({ path: ':memory:', nativeBinding: src.nativeBinding })
  try {
    for (const id of runIds) copyRunAnonymized(src.read, store.write, id, p, { ...req, content: opts.content })
  } catch (e) {
    store.close()
    throw e
  }
  const ref = (r: string) => {
    const t = r.trim()
    if (t.startsWith('group:')) return req.keepGroups ? t : `group:${p.group(t.slice('group:'.length))}`
    return p.run(resolveRunId(src.read, t))
  }
  return {
    store,
    pseudonymizer: p,
    ref,
    target(target) {
      if (!target.includes('..')) return ref(target)
      const [baseline, candidates = ''] = target.split('..')
      return `${ref(baseline)}..${candidates.split(',').map((c) => c.trim()).filter(Boolean).map(ref).join(',')}`
    },
    close: () => store.close(),
  }
}

/** Runs `work` on an anonymized copy of `runIds` and always closes the copy. */
export async function withAnonymizedView<T>(src: Store, runIds: readonly string[], req: AnonymizeRequest, opts: { content?: boolean }, work: (view: AnonymizedView) => T | Promise<T>): Promise<T> {
  const view = openAnonymizedView(src, runIds, req, opts)
  try {
    return await work(view)
  } finally {
    view.close()
  }
}
