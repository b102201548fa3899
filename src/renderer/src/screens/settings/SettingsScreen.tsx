import { useEffect, useState } from 'react'
import type { Health } from '../../../../shared/dto'
import type { Sources } from '../../../../shared/integrations-dto'
import { client } from '../../client'
import { SCHEMES, useSettings, type SchemeId, type ThemeMode } from '../../stores/settings'
import { LiveSettings } from './LiveSettings'
import { PricingSettings } from './PricingSettings'
import { PrivacySettings } from './PrivacySettings'

const THEMES: { id: ThemeMode; label: string }[] = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
]

export function SettingsScreen() {
  const { theme, scheme, setTheme, setScheme } = useSettings()
  const [health, setHealth] = useState<Health | null>(null)
  const [sources, setSources] = useState<Sources | null>(null)
  useEffect(() => {
    void client.call('system.health', {}).then((r) => r.ok && setHealth(r.data))
    void client.call('sources.list', {}).then((r) => r.ok && setSources(r.data))
  }, [])

  return (
    <section className="settings" aria-label="Settings">
      <h1>Settings</h1>
      <div className="grid-2">
        <section className="panel">
          <h3>Theme</h3>
          <div className="choices" role="radiogroup" aria-label="Theme">
            {THEMES.map((t) => (
              <label key={t.id} className={theme === t.id ? 'choice on' : 'choice'}>
                <input type="radio" name="theme" checked={theme === t.id} onChange={() => setTheme(t.id)} data-testid={`theme-${t.id}`} /> {t.label}
              </label>
            ))}
          </div>
          <h3>Chart colours</h3>
          <div className="choices" role="radiogroup" aria-label="Colour scheme">
            {(Object.keys(SCHEMES) as SchemeId[]).map((id) => (
              <label key={id} className={scheme === id ? 'choice on' : 'choice'}>
                <input type="radio" name="scheme" checked={scheme === id} onChange={() => setScheme(id)} data-testid={`scheme-${id}`} />
                <span className="swatches">{SCHEMES[id].colours.map((c) => <span key={c} style={{ background: c }} />)}</span>
                {SCHEMES[id].label}{SCHEMES[id].note && <span className="muted small"> — {SCHEMES[id].note}</span>}
              </label>
            ))}
          </div>
        </section>
        <section className="panel">
          <h3>Data</h3>
          <dl className="facts">
            <dt>Database</dt><dd><code data-testid="db-path">{health?.dbPath ?? '…'}</code></dd>
            <dt>Runs stored</dt><dd>{health?.runs ?? '…'}</dd>
            <dt>Schema version</dt><dd>{health?.schemaVersion ?? '…'}</dd>
            <dt>Swarmscope</dt><dd>{health?.version ?? '…'}</dd>
          </dl>
          <p className="muted">To keep the data elsewhere, start Swarmscope with <code>--db PATH</code>, <code>SWARMSCOPE_DB</code> or <code>SWARMSCOPE_DATA_DIR</code>. Text of prompts and tool calls is stored only as chosen under What imports keep.</p>
        </section>
      </div>
      <section className="panel">
        <h3>Live collection</h3>
        <LiveSettings />
        {sources && (
          <>
            <h3>Where your agents write their logs</h3>
            <ul className="locations">{sources.locations.map((l) => <li key={l.path}><code>{l.path}</code> — {l.name}{l.exists ? ` (${l.entries ?? 0} entries)` : ' (not on this machine)'}</li>)}</ul>
          </>
        )}
      </section>
      <section className="panel">
        <h3>What imports keep</h3>
        <PrivacySettings />
      </section>
      <section className="panel">
        <h3>Pricing overrides</h3>
        <PricingSettings />
      </section>
    </section>
  )
}
