import { compact, duration } from '../../../../shared/format'
import type { TimelineWindow } from '../../../../shared/spans-dto'
import type { ECharts } from '../../charts/echarts'
import { escapeHtml } from '../../charts/insight-marks'
import { FLAG_BUCKET, FLAG_CRITICAL, FLAG_ERROR, type LaidOut } from './layout'

// Which rectangle is under the pointer. The timeline's segments are drawn as large `lines`
// (see timeline-option.ts), which ECharts does not report with a usable data index, so hover
// and click are resolved here from the pointer's position in data coordinates: the row under
// it, then the last-drawn item of that row covering its time (within two pixels).

const KIND_LABEL = ['agent', 'LLM call', 'tool call', 'task', 'other']

/** The laid-out item at pixel (px, py) of the chart, or −1. */
export function itemAtPixel(chart: ECharts, laid: LaidOut, px: number, py: number): number {
  if (!chart.containPixel({ gridIndex: 0 }, [px, py])) return -1
  const [ms, rowAt] = chart.convertFromPixel({ gridIndex: 0 }, [px, py]) as number[]
  const [ms2] = chart.convertFromPixel({ gridIndex: 0 }, [px + 2, py]) as number[]
  const slack = Math.abs(ms2 - ms)
  const row = Math.round(rowAt)
  for (let i = laid.x0.length - 1; i >= 0; i--) {
    if (laid.row[i] === row && laid.x0[i] - slack <= ms && ms <= laid.x1[i] + slack) return i
  }
  return -1
}

/** What the tooltip says about an item. */
export function describeItem(laid: LaidOut, win: TimelineWindow, i: number): string {
  const ms = laid.x1[i] - laid.x0[i]
  if (laid.flags[i] & FLAG_BUCKET) return `${compact(laid.count[i])} short ${KIND_LABEL[laid.kind[i]]}s in this stretch<br/>zoom in to see them one by one`
  const s = laid.span[i]
  return `<b>${escapeHtml(win.spans.name[s])}</b> (${KIND_LABEL[laid.kind[i]]})<br/>+${duration(Math.round(laid.x0[i]))} · ${duration(Math.round(ms))}${laid.flags[i] & FLAG_ERROR ? '<br/>error' : ''}${laid.flags[i] & FLAG_CRITICAL ? '<br/>on the critical path' : ''}`
}
