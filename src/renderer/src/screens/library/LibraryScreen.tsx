import { useMemo, useRef, useState } from 'react'
import { compact, exact, usd } from '../../../../shared/format'
import { EmptyRuns } from '../../components/EmptyRuns'
import { navigate, paths } from '../../lib/router'
import { useShortcuts } from '../../lib/shortcuts'
import { useExport } from '../../stores/export'
import { totalTokens, useRuns, visibleRuns } from '../../stores/runs'
import { DeleteDialog, RenameDialog, TagDialog } from './RunDialogs'
import { RunsTable } from './RunsTable'

type Open = null | 'rename' | 'tag' | 'delete'

export function LibraryScreen() {
  const { runs, loaded, error, search, source, group, sort, selected, setSearch, setFilter } = useRuns()
  const [open, setOpen] = useState<Open>(null)
  const searchBox = useRef<HTMLInputElement>(null)
  const rows = useMemo(() => visibleRuns(runs, { search, source, group, sort }), [runs, search, source, group, sort])
  const sources = useMemo(() => [...new Set(runs.map((r) => r.source))].sort(), [runs])
  const groups = useMemo(() => [...new Set(runs.map((r) => r.group).filter((g): g is string => g !== null))].sort(), [runs])
  const chosen = useMemo(() => runs.filter((r) => selected.has(r.id)), [runs, selected])
  const canCompare = chosen.length >= 2 && chosen.length <= 4

  const compare = () => {
    if (!canCompare) return
    // The earliest run is the baseline: "before" on the left, as people read a change.
    const byStart = [...chosen].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
    navigate(paths.compare(byStart[0].id, byStart.slice(1).map((r) => r.id)))
  }
  const shortcuts = useMemo(
    () => [
      { keys: '/', label: 'Search runs', run: () => searchBox.current?.focus() },
      { keys: 'c', label: 'Compare the selected runs', run: compare },
      { keys: 'Delete', label: 'Delete the selected runs', run: () => chosen.length && setOpen('delete') },
    ],
    [chosen, canCompare],
  )
  useShortcuts(shortcuts)

  if (loaded && runs.length === 0) return <EmptyRuns />
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((t, r) => t + f(r), 0)
  return (
    <section className="library" aria-label="Runs library">
      <div className="toolbar">
        <input ref={searchBox} type="search" placeholder="Search name, id, group, tag=value  ( / )" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="runs-search" aria-label="Search runs" />
        <select value={source} onChange={(e) => setFilter({ source: e.target.value })} aria-label="Source" data-testid="filter-source">
          <option value="">All sources</option>
          {sources.map((s) => <option key={s}>{s}</option>)}
        </select>
        <select value={group} onChange={(e) => setFilter({ group: e.target.value })} aria-label="Group" data-testid="filter-group">
          <option value="">All groups</option>
          <option value="(none)">No group</option>
          {groups.map((g) => <option key={g}>{g}</option>)}
        </select>
        <span className="muted" data-testid="runs-count">
          {exact(rows.length)} of {exact(runs.length)} runs · {compact(sum(totalTokens))} tokens · {usd(sum((r) => r.costUsd))}
        </span>
      </div>
      {error && <div className="notice error" role="alert">{error}</div>}
      <div className={chosen.length ? 'selection-bar on' : 'selection-bar'} aria-live="polite">
        {chosen.length > 0 ? (
          <>
            <strong data-testid="selected-count">{chosen.length} selected</strong>
            <button className="primary" disabled={!canCompare} onClick={compare} title="Compare 2–4 runs (c)" data-testid="compare-selected">Compare</button>
            <button disabled={chosen.length !== 1} onClick={() => setOpen('rename')} data-testid="rename-selected">Rename</button>
            <button onClick={() => setOpen('tag')} data-testid="tag-selected">Group &amp; tags</button>
            <button onClick={() => useExport.getState().open({ kind: 'runs', runId: chosen[0].id })}>Export</button>
            <button className="danger" onClick={() => setOpen('delete')} data-testid="delete-selected">Delete</button>
            <button className="link" onClick={() => useRuns.getState().selectOnly([])}>Clear</button>
          </>
        ) : (
          <span className="muted">Tick runs to compare (2–4), rename, group, tag, export or delete them. Click a run to open it.</span>
        )}
      </div>
      {rows.length === 0 ? <p className="empty-filter muted">No run matches these filters.</p> : <RunsTable rows={rows} />}
      {open === 'rename' && chosen[0] && <RenameDialog run={chosen[0]} onClose={() => setOpen(null)} />}
      {open === 'tag' && <TagDialog runs={chosen} onClose={() => setOpen(null)} />}
      {open === 'delete' && <DeleteDialog runs={chosen} onClose={() => setOpen(null)} />}
    </section>
  )
}
