import { layoutTimeline, type LayoutInput } from './layout'

// The timeline's layout runs here, off the UI thread; the typed arrays travel back without a copy.
self.onmessage = (e: MessageEvent<{ id: number; input: LayoutInput }>) => {
  const out = layoutTimeline(e.data.input)
  const buffers = [out.x0, out.x1, out.row, out.kind, out.flags, out.count, out.span].map((a) => a.buffer)
  ;(self as unknown as Worker).postMessage({ id: e.data.id, out }, buffers)
}
