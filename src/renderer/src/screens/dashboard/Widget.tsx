import { useState, type DragEvent, type ReactNode } from 'react'
import { chartRegistry } from '../../charts/registry'
import { useDashboard, type WidgetLayout } from '../../stores/dashboard'
import { useExport } from '../../stores/export'

const HEIGHTS = [0, 220, 320, 460]
export const chartHeight = (h: number) => HEIGHTS[h] - 44

/**
 * A dashboard cell: a title bar with move, resize, export and remove, then the widget. The
 * title bar is also a drag handle: dropping a widget on another puts it in that one's place.
 */
export function Widget({ layout, index, title, chartId, children }: { layout: WidgetLayout; index: number; title: string; chartId?: string; children: ReactNode }) {
  const { move, resize, remove } = useDashboard.getState()
  const [over, setOver] = useState(false)
  const [data, setData] = useState<{ header: string[]; rows: unknown[][] } | null>(null)
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    e.stopPropagation()
    setOver(false)
    const id = e.dataTransfer.getData('application/x-swarmscope-widget')
    if (id && id !== layout.id) move(id, index)
  }
  const isWidgetDrag = (e: DragEvent) => e.dataTransfer.types.includes('application/x-swarmscope-widget')
  return (
    <section
      className={over ? 'widget drop-target' : 'widget'}
      style={{ gridColumn: `span ${layout.w}`, height: HEIGHTS[layout.h] }}
      data-testid={`widget-${layout.type}`}
      data-widget-id={layout.id}
      data-w={layout.w}
      data-h={layout.h}
      onDragOver={(e) => {
        if (!isWidgetDrag(e)) return
        e.preventDefault()
        e.stopPropagation()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => isWidgetDrag(e) && onDrop(e)}
      aria-label={title}
    >
      <header draggable onDragStart={(e) => e.dataTransfer.setData('application/x-swarmscope-widget', layout.id)} title="Drag to move">
        <h3>{title}</h3>
        <div className="widget-tools">
          <button onClick={() => move(layout.id, index - 1)} aria-label="Move earlier" title="Move earlier">◀</button>
          <button onClick={() => move(layout.id, index + 1)} aria-label="Move later" title="Move later">▶</button>
          <button onClick={() => resize(layout.id, { w: -1 })} aria-label="Narrower" title="Narrower" data-testid="widget-narrower">−</button>
          <button onClick={() => resize(layout.id, { w: 1 })} aria-label="Wider" title="Wider" data-testid="widget-wider">+</button>
          <button onClick={() => resize(layout.id, { h: layout.h >= 3 ? -1 : 1 })} aria-label={layout.h >= 3 ? 'Shorter' : 'Taller'} title={layout.h >= 3 ? 'Shorter' : 'Taller'}>↕</button>
          {chartId && (
            <button onClick={() => setData(data ? null : (chartRegistry.get(chartId)?.table?.() ?? { header: [], rows: [] }))} aria-pressed={data !== null} aria-label={`Data of ${title}`} title="Show the numbers behind the chart" data-testid="widget-data">▦</button>
          )}
          {chartId && (
            <button onClick={() => useExport.getState().open({ kind: 'chart', chartId })} aria-label={`Export ${title}`} title="Export this chart" data-testid="widget-export">⤓</button>
          )}
          <button onClick={() => remove(layout.id)} aria-label={`Remove ${title}`} title="Remove" data-testid="widget-remove">✕</button>
        </div>
      </header>
      <div className="widget-body">
        {children}
        {data && <DataTable data={data} />}
      </div>
    </section>
  )
}

const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 6 })) : v === null || v === undefined ? '—' : String(v))

/** The numbers behind a chart, over it: for reading exact values, and for screen readers. */
function DataTable({ data }: { data: { header: string[]; rows: unknown[][] } }) {
  return (
    <div className="widget-data table-scroll" data-testid="widget-table">
      <table className="agents">
        <thead><tr>{data.header.map((h) => <th key={h}>{h}</th>)}</tr></thead>
        <tbody>{data.rows.slice(0, 500).map((r, i) => <tr key={i}>{r.map((v, k) => <td key={k}>{cell(v)}</td>)}</tr>)}</tbody>
      </table>
      {data.rows.length > 500 && <p className="muted">First 500 of {data.rows.length} rows; export CSV for all.</p>}
    </div>
  )
}
