import { useEffect, useState } from 'react'
import type { AppConfig } from '../../../../shared/config'
import type { LiveHealth } from '../../../../shared/live-dto'
import { client } from '../../client'

// Live collection settings (config.json's `live`): the running app or `swarmscope serve` follows
// them within a second, so the sources table below shows the change take effect.

type Live = AppConfig['live']

interface Draft {
  watchClaudeProjects: boolean
  watch: string[]
  connect: string[]
  otlpOn: boolean
  otlpPort: string
  systemOn: boolean
  systemIntervalMs: string
  ratePct: string
  budgetPerSec: string
  slowMs: string
}

const draftOf = (l: Live): Draft => ({
  watchClaudeProjects: l.watchClaudeProjects,
  watch: [...l.watch],
  connect: [...l.connect],
  otlpOn: l.otlpPort !== null,
  otlpPort: String(l.otlpPort ?? 4318),
  systemOn: l.systemIntervalMs !== null,
  systemIntervalMs: String(l.systemIntervalMs ?? 1000),
  ratePct: String(Math.round(l.sampling.rate * 1000) / 10),
  budgetPerSec: l.sampling.budgetPerSec === null ? '' : String(l.sampling.budgetPerSec),
  slowMs: String(l.sampling.slowMs),
})

/** Dotted-key values for config.set; the core validates them all together and names the first problem. */
const valuesOf = (d: Draft): Record<string, unknown> => ({
  'live.watchClaudeProjects': d.watchClaudeProjects,
  'live.watch': d.watch,
  'live.connect': d.connect,
  'live.otlpPort': d.otlpOn ? Number(d.otlpPort) : null,
  'live.systemIntervalMs': d.systemOn ? Number(d.systemIntervalMs) : null,
  'live.sampling.rate': Number(d.ratePct) / 100,
  'live.sampling.budgetPerSec': d.budgetPerSec.trim() === '' ? null : Number(d.budgetPerSec),
  'live.sampling.slowMs': Number(d.slowMs),
})

const intIn = (v: string, min: number, max: number) => /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max

/** The first field out of range, said before anything is sent (the core checks again). */
function problemOf(d: Draft): string | null {
  const rate = Number(d.ratePct)
  if (!(d.ratePct.trim() !== '' && rate >= 0.1 && rate <= 100)) return 'live.sampling.rate: keep between 0.1 and 100 %'
  if (d.otlpOn && !intIn(d.otlpPort, 0, 65535)) return 'live.otlpPort: a port number from 0 (any free port) to 65535'
  if (d.systemOn && !intIn(d.systemIntervalMs, 100, 3_600_000)) return 'live.systemIntervalMs: from 100 ms to one hour'
  if (d.budgetPerSec.trim() !== '' && !intIn(d.budgetPerSec, 1, Number.MAX_SAFE_INTEGER)) return 'live.sampling.budgetPerSec: a whole number of records per second, or empty for off'
  if (!intIn(d.slowMs, 0, Number.MAX_SAFE_INTEGER)) return 'live.sampling.slowMs: a whole number of milliseconds'
  const badUrl = d.connect.find((u) => !/^wss?:\/\/\S+$/.test(u))
  if (badUrl) return `live.connect: "${badUrl}" is not a ws:// or wss:// URL`
  return null
}

function ListEditor(props: { label: string; placeholder: string; items: string[]; onChange(items: string[]): void; testId: string }) {
  const [text, setText] = useState('')
  const add = () => {
    const v = text.trim()
    if (v && !props.items.includes(v)) props.onChange([...props.items, v])
    setText('')
  }
  return (
    <div data-testid={props.testId}>
      <ul className="locations">
        {props.items.map((x) => (
          <li key={x}><code>{x}</code> <button type="button" className="link" onClick={() => props.onChange(props.items.filter((y) => y !== x))} aria-label={`Remove ${x}`}>remove</button></li>
        ))}
      </ul>
      <div className="inline-form">
        <input value={text} placeholder={props.placeholder} aria-label={props.label} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} />
        <button type="button" onClick={add} disabled={!text.trim()}>Add</button>
      </div>
    </div>
  )
}

export function LiveSettings() {
  const [draft, setDraft] = useState<Draft | null>(null)
  const [saved, setSaved] = useState<string>('')
  const [health, setHealth] = useState<LiveHealth | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)

  useEffect(() => {
    void client.call('config.get', {}).then((r) => {
      if (!r.ok) return setError(r.error.message)
      setDraft(draftOf(r.data.config.live))
      setSaved(JSON.stringify(draftOf(r.data.config.live)))
    })
    // The sources as they run now, refreshed while the screen is open (a change shows within a second or two).
    const poll = () => void client.call('live.health', {}).then((r) => r.ok && setHealth(r.data))
    poll()
    const timer = setInterval(poll, 1000)
    return () => clearInterval(timer)
  }, [])

  if (!draft) return error ? <p className="error">{error}</p> : <p className="muted loading">Loading live settings…</p>
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch })
  const dirty = JSON.stringify(draft) !== saved
  const save = async () => {
    const problem = problemOf(draft)
    if (problem) return setError(problem)
    const r = await client.call('config.set', { values: valuesOf(draft) })
    if (!r.ok) return setError(r.error.message)
    setError(null)
    setDraft(draftOf(r.data.config.live))
    setSaved(JSON.stringify(draftOf(r.data.config.live)))
    setNote('Saved. The running collector applies it within a second; flags given to swarmscope serve keep their own values.')
  }

  return (
    <form data-testid="live-settings" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h4>Folders to tail</h4>
      <label className="choice">
        <input type="checkbox" checked={draft.watchClaudeProjects} onChange={(e) => set({ watchClaudeProjects: e.target.checked })} data-testid="watch-claude-projects" />
        Claude Code's projects folders (<code>~/.claude/projects</code>, <code>~/.config/claude/projects</code> if there, or each of <code>$CLAUDE_CONFIG_DIR</code>)
      </label>
      <ListEditor label="Folder to tail" placeholder="/path/to/a/claude-flow/project or ~/folder" items={draft.watch} onChange={(watch) => set({ watch })} testId="watch-list" />
      <h4>claude-flow MCP servers to poll</h4>
      <ListEditor label="claude-flow server URL" placeholder="ws://127.0.0.1:3000/ws" items={draft.connect} onChange={(connect) => set({ connect })} testId="connect-list" />
      <h4>Receivers and sampling</h4>
      <div className="form-grid">
        <label className="choice">
          <input type="checkbox" checked={draft.otlpOn} onChange={(e) => set({ otlpOn: e.target.checked })} data-testid="otlp-on" /> OTLP/HTTP receiver on port
        </label>
        <input inputMode="numeric" value={draft.otlpPort} disabled={!draft.otlpOn} onChange={(e) => set({ otlpPort: e.target.value })} aria-label="OTLP port" />
        <label className="choice">
          <input type="checkbox" checked={draft.systemOn} onChange={(e) => set({ systemOn: e.target.checked })} data-testid="system-on" /> Sample this machine every (ms)
        </label>
        <input inputMode="numeric" value={draft.systemIntervalMs} disabled={!draft.systemOn} onChange={(e) => set({ systemIntervalMs: e.target.value })} aria-label="System sampling interval" />
        <label htmlFor="live-rate">Keep this % of WebSocket and OTLP spans and events</label>
        <input id="live-rate" inputMode="decimal" value={draft.ratePct} onChange={(e) => set({ ratePct: e.target.value })} data-testid="sample-rate" />
        <label htmlFor="live-budget">Adaptive budget, records/s (empty: off)</label>
        <input id="live-budget" inputMode="numeric" value={draft.budgetPerSec} onChange={(e) => set({ budgetPerSec: e.target.value })} />
        <label htmlFor="live-slow">Always keep spans of at least (ms)</label>
        <input id="live-slow" inputMode="numeric" value={draft.slowMs} onChange={(e) => set({ slowMs: e.target.value })} />
      </div>
      <p className="muted small">Errors are always kept; kept records carry the rate, so counts can be re-weighted.</p>
      <button type="submit" disabled={!dirty} data-testid="live-save">Save live settings</button>
      {note && !dirty && <p className="muted">{note}</p>}
      {error && <p className="error" data-testid="live-error">{error}</p>}

      <h4>Running now</h4>
      {health && (
        <p className="muted" data-testid="sampling">
          Sampling: {(100 * health.sampling.rate).toFixed(0)} % in force (configured {(100 * health.sampling.baseRate).toFixed(0)} %), budget {health.sampling.budgetPerSec === null ? 'off' : `${health.sampling.budgetPerSec} records/s`}, spans of at least {health.sampling.slowMs} ms always kept.
        </p>
      )}
      {health && health.sources.length > 0 ? (
        <table className="agents" data-testid="live-sources-table">
          <thead><tr><th>Source</th><th>Kind</th><th>State</th><th>Received</th><th>Written</th><th>Dropped</th><th>Last error</th></tr></thead>
          <tbody>{health.sources.map((s) => <tr key={s.id}><td>{s.label}</td><td>{s.kind}</td><td>{s.state}</td><td>{s.received}</td><td>{s.written}</td><td>{s.dropped}</td><td>{s.lastError?.message ?? ''}</td></tr>)}</tbody>
        </table>
      ) : <p className="muted">No live source is running here. The desktop app and <code>swarmscope serve</code> start the sources above; Claude Code hooks post to them with <code>swarmscope-hook</code>.</p>}
    </form>
  )
}
