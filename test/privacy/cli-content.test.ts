import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDb, tempDir } from '../helpers/temp'
import { foundIn, plantSecrets, writeTranscript } from './planted'

const BIN = new URL('../../bin/swarmscope.mjs', import.meta.url).pathname
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('swarmscope import --content', () => {
  it('keeps no text by default, redacted text with --content redacted, shown by runs content; delete purges', () => {
    const planted = plantSecrets()
    const dir = tempDir()
    const t = writeTranscript(dir, planted)
    const db = tempDb()
    const none = cli(['import', dir, '--json', '--db', db])
    expect(none.code).toBe(0)
    expect(JSON.parse(none.stdout).runs[0].contentPolicy).toBe('none')
    expect(JSON.parse(cli(['runs', 'content', 'latest', '--json', '--db', db]).stdout).items).toEqual([])

    const rules = join(tempDir(), 'rules.json')
    writeFileSync(rules, JSON.stringify([{ id: 'deploy', pattern: 'Deploy the app' }]))
    const redacted = cli(['import', dir, '--content', 'redacted', '--redact-rules', rules, '--json', '--db', db])
    expect(redacted.code).toBe(0)
    expect(JSON.parse(redacted.stdout).runs[0].contentPolicy).toBe('redacted')
    const shown = cli(['runs', 'content', t.runId, '--span', `prompt:u-1`, '--db', db])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('[REDACTED:deploy] please')
    expect(shown.stdout).toContain('[REDACTED:anthropic-key]')
    expect(foundIn(db, planted)).toEqual([])

    expect(cli(['import', dir, '--content', 'everything', '--db', db]).code).toBe(2)
    expect(cli(['runs', 'delete', t.runId, '--db', db]).code).toBe(0)
    expect(foundIn(db, planted)).toEqual([])
  })

  it('takes the default policy from the privacy.contentPolicy setting; --content still decides per import', () => {
    const planted = plantSecrets()
    const dir = tempDir()
    const t = writeTranscript(dir, planted)
    const db = tempDb()
    expect(cli(['config', 'set', 'privacy.contentPolicy', 'redacted', '--db', db]).code).toBe(0)
    const imported = JSON.parse(cli(['import', dir, '--json', '--db', db]).stdout)
    expect(imported.runs[0].contentPolicy).toBe('redacted')
    const items = JSON.parse(cli(['runs', 'content', t.runId, '--json', '--db', db]).stdout).items
    expect(items.length).toBeGreaterThan(0)
    expect(foundIn(db, planted)).toEqual([])

    const other = tempDb()
    expect(cli(['config', 'set', 'privacy.contentPolicy', 'full', '--db', other]).code).toBe(0)
    expect(JSON.parse(cli(['import', dir, '--content', 'none', '--json', '--db', other]).stdout).runs[0].contentPolicy).toBe('none')
    expect(foundIn(other, planted)).toEqual([])
  })
})
