import { useState } from 'react'
import type { RunSummary } from '../../../../shared/dto'
import { Dialog } from '../../components/Dialog'
import { useRuns } from '../../stores/runs'

export function RenameDialog({ run, onClose }: { run: RunSummary; onClose(): void }) {
  const [name, setName] = useState(run.name)
  const [error, setError] = useState<string | null>(null)
  const save = async () => {
    const err = await useRuns.getState().rename(run.id, name.trim())
    if (err) setError(err)
    else onClose()
  }
  return (
    <Dialog title="Rename run" onClose={onClose} testId="rename-dialog">
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="rename-input" /></label>
        {error && <p className="error">{error}</p>}
        <div className="actions"><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary" disabled={!name.trim()}>Rename</button></div>
      </form>
    </Dialog>
  )
}

/** Sets a group and adds tags (key=value, comma separated) on every selected run; an empty value removes a tag. */
export function TagDialog({ runs, onClose }: { runs: RunSummary[]; onClose(): void }) {
  const [group, setGroup] = useState(runs.length === 1 ? (runs[0].group ?? '') : '')
  const [tags, setTags] = useState('')
  const [error, setError] = useState<string | null>(null)
  const save = async () => {
    const parsed: Record<string, string> = {}
    for (const part of tags.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [k, ...v] = part.split('=')
      if (!k) return setError(`"${part}" is not key=value`)
      parsed[k.trim()] = v.join('=').trim()
    }
    for (const r of runs) {
      const err = await useRuns.getState().tag(r.id, parsed, group.trim() === '' ? (runs.length === 1 ? null : undefined) : group.trim())
      if (err) return setError(err)
    }
    onClose()
  }
  return (
    <Dialog title={`Group and tags of ${runs.length} run${runs.length === 1 ? '' : 's'}`} onClose={onClose} testId="tag-dialog">
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <label>Group <input value={group} onChange={(e) => setGroup(e.target.value)} placeholder={runs.length === 1 ? 'none' : 'unchanged'} data-testid="group-input" /></label>
        <label>Tags <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="model=sonnet, branch=main" data-testid="tags-input" /></label>
        <p className="muted">A tag with an empty value (<code>model=</code>) is removed.</p>
        {error && <p className="error">{error}</p>}
        <div className="actions"><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary">Save</button></div>
      </form>
    </Dialog>
  )
}

export function DeleteDialog({ runs, onClose }: { runs: RunSummary[]; onClose(): void }) {
  const [error, setError] = useState<string | null>(null)
  const remove = async () => {
    const err = await useRuns.getState().remove(runs.map((r) => r.id))
    if (err) setError(err)
    else onClose()
  }
  return (
    <Dialog title={`Delete ${runs.length} run${runs.length === 1 ? '' : 's'}?`} onClose={onClose} testId="delete-dialog">
      <p>{runs.slice(0, 5).map((r) => r.name).join(', ')}{runs.length > 5 ? ` and ${runs.length - 5} more` : ''} will be removed from Swarmscope with everything read from them. The files you imported are not touched; importing them again brings the runs back.</p>
      {error && <p className="error">{error}</p>}
      <div className="actions"><button onClick={onClose}>Cancel</button><button className="danger" onClick={() => void remove()} data-testid="confirm-delete">Delete</button></div>
    </Dialog>
  )
}
