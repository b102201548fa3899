import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../shared/contract'
import { routes } from '../shared/contract'
import { CoreError, fail, ok, type Result } from '../shared/result'
import { analysisHandlers, compareHandlers } from './handlers/analysis'
import { bundleHandlers } from './handlers/bundle'
import { importHandlers } from './handlers/imports'
import { runsHandlers, systemHandlers } from './handlers/runs'
import { spansHandlers } from './handlers/spans'
import type { AllHandlers, CoreContext } from './handlers/types'
import { alertHandlers } from './handlers/alerts'
import { configHandlers } from './handlers/config'
import { exportHandlers } from './handlers/export'
import { pricingHandlers } from './handlers/pricing'
import { insightsHandlers, runDataHandlers } from './handlers/run-data'
import { sourceHandlers } from './handlers/sources'
import { liveHandlers } from './handlers/live'
import { reportsHandlers } from './handlers/reports'
import { LiveHub } from './live/hub'
import { setClaudeFlowSqliteBinding } from './ingest/claude-flow/sqlite'
import { openStore, type Store, type StoreOptions } from './store/open'
import { repricePending } from './pricing/reprice-pending'
import { untilWritable } from './store/write-lock'
import { WriteQueue } from './write-queue'
import { watchExternalWrites } from './external-writes'
import { checkpointWhenIdle } from './store/idle-checkpoint'
import { explainStoreError, releaseSpaceAfter } from './store/store-errors'


export interface Core {
  /** Validates the input against the contract, runs the handler, and never throws. */
  call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutput<R>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  readonly dbPath: string
  /** The better-sqlite3 build the store was opened with (Electron's own): another store on the same file needs it too. */
  readonly nativeBinding?: string
  /** Live collection: sources register here and their records reach the store (see src/core/live). */
  readonly live: LiveHub
  close(): void
}

/**
 * The engine behind every shell. Electron's main process, the local host and the CLI each
 * create one and connect a transport to `call` and `on`.
 */
export function createCore(opts: StoreOptions): Core {
  const store = openStore(opts)
  // Costs an upgrade marked as priced under an older rule (migration 0007) are repriced once.
  repricePending(store)
  // The claude-flow importer opens users' databases with the same native build as the store.
  setClaudeFlowSqliteBinding(opts.nativeBinding)
  return createCoreOnStore(store)
}

/** The same engine on a store opened elsewhere (an anonymized in-memory copy, see src/core/privacy/mirror.ts). */
export function createCoreOnStore(store: Store): Core {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload)
  }
  const writes = new WriteQueue(
    () => untilWritable(store.write, { onWait: (ms) => emit('store.waiting', { waitedMs: Math.round(ms) }) }),
    (e) => releaseSpaceAfter(store.write, e),
  )

  const ctx: CoreContext = { store, writes, emit }
  const live = new LiveHub(ctx)
  // Each domain answers its own routes; a route without a handler does not compile.
  const handlers: AllHandlers = {
    ...systemHandlers(ctx),
    ...runsHandlers(ctx),
    ...importHandlers(ctx),
    ...analysisHandlers(ctx),
    ...compareHandlers(ctx),
    ...configHandlers(ctx),
    ...pricingHandlers(ctx),
    ...exportHandlers(ctx),
    ...runDataHandlers(ctx),
    ...insightsHandlers(ctx),
    ...alertHandlers(ctx),
    ...sourceHandlers(),
    ...bundleHandlers(ctx),
    ...spansHandlers(ctx),
    ...liveHandlers(live),
    ...reportsHandlers(ctx),
  }

  let external: { stop(): void } | null = null
  // A user waiting for an import should not also wait for its WAL pages to be copied back.
  const checkpoints = store.path === ':memory:' ? null : checkpointWhenIdle(store.write)

  return {
    dbPath: store.path,
    nativeBinding: store.nativeBinding,
    live,
    async call(route, input) {
      const def = routes[route]
      if (!def) return fail('not_found', `unknown route ${String(route)}`)
      const parsed = def.input.safeParse(input ?? {})
      if (!parsed.success) return fail('bad_request', `invalid input for ${route}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'input'}: ${x.message}`).join('; ')}`)
      try {
        const handler = handlers[route] as (i: unknown) => unknown
        return ok((await handler(parsed.data)) as RouteOutput<typeof route>)
      } catch (e) {
        if (e instanceof CoreError) return fail(e.code, e.message)
        // The store's own trouble (disk full, read-only, damaged) is said as such, naming it.
        const store = explainStoreError(e, ctx.store.path)
        if (store) return fail(store.code, store.message)
        return fail('internal', (e as Error).message)
      }
    },
    on(event, listener) {
      // Someone shows runs: tell them when another process changes the file too.
      if (event === 'runs.changed' && !external && store.path !== ':memory:') external = watchExternalWrites(store.write, () => emit('runs.changed', { runIds: [] }))
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    },
    close: () => {
      external?.stop()
      checkpoints?.stop()
      live.dispose()
      store.close()
    },
  }
}
