import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../', import.meta.url).pathname

/** The sections of docs/cli.md, by command. */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of md.split(/^## /m).slice(1)) out.set(part.slice(0, part.indexOf('\n')), part)
  return out
}

describe('CLI reference (docs/cli.md)', () => {
  it('is what the commands’ own --help prints today (regenerate with `npm run docs:cli`)', { timeout: 90_000 }, () => {
    const r = spawnSync(process.execPath, [`${ROOT}scripts/gen-cli-reference.mjs`, '--check'], { encoding: 'utf8', timeout: 120_000 })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('documents each integration command with an example', () => {
    const doc = sections(readFileSync(`${ROOT}docs/cli.md`, 'utf8'))
    const mine = [
      'export', 'config', 'config list', 'config get', 'config set', 'config reset', 'config path',
      'pricing', 'pricing show', 'pricing set', 'pricing unset', 'pricing recompute',
      'alerts', 'alerts list', 'alerts check', 'alerts test', 'alerts add-rule', 'alerts add-webhook', 'mcp', 'doctor', 'runs group', 'monitor',
    ]
    for (const c of mine) {
      const text = doc.get(`swarmscope ${c}`)
      expect(text, c).toBeDefined()
      expect(text, c).toMatch(/Examples?:\n {2}\S/)
    }
    expect(doc.get('swarmscope mcp')).toContain('claude mcp add swarmscope -- npx swarmscope mcp')
  })
})
