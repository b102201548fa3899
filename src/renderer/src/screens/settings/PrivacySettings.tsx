import { useEffect, useState } from 'react'
import type { ContentPolicy } from '../../../../shared/dto'
import { client } from '../../client'

const POLICIES: { id: ContentPolicy; label: string; note: string }[] = [
  { id: 'none', label: 'Numbers only', note: 'no prompt, response or tool text: timings, tokens, costs, sizes and names (the default)' },
  { id: 'redacted', label: 'Redacted text', note: 'also the text of prompts, answers and tool calls, with keys, passwords, emails and home folders replaced' },
  { id: 'full', label: 'Full text', note: 'stores prompts, answers, tool calls and code exactly as read, secrets included, in this database' },
]

/** The content policy of imports that do not choose one (privacy.contentPolicy in config.json). */
export function PrivacySettings() {
  const [policy, setPolicy] = useState<ContentPolicy | null>(null)
  const [mcpAnonymous, setMcpAnonymous] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(
    () =>
      void client.call('config.get', {}).then((r) => {
        if (!r.ok) return setError(r.error.message)
        setPolicy(r.data.config.privacy.contentPolicy)
        setMcpAnonymous(r.data.config.privacy.anonymizeMcp)
      }),
    [],
  )
  const setMcp = async (on: boolean) => {
    setMcpAnonymous(on)
    const res = await client.call('config.set', { values: { 'privacy.anonymizeMcp': on } })
    if (!res.ok) {
      setMcpAnonymous(!on)
      return setError(res.error.message)
    }
    setError(null)
    setSaved(res.data.path ? `Saved to ${res.data.path}` : 'Saved for this session (the database is in memory)')
  }
  const choose = async (next: ContentPolicy) => {
    const before = policy
    setPolicy(next)
    setSaved(null)
    const res = await client.call('config.set', { values: { 'privacy.contentPolicy': next } })
    if (!res.ok) {
      setPolicy(before)
      return setError(res.error.message)
    }
    setError(null)
    setPolicy(res.data.config.privacy.contentPolicy)
    setSaved(res.data.path ? `Saved to ${res.data.path}` : 'Saved for this session (the database is in memory)')
  }
  if (!policy) return error ? <p className="error">{error}</p> : <p className="muted loading">Loading…</p>
  return (
    <div data-testid="content-policy">
      <div className="choices" role="radiogroup" aria-label="What imports keep">
        {POLICIES.map((p) => (
          <label key={p.id} className={policy === p.id ? 'choice on' : 'choice'}>
            <input type="radio" name="content-policy" checked={policy === p.id} onChange={() => void choose(p.id)} data-testid={`content-policy-${p.id}`} />{' '}
            <strong>{p.label}</strong> <code>{p.id}</code>
            <span className={p.id === 'full' ? 'warn small' : 'muted small'}> — {p.note}</span>
          </label>
        ))}
      </div>
      {policy === 'full' && <p className="warn" data-testid="content-policy-warning">Full text keeps prompts and source code unredacted on this machine. Reports and exports never include it, a bundle only when asked (<code>swarmscope bundle export --content</code>); deleting a run removes it from the file.</p>}
      <p className="muted">Applies to imports that do not choose (<code>swarmscope import --content</code> still wins). Each run keeps the policy it was imported under; it is shown in the run&apos;s header.</p>
      <label className={mcpAnonymous ? 'choice on' : 'choice'}>
        <input type="checkbox" checked={mcpAnonymous} onChange={(e) => void setMcp(e.target.checked)} data-testid="anonymize-mcp" />
        Agents asking over MCP (<code>/mcp</code> of this app or host) get pseudonyms instead of run, agent, project and host names
      </label>
      {saved && <p className="muted" role="status" data-testid="content-policy-saved">{saved}</p>}
      {error && <p className="error">{error}</p>}
    </div>
  )
}
