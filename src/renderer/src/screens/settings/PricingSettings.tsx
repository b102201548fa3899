import { useEffect, useState } from 'react'
import type { PriceTableView } from '../../../../shared/integrations-dto'
import { client } from '../../client'

/** The prices in force, with the user's overrides; an override reprices the stored runs it affects. */
export function PricingSettings() {
  const [table, setTable] = useState<PriceTableView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const [form, setForm] = useState({ match: '', input: '', output: '' })
  const load = () => void client.call('pricing.get', {}).then((r) => (r.ok ? setTable(r.data) : setError(r.error.message)))
  useEffect(load, [])
  const save = async () => {
    const res = await client.call('pricing.set', { match: form.match.trim(), input: Number(form.input), output: Number(form.output) })
    if (!res.ok) return setError(res.error.message)
    setError(null)
    setNote(`Repriced ${res.data.recomputed.spans} LLM calls in ${res.data.recomputed.runs} runs.`)
    setForm({ match: '', input: '', output: '' })
    setTable(res.data.table)
  }
  const unset = async (match: string) => {
    const res = await client.call('pricing.unset', { match })
    if (!res.ok) return setError(res.error.message)
    setTable(res.data.table)
  }
  if (!table) return error ? <p className="error">{error}</p> : <p className="muted loading">Loading prices…</p>
  return (
    <div data-testid="pricing">
      <p className="muted">USD per million tokens, price table of {table.version}. Cache write 5 m / 1 h and cache read default to 1.25× / 2× / 0.1× the input price.</p>
      <div className="table-scroll short">
        <table className="agents">
          <thead><tr><th>Model (prefix)</th><th>Input</th><th>Output</th><th>Cache write 5 m</th><th>Cache read</th><th></th></tr></thead>
          <tbody>
            {table.models.map((m) => (
              <tr key={m.match} data-model={m.match}>
                <td>{m.match}{m.origin === 'override' && <span className="badge neutral">override</span>}</td><td>{m.input}</td><td>{m.output}</td><td>{m.cacheWrite5m}</td><td>{m.cacheRead}</td>
                <td>{m.origin === 'override' && <button className="link" onClick={() => void unset(m.match)}>remove</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void save())}>
        <input placeholder="model prefix, e.g. claude-sonnet-4-5" value={form.match} onChange={(e) => setForm({ ...form, match: e.target.value })} aria-label="Model prefix" />
        <input placeholder="input $/MTok" inputMode="decimal" value={form.input} onChange={(e) => setForm({ ...form, input: e.target.value })} aria-label="Input price" />
        <input placeholder="output $/MTok" inputMode="decimal" value={form.output} onChange={(e) => setForm({ ...form, output: e.target.value })} aria-label="Output price" />
        <button type="submit" disabled={!form.match || !form.input || !form.output}>Set price</button>
      </form>
      {note && <p className="muted">{note}</p>}
      {error && <p className="error">{error}</p>}
    </div>
  )
}
