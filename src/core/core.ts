import { randomUUID } from 'node:crypto'
import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../shared/contract'
import { routes } from '../shared/contract'
import { CoreError, fail, ok, type Result } from '../shared/result'
import { VERSION } from '../shared/version'
import { setClaudeFlowSqliteBinding } from './ingest/claude-flow/sqlite'
import { importPaths } from './ingest/importer'
import { deleteRun, getRun, listRuns, renameRun, runOverview, tagRun } from './queries/runs'
import { openStore, type StoreOptions } from './store/open'
import { WriteQueue } from './write-queue'

type Handlers = { [R in RouteName]: (input: RouteOutputOfInput<R>) => Promise<RouteOutput<R>> | RouteOutput<R> }
/** Handlers receive the input after zod parsing (defaults applied, numbers coerced). */
type RouteOutputOfInput<R extends RouteName> = import('zod').output<(typeof routes)[R]['input']>

export interface Core {
  /** Validates the input against the contract, runs the handler, and never throws. */
  call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutput<R>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  readonly dbPath: string
  close(): void
}

/**
 * The engine behind every shell. Electron's main process, the local host and the CLI each
 * create one and connect a transport to `call` and `on`.
 */
export function createCore(opts: StoreOptions): Core {
  const store = openStore(opts)
  // The claude-flow importer opens users' databases with the same native build as the store.
  setClaudeFlowSqliteBinding(opts.nativeBinding)
  const writes = new WriteQueue()
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const imports = new Map<string, AbortController>()
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload)
  }

  const handlers: Handlers = {
    'system.health': () => ({
      version: VERSION,
      dbPath: store.path,
      schemaVersion: store.schemaVersion,
      runs: (store.read.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n,
    }),
    'runs.list': (i) => listRuns(store.read, i),
    'runs.get': (i) => getRun(store.read, i.id),
    'runs.overview': (i) => runOverview(store.read, i.id, i.maxPoints),
    'runs.rename': (i) => writes.run(() => renameRun(store.write, i.id, i.name)),
    'runs.tag': (i) => writes.run(() => tagRun(store.write, i.id, i.tags, i.group)),
    'runs.delete': async (i) => {
      const deleted = await writes.run(() => deleteRun(store.write, i.id))
      emit('runs.changed', { runIds: [i.id] })
      return { deleted }
    },
    'import.paths': async (i) => {
      const importId = i.importId ?? randomUUID()
      const abort = new AbortController()
      imports.set(importId, abort)
      try {
        const outcome = await writes.run(() =>
          importPaths(store, {
            paths: i.paths,
            group: i.group,
            tags: i.tags,
            signal: abort.signal,
            onProgress: (p) => emit('import.progress', { importId, ...p }),
          }),
        )
        emit('runs.changed', { runIds: outcome.runIds })
        // Summaries come from the write connection: the transaction has committed.
        return { runs: outcome.runIds.map((id) => getRun(store.write, id)), skipped: outcome.skipped, files: outcome.files }
      } finally {
        imports.delete(importId)
      }
    },
    'import.cancel': (i) => {
      const abort = imports.get(i.importId)
      abort?.abort()
      return { cancelled: abort !== undefined }
    },
  }

  return {
    dbPath: store.path,
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
        return fail('internal', (e as Error).message)
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    },
    close: () => store.close(),
  }
}
