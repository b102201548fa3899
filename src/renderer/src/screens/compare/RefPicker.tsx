import { useMemo } from 'react'
import { navigate, paths } from '../../lib/router'
import { useRuns } from '../../stores/runs'

/** Chooses the baseline and up to three candidates among runs and groups (`group:NAME`). */
export function RefPicker({ baseline, candidates }: { baseline: string; candidates: string[] }) {
  const runs = useRuns((s) => s.runs)
  const groups = useMemo(() => [...new Set(runs.map((r) => r.group).filter((g): g is string => g !== null))].sort(), [runs])
  const refs = [baseline, ...candidates]
  const set = (i: number, ref: string) => {
    const next = [...refs]
    if (ref === '') next.splice(i, 1)
    else next[i] = ref
    const clean = next.filter(Boolean)
    if (clean.length >= 2) navigate(paths.compare(clean[0], clean.slice(1)))
    else navigate(`#/compare?b=${encodeURIComponent(clean[0] ?? '')}`)
  }
  const options = (
    <>
      {groups.length > 0 && <optgroup label="Groups">{groups.map((g) => <option key={g} value={`group:${g}`}>group {g}</option>)}</optgroup>}
      <optgroup label="Runs">{runs.slice(0, 2000).map((r) => <option key={r.id} value={r.id}>{r.name} · {r.startedAt?.slice(0, 16).replace('T', ' ')}</option>)}</optgroup>
    </>
  )
  return (
    <div className="ref-picker" data-testid="ref-picker">
      {[...refs, ''].slice(0, 4).map((ref, i) => (
        <label key={i}>
          {i === 0 ? 'Baseline' : `Candidate ${i}`}
          <select value={ref} onChange={(e) => set(i, e.target.value)} data-testid={`ref-${i}`}>
            <option value="">{i === 0 ? 'Choose…' : i < refs.length ? '(remove)' : 'Add…'}</option>
            {options}
          </select>
        </label>
      ))}
    </div>
  )
}
