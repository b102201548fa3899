import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Keeps the parse worker's heap near what it holds alive. V8 sizes a heap's next full
 * collection from what survived the last one times a factor that, on a machine with gigabytes
 * of memory, is up to 4: importing one 1 GB transcript of an old Claude Code (most lines wait
 * for the end of the file, parse-worker + pending-lines.ts), the worker kept ~15-20 MB alive
 * while its heap grew to 90-120 MB between collections, and the import's peak RSS was 288-307
 * MB against the 300 MB the ingest issue allows. Collecting once the heap passes `floor`, or
 * twice what the last collection kept, the same import peaked at 237-245 MB; a folder of
 * ordinary transcripts never reaches the floor and is collected as before.
 *
 * `resourceLimits.maxOldGenerationSizeMb` was tried first: V8 then collected every ~15 MB
 * (~170 full collections, +7 s of CPU on that import) and a heap past the limit ends the
 * worker, where a line may take tens of MB.
 */
export interface HeapCap {
  /** Collects if the heap is past the cap; true when it did. Cheap enough to call per batch. */
  check(): boolean
  readonly collections: number
}

/** The `gc` function V8 offers once --expose-gc is set; null where it cannot be had. */
function exposedGc(): (() => void) | null {
  try {
    // Process-wide, and applied to contexts made from then on: the new context gets `gc`.
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : null
  } catch {
    return null
  }
}

export const HEAP_FLOOR_BYTES = 40 * 1024 * 1024

export function heapCap(opts: { floor?: number; gc?: (() => void) | null; used?: () => number } = {}): HeapCap {
  const floor = opts.floor ?? HEAP_FLOOR_BYTES
  const gc = opts.gc === undefined ? exposedGc() : opts.gc
  const used = opts.used ?? (() => getHeapStatistics().used_heap_size)
  let limit = floor
  let collections = 0
  return {
    check() {
      if (gc === null || used() <= limit) return false
      gc()
      collections++
      // Twice what is alive, so a heap that must hold more (a long line, lines waiting in
      // memory) is collected as it doubles, not at every check.
      limit = Math.max(floor, 2 * used())
      return true
    },
    get collections() {
      return collections
    },
  }
}
