// Drawing the ten charts of a dashboard in one go held the main thread for over half a second
// once their data arrived: nothing painted meanwhile and a click waited. Charts that opt in
// (`<EChart deferred>`) draw through this queue instead: one chart per task, so the browser can
// paint and answer input in between, and only once the chart is in (or about to scroll into)
// view. Drawing those below the fold in idle time was tried: the scatter and the heatmap take
// 100–200 ms each, and a click in the first second then waited for them. Only the latest
// pending draw of a chart is kept: an update that arrives before the chart drew replaces it.

const pending = new Map<Element, () => void>()
let taskQueued = false
const onDrained = new Set<() => void>()

// Which charts are in view, as the observer last reported (asking the layout directly would
// force a layout per chart drawn). A chart waits for the observer's first report, in the next
// frame: that frame shows the page without it. The margin starts a chart just before it shows.
const inView = new Map<Element, boolean>()
const observer = new IntersectionObserver((entries) => {
  for (const e of entries) inView.set(e.target, e.isIntersecting)
  schedule()
  drained()
}, { rootMargin: '100px 0px' })

/** A new task for the next chart: a message, as timers are clamped and throttled. */
const channel = new MessageChannel()
channel.port1.onmessage = () => {
  taskQueued = false
  drawNext()
}

function schedule(): void {
  if (taskQueued || ![...pending.keys()].some((el) => inView.get(el))) return
  taskQueued = true
  channel.port2.postMessage(null)
}

/** Whether a chart in view, or one the observer has not reported yet, waits to be drawn. */
function waiting(): boolean {
  for (const el of pending.keys()) if (inView.get(el) !== false) return true
  return false
}

function drained(): void {
  if (waiting() || taskQueued) return
  const fs = [...onDrained]
  onDrained.clear()
  fs.forEach((f) => f())
}

function forget(el: Element): void {
  pending.delete(el)
  observer.unobserve(el)
  inView.delete(el)
}

/** Draws the first pending chart in view, if any. */
function drawNext(): void {
  const next = [...pending.keys()].find((el) => inView.get(el) && el.isConnected)
  if (next) {
    const draw = pending.get(next)!
    forget(next)
    const started = performance.now()
    draw()
    // The main thread's share of each chart (its paint follows in the next frame).
    performance.measure(`chart-draw:${(next as HTMLElement).dataset.testid ?? ''}`, { start: started })
  }
  schedule()
  drained()
}

/** Queues a chart's draw; returns a function that cancels it (if it has not run yet). */
export function queueDraw(el: Element, draw: () => void): () => void {
  pending.set(el, draw)
  observer.observe(el)
  schedule()
  return () => {
    if (pending.get(el) !== draw) return
    forget(el)
    drained()
  }
}

/**
 * Runs `f` once no chart in view waits to be drawn (at once if none does; charts below the fold
 * do not count); returns a cancel function.
 */
export function afterDraws(f: () => void): () => void {
  if (!waiting() && !taskQueued) {
    f()
    return () => {}
  }
  onDrained.add(f)
  return () => void onDrained.delete(f)
}
