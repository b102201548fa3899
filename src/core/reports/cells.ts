import type { Cell, Kpi, ReportTable } from '../../shared/report-model'
import { duration, exact, usd } from '../../shared/format'
import * as af from '../analysis/format'

// Display text for every number in a report, decided once while the model is built; the
// renderers print `t` and never format a number themselves.

const NONE = '—'
export const text = (s: string | null): Cell => ({ v: s, t: s ?? NONE })
export const money = (x: number | null): Cell => ({ v: x, t: x === null ? NONE : usd(x) })
export const millis = (x: number | null): Cell => ({ v: x, t: x === null ? NONE : af.ms(x) })
export const int = (x: number | null): Cell => ({ v: x, t: x === null ? NONE : exact(x) })
export const share = (x: number | null, digits = 0): Cell => ({ v: x, t: x === null ? NONE : af.pct(x, digits) })
export const signed = (x: number | null): Cell => ({ v: x, t: x === null ? NONE : af.signedPct(x) })
export const pValue = (x: number | null): Cell => ({ v: x, t: af.p(x) })
export const fixed = (x: number | null, digits = 2): Cell => ({ v: x, t: x === null ? NONE : x.toFixed(digits) })
export const wall = (x: number | null): Cell => ({ v: x, t: duration(x === null ? null : Math.round(x)) })

export function kpi(id: string, label: string, unit: string, c: Cell, note: string | null = null): Kpi {
  return { id, label, unit, value: typeof c.v === 'number' ? c.v : null, text: c.t, note }
}

/** A table capped at `max` rows; the count left out is kept so the reader knows. */
export function table(id: string, title: string, columns: [string, 'left' | 'right'][], rows: Cell[][], max = 50): ReportTable {
  return { id, title, columns: columns.map(([label, align]) => ({ label, align })), rows: rows.slice(0, max), omitted: Math.max(0, rows.length - max) }
}
