import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core'
import { ReportModel } from '../../src/shared/report-model'
import { tempDir } from '../helpers/temp'
import { EVIL, writeRunFile } from './fixture'

// The report cache and user templates, through the core's routes on a real SQLite file.

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

async function withRun<T>(work: (core: Core, dir: string, db: string) => Promise<T>): Promise<T> {
  const dir = tempDir()
  const db = join(dir, 'store', 'c.db')
  const core = createCore({ path: db })
  try {
    const { file } = writeRunFile(dir, { runId: 'cache-run', name: 'cache me', seed: 3, calls: 18 })
    await ok(core.call('import.paths', { paths: [file] }))
    return await work(core, dir, db)
  } finally {
    core.close()
  }
}

const cacheRows = (db: string) => {
  const d = new Database(db, { readonly: true })
  try {
    return d.prepare('SELECT COUNT(*) FROM report_cache').pluck().get() as number
  } finally {
    d.close()
  }
}

describe('report cache', () => {
  it('serves an unchanged report from the cache, renders again when the run changes, and forgets deleted runs', async () => {
    await withRun(async (core, _dir, db) => {
      const render = () => ok(core.call('reports.render', { target: 'cache-run', format: 'json' }))
      const first = await render()
      const second = await render()
      expect([first.cached, second.cached]).toEqual([false, true])
      expect(second.content).toBe(first.content)
      await ok(core.call('runs.rename', { id: 'cache-run', name: 'renamed run' }))
      const third = await render()
      expect(third.cached).toBe(false)
      expect(ReportModel.parse(JSON.parse(third.content)).title).toContain('renamed run')
      // One slot per target, template and format: the stale rendering was replaced, not kept.
      expect(cacheRows(db)).toBe(1)
      await ok(core.call('reports.render', { target: 'cache-run', format: 'md' }))
      expect(cacheRows(db)).toBe(2)
      await ok(core.call('runs.delete', { id: 'cache-run' }))
      expect(cacheRows(db)).toBe(0)
    })
  })
})

describe('user templates', () => {
  it('renders a template folder with its own layouts, escaping every value', async () => {
    await withRun(async (core, dir) => {
      const t = join(dir, 'store', 'templates', 'team')
      mkdirSync(t, { recursive: true })
      writeFileSync(join(t, 'template.json'), JSON.stringify({ title: 'Team digest', titlePrefix: 'Digest', scopes: ['run'], sections: { charts: [], tables: ['agents'], insights: 2 }, html: 'template.html', markdown: 'template.md' }))
      writeFileSync(join(t, 'template.html'), '<!doctype html><html><head><title>{{title}}</title></head><body>\n<h1>{{title}}</h1>\n<ul>{{#each kpis}}<li data-kpi="{{id}}">{{label}}: {{text}}</li>{{/each}}</ul>\n{{> table "agents"}}\n</body></html>\n')
      writeFileSync(join(t, 'template.md'), '# {{title}}\n\n{{#each insights}}- {{title}}\n{{/each}}')
      const list = await ok(core.call('reports.templates', {}))
      expect(list.find((x) => x.id === 'team')).toMatchObject({ title: 'Team digest', builtIn: false, layouts: ['html', 'md'], scopes: ['run'] })
      const html = (await ok(core.call('reports.render', { target: 'cache-run', template: 'team', format: 'html' }))).content
      expect(html).toContain('<h1>Digest: cache me</h1>')
      expect(html).toContain('Content-Security-Policy')
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
      expect(html).not.toContain(EVIL)
      expect(html).toMatch(/<li data-kpi="cost">Total cost: \$[\d.]+<\/li>/)
      const md = (await ok(core.call('reports.render', { target: 'cache-run', template: 'team', format: 'md' }))).content
      expect(md.match(/^- /gm)?.length).toBe(2)
      // A template of run reports refuses a comparison, by name.
      const refused = await core.call('reports.render', { target: 'cache-run..cache-run', template: 'team', format: 'html' })
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'template team is for run reports, not for a comparison (cache-run..cache-run)' } })
    })
  })

  it('names the file and line of a broken template, and of a bad template.json', async () => {
    await withRun(async (core, dir) => {
      const t = join(dir, 'broken')
      mkdirSync(t)
      writeFileSync(join(t, 'template.json'), JSON.stringify({ title: 'Broken', html: 'page.html' }))
      writeFileSync(join(t, 'page.html'), '<p>\n{{#each kpis}}\n{{label}}\n')
      const r = await core.call('reports.render', { target: 'cache-run', template: t, format: 'html' })
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: `${join(t, 'page.html')}:2: {{#each kpis}} is never closed` } })
      writeFileSync(join(t, 'template.json'), '{"title": 3}')
      const bad = await core.call('reports.render', { target: 'cache-run', template: t, format: 'html' })
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(!bad.ok && bad.error.message).toMatch(new RegExp(`^${join(t, 'template.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: title: `))
    })
  })

  it('copies a built-in template into a folder that renders like it', async () => {
    await withRun(async (core, dir) => {
      const { files } = await ok(core.call('reports.templateSource', { id: 'executive' }))
      const t = join(dir, 'mine')
      mkdirSync(t)
      for (const f of files) writeFileSync(join(t, f.name), f.content)
      const builtIn = ReportModel.parse(JSON.parse((await ok(core.call('reports.render', { target: 'cache-run', template: 'executive', format: 'json' }))).content))
      const copy = ReportModel.parse(JSON.parse((await ok(core.call('reports.render', { target: 'cache-run', template: t, format: 'json' }))).content))
      const strip = (m: ReportModel) => ({ ...m, generatedAt: '', template: null, title: '' })
      expect(strip(copy)).toEqual(strip(builtIn))
      expect(copy.template.id).toBe('my-executive')
    })
  })
})
