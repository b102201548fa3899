import type { LaidOut, LayoutInput } from './layout'

// One layout worker for the app; each request gets its own id, and only the latest answer for a
// caller matters (older ones are dropped by the caller).

let worker: Worker | null = null
let next = 0
const waiting = new Map<number, (out: LaidOut) => void>()

export function layoutInWorker(input: LayoutInput): Promise<LaidOut> {
  if (!worker) {
    worker = new Worker(new URL('./timeline.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (e: MessageEvent<{ id: number; out: LaidOut }>) => {
      waiting.get(e.data.id)?.(e.data.out)
      waiting.delete(e.data.id)
    }
  }
  const id = ++next
  return new Promise((resolve) => {
    waiting.set(id, resolve)
    worker!.postMessage({ id, input })
  })
}
