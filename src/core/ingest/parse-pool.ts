import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CoreError, type ErrorCode } from '../../shared/result'
import type { FileJob } from './file-reader'
import type { FromWorker, StreamEvent, ToWorker, WorkerInit } from './record-stream'

/** Below this many bytes to read, starting a worker (~50 ms) costs more than it saves. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024

export type WorkerMode = 'auto' | 'always' | 'never'

/** SWARMSCOPE_INGEST_WORKER=never|always overrides 'auto' (to compare both paths, or to rule the worker out when diagnosing). */
function modeFromEnv(mode: WorkerMode, env: NodeJS.ProcessEnv = process.env): WorkerMode {
  const v = env.SWARMSCOPE_INGEST_WORKER
  return mode === 'auto' && (v === 'never' || v === 'always') ? v : mode
}

/**
 * Where the bundled worker is: beside the bundle this module was built into (out/cli for the
 * CLI and `serve`; out/main or its chunks folder for Electron). Null when running from sources
 * (vitest, tsx), where the importer parses in its own thread unless a test asks for the worker.
 */
function bundledEntry(): URL | null {
  for (const rel of ['./', '../']) {
    for (const name of ['ingest-worker.mjs', 'ingest-worker.js']) {
      const url = new URL(rel + name, import.meta.url)
      if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url
    }
  }
  return null
}

/** The worker's error as the importer's thread would have raised it (a CoreError keeps its code, a file error its errno code). */
function workerError(m: Extract<FromWorker, { type: 'error' }>): Error {
  if (m.name === 'CoreError' && m.code) return new CoreError(m.code as ErrorCode, m.message)
  return Object.assign(new Error(m.message), m.code ? { code: m.code } : {})
}

/**
 * The worker's young generation, set rather than sized from the machine's memory (which added
 * ~40 MB to a 1 GB import's peak RSS; it must stay under 300 MB). Its garbage is short-lived
 * (lines, parsed JSON), so a scavenge costs about the same whatever the size and a larger one
 * scavenges less often: on a 1 GB import 8 MB meant ~900 scavenges taking ~1 s of the worker's
 * time, 16 MB ~450 taking ~0.75 s, 32 MB ~255 taking ~0.33 s. With 512-record batches
 * (parse-worker.ts) peak RSS stayed at 215-235 MB, against 235-265 MB before both changes.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 32 }

let cachedEntry: URL | null | undefined
function startWorker(mode: WorkerMode, init: WorkerInit): Worker | null {
  if (mode === 'never') return null
  cachedEntry ??= bundledEntry()
  if (cachedEntry) return new Worker(cachedEntry, { workerData: init, resourceLimits: WORKER_LIMITS })
  if (mode !== 'always' || !import.meta.url.endsWith('.ts')) return null
  // From sources: the TypeScript entry through tsx (tests of the worker path only).
  const entry = new URL('./parse-worker.ts', import.meta.url).href
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(boot, { eval: true, workerData: init, resourceLimits: WORKER_LIMITS })
}

/** Events in file order, with the strings their rows refer to (record-stream.ts, `decode`). */
export interface Batch {
  events: StreamEvent[]
  strings: string[]
}

/** The parse worker seen from the importer: batches of events in file order. */
export interface ParseStream {
  /** The next batch (waits for it); call `ack()` once it is written. Rejects with `beforeFirstBatch` set when an 'auto' worker never got going. */
  next(): Promise<Batch>
  /** The next batch if one has arrived (throws as `next` does). */
  poll(): Batch | null
  /**
   * Takes the next job nobody has taken for the importer's own thread, if it is at most
   * `maxBytes`: the index taken, or -1. The worker then never reads it.
   */
  take(maxBytes: number): number
  /** Resolves once the worker has taken every job and sent what it read; rejects as `next` does. */
  finished(): Promise<void>
  ack(): void
  close(): Promise<void>
}

export const failedToStart = (e: unknown) => (e as { beforeFirstBatch?: boolean } | null)?.beforeFirstBatch === true

/**
 * A parse worker started before its jobs are known, so that it boots while the importer walks
 * the folders (~17k stat calls for a 1 GB ~/.claude/projects): the walk and the worker's
 * start-up (~260 ms here) each kept one of two cores busy while the other waited.
 */
export interface ParseStreamStarter {
  /** The stream for these jobs, or null when they are too few for a worker (one started early is then ended). */
  open(jobs: FileJob[], bytesToRead: number): ParseStream | null
  /** Ends a worker started early that no stream took over (the import failed before `open`). */
  dispose(): Promise<void>
}

/** `early`: start the worker now (the import names a folder); otherwise only in `open`, if the bytes to read call for it. */
export function parseStreamStarter(opts: { mode: WorkerMode; init: WorkerInit; early: boolean }): ParseStreamStarter {
  const mode = modeFromEnv(opts.mode)
  let attached = opts.early && mode !== 'never' ? attach(mode, opts.init) : null
  let opened = false
  return {
    open(jobs, bytesToRead) {
      opened = true
      if (jobs.length === 0 || (mode === 'auto' && bytesToRead < WORKER_MIN_BYTES)) {
        void attached?.stop()
        return null
      }
      attached ??= attach(mode, opts.init)
      return attached?.start(jobs) ?? null
    },
    async dispose() {
      if (!opened) await attached?.stop()
    },
  }
}

/** Starts the worker and listens to it at once (nothing it says is missed); the jobs come later. */
function attach(mode: WorkerMode, init: WorkerInit): { start(jobs: FileJob[]): ParseStream; stop(): Promise<number> } | null {
  const worker = startWorker(mode, init)
  if (!worker) return null
  let jobs: FileJob[] = []
  const claim = new Int32Array(new SharedArrayBuffer(4))
  const ready: Batch[] = []
  let received = false
  let failure: Error | null = null
  let waiting: { resolve: (b: Batch) => void; reject: (e: Error) => void } | null = null
  let ended = false
  let ending: { resolve: () => void; reject: (e: Error) => void } | null = null
  const fail = (e: Error) => {
    // Nothing came back yet: the worker could not start here (an entry it cannot load, say from
    // inside an asar archive). The importer then reads every file itself, unless the worker was
    // asked for by name ('always': tests and diagnosis want to see it fail).
    failure ??= received || mode === 'always' ? e : Object.assign(e, { beforeFirstBatch: true })
    waiting?.reject(failure)
    waiting = null
    ending?.reject(failure)
    ending = null
  }
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'error') return fail(workerError(m))
    if (m.type === 'end') {
      ended = true
      ending?.resolve()
      ending = null
      return
    }
    received = true
    const batch = { events: m.events, strings: m.strings }
    if (waiting) {
      waiting.resolve(batch)
      waiting = null
    } else ready.push(batch)
  })
  worker.on('error', (e) => fail(e))
  worker.on('exit', (code) => fail(new Error(`the parse worker stopped (exit code ${code})`)))
  const stop = () => {
    worker.removeAllListeners()
    return worker.terminate()
  }
  const start = (all: FileJob[]): ParseStream => {
    jobs = all
    worker.postMessage({ type: 'jobs', jobs, claim: claim.buffer as SharedArrayBuffer } satisfies ToWorker)
    return stream
  }
  const stream: ParseStream = {
    poll() {
      const batch = ready.shift()
      if (batch) return batch
      if (failure) throw failure
      return null
    },
    take(maxBytes) {
      const i = Atomics.load(claim, 0)
      if (i >= jobs.length || jobs[i].size > maxBytes) return -1
      return Atomics.compareExchange(claim, 0, i, i + 1) === i ? i : -1
    },
    next() {
      const batch = ready.shift()
      if (batch) return Promise.resolve(batch)
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => (waiting = { resolve, reject }))
    },
    finished() {
      if (failure) return Promise.reject(failure)
      if (ended) return Promise.resolve()
      return new Promise((resolve, reject) => (ending = { resolve, reject }))
    },
    ack: () => worker.postMessage({ type: 'ack' } satisfies ToWorker),
    async close() {
      await stop()
    },
  }
  return { start, stop }
}
