import { createBinder } from './bind'
import { readFileJob, type FileJob, type FileOutcome } from './file-reader'
import type { Batch, ParseStream } from './parse-pool'
import { isWriteOp, recordingSink, STREAMED_FORMATS, type EncodedOp, type StreamEvent, type WorkerInit } from './record-stream'
import type { WriteOp } from './writer'

// The importer's side of a worker import. Files are written strictly in job order (the upserts
// of two files feeding one run must meet in the same order as in a one-thread import), but they
// need not be parsed in that order: when no batch of the worker's is waiting, this thread takes
// the next small job itself, parses it into the same events the worker would have sent, and
// keeps them until that file's turn. On two cores the writer otherwise idled for a third of a
// 1 GB import while the worker, the slower half, parsed.

/**
 * Files this thread parses itself are read whole; larger ones stay the worker's. Small, so that
 * this thread's detour from writing is short: the worker's batches wait meanwhile, and once
 * MAX_IN_FLIGHT of them wait the worker stops. On the 1 GB bench corpus, 6 interleaved pairs
 * of imports: 512 KB with 16 batches in flight was faster than 4 MB with 4 in 5 pairs, by
 * 0.1-0.2 s of ~6.4 s (runs here spread over 6-8 s, so the gain is small and not sharp).
 */
const OWN_MAX_BYTES = 512 * 1024
/** Parsed-ahead files kept at once: bounds the memory they hold while an earlier file is still the worker's. */
const OWN_MAX_FILES = 64

export interface ReplayTarget {
  /** Runs one statement (decoded). */
  write(op: WriteOp | EncodedOp, strings: readonly string[]): void
  skip(job: FileJob, line: number | null, reason: string): void
  progress(job: FileJob, bytes: number, lines: number): void
  done(job: FileJob, outcome: FileOutcome): Promise<void>
  /** Throws when the import was cancelled. */
  checkCancelled(): void
}

const NO_STRINGS: readonly string[] = []

/** A turn of the event loop, so the worker's messages that came in meanwhile are received. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

export class Replay {
  /** The next file to write: every file before it is written. */
  next = 0
  private readonly own = new Map<number, StreamEvent[]>()
  private readonly parseOwn: (job: FileJob) => Promise<StreamEvent[]>

  constructor(
    private readonly jobs: FileJob[],
    private readonly target: ReplayTarget,
    init: WorkerInit,
    private readonly ahead: boolean,
  ) {
    const binder = createBinder({ contentPolicy: init.contentPolicy, now: Date.now, redactRules: init.redactRules, prices: init.prices })
    let events: StreamEvent[] = []
    const sink = recordingSink(init.contentPolicy, binder, (e) => events.push(e))
    // Cancelling is checked between files, as for the worker's.
    const signal = new AbortController().signal
    this.parseOwn = async (job) => {
      events = []
      const hooks = { sink, signal, skip: (line: number | null, reason: string) => void events.push(['skip', line, reason]), progress: (b: number, l: number) => void events.push(['progress', b, l]) }
      const outcome = await readFileJob(job, STREAMED_FORMATS, hooks, true)
      sink.flush()
      events.push(['done', outcome])
      return events
    }
  }

  /** Writes everything in file order; throws what the stream throws (the caller may read the rest itself, see `writeOwn`). */
  async run(stream: ParseStream): Promise<void> {
    while (this.next < this.jobs.length) {
      if (await this.writeOwn()) continue
      let batch = stream.poll()
      if (!batch) {
        const ahead = await this.parseAhead(stream)
        // A file parsed here may be the next to write (the worker may have nothing more to send).
        if (ahead === 'parsed') continue
        batch = ahead ?? (await stream.next())
      }
      this.target.checkCancelled()
      for (const e of batch.events) {
        if (isWriteOp(e)) this.target.write(e, batch.strings)
        else if (e[0] === 'begin') {
          // The worker's next file: the files before it that this thread parsed go first.
          while (this.next < e[1]) if (!(await this.writeOwn())) throw new Error(`parse worker: file ${this.next} was never read`)
        } else await this.apply(e)
      }
      stream.ack()
    }
    // The files may all have been written with the worker still starting (or failing): a worker asked for by name must be seen to work.
    await stream.finished()
  }

  /**
   * While the worker has sent nothing, parses the next untaken small files: 'parsed' once one
   * was, or the batch that came in before any was, or null when there is nothing to take.
   */
  private async parseAhead(stream: ParseStream): Promise<Batch | 'parsed' | null> {
    await turn()
    const batch = stream.poll()
    if (batch || !this.ahead || this.own.size >= OWN_MAX_FILES) return batch
    this.target.checkCancelled()
    const i = stream.take(OWN_MAX_BYTES)
    if (i < 0) return null
    this.own.set(i, await this.parseOwn(this.jobs[i]))
    return 'parsed'
  }

  /** Writes file `next` if this thread parsed it; false if it did not. */
  async writeOwn(): Promise<boolean> {
    const events = this.own.get(this.next)
    if (!events) return false
    this.own.delete(this.next)
    for (const e of events) {
      if (isWriteOp(e)) this.target.write(e, NO_STRINGS)
      else await this.apply(e)
    }
    return true
  }

  /** A file's skipped line, progress or end, for file `next`. */
  private async apply(e: StreamEvent): Promise<void> {
    const job = this.jobs[this.next]
    if (e[0] === 'skip') this.target.skip(job, e[1], e[2])
    else if (e[0] === 'progress') this.target.progress(job, e[1], e[2])
    else if (e[0] === 'done') {
      this.target.checkCancelled()
      await this.target.done(job, e[1])
      this.next++
    }
  }
}
