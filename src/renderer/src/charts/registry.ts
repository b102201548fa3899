import type { ChartOption } from './echarts'

// Charts on screen by id, so the export dialog can render any of them again at the size and
// format asked for, without each screen wiring its charts to the dialog.

export interface RegisteredChart {
  id: string
  title: string
  /** The option as given (before theme defaults), for re-rendering off screen. */
  option: ChartOption
  /** The chart's data as a table, for CSV and JSON export. */
  table?: () => { header: string[]; rows: unknown[][] }
}

const charts = new Map<string, RegisteredChart>()

export const chartRegistry = {
  set: (c: RegisteredChart) => void charts.set(c.id, c),
  /** Removes this entry, unless another chart with the same id has replaced it meanwhile. */
  delete: (c: RegisteredChart) => {
    if (charts.get(c.id) === c) charts.delete(c.id)
  },
  get: (id: string) => charts.get(id),
  all: () => [...charts.values()],
}
