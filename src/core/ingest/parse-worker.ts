import { parentPort, workerData } from 'node:worker_threads'
import { createBinder } from './bind'
import { readFileJob, type FileJob } from './file-reader'
import { Interner, isWriteOp, recordingSink, STREAMED_FORMATS, type FromWorker, type StreamEvent, type ToWorker, type WorkerInit } from './record-stream'

// The parse worker's entry (bundled as ingest-worker.mjs beside the CLI and the Electron main
// bundle). It reads and parses the files it is sent while the importer's thread writes the
// records of the previous ones: on two cores, parsing and SQLite inserts overlap.
//
// Only the JSON-lines formats run here (they are where the bytes are, and need nothing native);
// a file they do not recognise is handed back ('deferred') and read by the importer itself.
// Jobs are taken one at a time from a counter shared with the importer, which takes small
// files too when it has nothing of ours to write (parse-pool.ts, `claim`).
/**
 * Records per message: large enough that messaging costs little, small enough to pipeline. A
 * batch stays alive in the importer's heap while it is written, so each young-generation GC
 * there copies it: with 2,048 the importer's thread spent 300-400 ms of a 1 GB import in
 * scavenges, with 512 about 220 ms, and peak RSS fell by ~30 MB.
 */
const BATCH = 512
/**
 * Messages the importer has not written yet before this worker waits: bounds the memory in
 * between (8,192 records, as 4 × 2,048 did). The importer also parses small files itself when
 * no batch is waiting; a worker allowed fewer records ahead stalled while it did.
 */
const MAX_IN_FLIGHT = 16

const port = parentPort!
const init = workerData as WorkerInit
let jobs: FileJob[] = []
let claim: Int32Array | null = null
let events: StreamEvent[] = []
const interner = new Interner()
let inFlight = 0
let acked: (() => void) | null = null
let queued: (() => void) | null = null

const post = (m: FromWorker) => port.postMessage(m)
function flush(): void {
  if (events.length === 0) return
  post({ type: 'events', events, strings: interner.take() })
  events = []
  inFlight++
}
function push(e: StreamEvent): void {
  events.push(isWriteOp(e) ? interner.encode(e) : e)
  if (events.length >= BATCH) flush()
}
async function throttle(): Promise<void> {
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (acked = r))
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'ack') {
    inFlight--
    acked?.()
    acked = null
  } else {
    jobs = m.jobs
    claim = new Int32Array(m.claim)
    queued?.()
    queued = null
  }
})

async function main(): Promise<void> {
  // Cancelling is the importer's: it stops replaying and ends this worker.
  const signal = new AbortController().signal
  const binder = createBinder({ contentPolicy: init.contentPolicy, now: Date.now, redactRules: init.redactRules, prices: init.prices })
  const sink = recordingSink(init.contentPolicy, binder, push)
  if (!claim) await new Promise<void>((r) => (queued = r))
  for (;;) {
    await throttle()
    const i = Atomics.add(claim!, 0, 1)
    if (i >= jobs.length) break
    const job = jobs[i]
    push(['begin', i])
    const outcome = await readFileJob(
      job,
      STREAMED_FORMATS,
      { sink, signal, skip: (line, reason) => push(['skip', line, reason]), progress: (bytes, lines) => push(['progress', bytes, lines]), throttle },
      true,
    )
    sink.flush()
    push(['done', outcome])
  }
  // Every job is taken: the importer ends this worker once it has written what was sent.
  flush()
  post({ type: 'end' })
}

main().catch((e: unknown) => {
  const err = e as Error & { code?: unknown }
  post({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(e), code: typeof err?.code === 'string' ? err.code : undefined })
})
