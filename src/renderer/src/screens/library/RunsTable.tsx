import { useEffect, useRef, useState, type MouseEvent } from 'react'
import type { RunSummary } from '../../../../shared/dto'
import { compact, duration, exact, usd } from '../../../../shared/format'
import { navigate, paths } from '../../lib/router'
import { totalTokens, useRuns, type SortKey } from '../../stores/runs'

// A virtualised table: only the rows in view (plus a few) are in the DOM, so 10 000 runs
// scroll like 10. Rows have one fixed height; the spacer above and below keeps the scrollbar true.

const ROW = 36
const OVERSCAN = 8

const COLUMNS: { key: SortKey | null; label: string; className?: string }[] = [
  { key: null, label: '' },
  { key: 'name', label: 'Run' },
  { key: 'source', label: 'Source' },
  { key: 'group', label: 'Group' },
  { key: null, label: 'Tags' },
  { key: 'startedAt', label: 'Started' },
  { key: 'durationMs', label: 'Duration', className: 'num' },
  { key: 'tokens', label: 'Tokens', className: 'num' },
  { key: 'costUsd', label: 'Cost', className: 'num' },
  { key: 'errors', label: 'Errors', className: 'num' },
]

export function RunsTable({ rows }: { rows: RunSummary[] }) {
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(600)
  const sort = useRuns((s) => s.sort)
  const sortBy = useRuns((s) => s.sortBy)
  const selected = useRuns((s) => s.selected)
  const toggle = useRuns((s) => s.toggle)
  const anchor = useRef<number | null>(null)

  useEffect(() => {
    const el = scroller.current!
    const ro = new ResizeObserver(() => setHeight(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN)
  const visible = rows.slice(first, last)

  const onCheck = (e: MouseEvent, index: number, id: string) => {
    e.stopPropagation()
    // Shift-click selects the range from the last clicked row.
    if (e.shiftKey && anchor.current !== null) {
      const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)]
      toggle(id, rows.slice(a, b + 1).map((r) => r.id))
    } else toggle(id)
    anchor.current = index
  }

  return (
    <div className="runs-table" role="table" aria-label="Runs" aria-rowcount={rows.length} data-testid="runs-table">
      <div className="rt-row rt-head" role="row">
        {COLUMNS.map((c, i) => (
          <div key={i} role="columnheader" className={`rt-cell c${i} ${c.className ?? ''}`} aria-sort={c.key && sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
            {c.key ? (
              <button className="sort" onClick={() => sortBy(c.key!)} data-testid={`sort-${c.key}`}>
                {c.label} {sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
              </button>
            ) : i === 0 ? (
              <input
                type="checkbox"
                aria-label="Select all shown runs"
                checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                onChange={(e) => useRuns.getState().selectOnly(e.target.checked ? rows.map((r) => r.id) : [])}
              />
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      <div className="rt-body" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="runs-scroller">
        <div style={{ height: rows.length * ROW, position: 'relative' }}>
          {visible.map((r, k) => {
            const index = first + k
            const isSel = selected.has(r.id)
            return (
              <div
                key={r.id}
                role="row"
                aria-rowindex={index + 1}
                className={isSel ? 'rt-row selected' : 'rt-row'}
                style={{ top: index * ROW, height: ROW }}
                data-run-id={r.id}
                onClick={() => navigate(paths.dashboard(r.id))}
              >
                <div className="rt-cell c0" role="cell">
                  <input type="checkbox" checked={isSel} aria-label={`Select ${r.name}`} onClick={(e) => onCheck(e, index, r.id)} onChange={() => undefined} />
                </div>
                <div className="rt-cell c1" role="cell" title={r.id}><span className="run-name">{r.name}</span></div>
                <div className="rt-cell c2" role="cell">{r.source}</div>
                <div className="rt-cell c3" role="cell">{r.group ?? ''}</div>
                <div className="rt-cell c4" role="cell">
                  {Object.entries(r.tags).map(([k, v]) => <span className="tag" key={k}>{k}={v}</span>)}
                </div>
                <div className="rt-cell c5" role="cell">{r.startedAt?.slice(0, 16).replace('T', ' ') ?? '—'}</div>
                <div className="rt-cell c6 num" role="cell">{duration(r.durationMs)}</div>
                <div className="rt-cell c7 num" role="cell" title={exact(totalTokens(r))}>{compact(totalTokens(r))}</div>
                <div className="rt-cell c8 num" role="cell">{usd(r.costUsd)}</div>
                <div className={r.errors > 0 ? 'rt-cell c9 num bad' : 'rt-cell c9 num'} role="cell">{exact(r.errors)}</div>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
