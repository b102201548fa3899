import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/core'
import { ReportModel } from '../../src/shared/report-model'
import { startHost } from '../../src/server/host'
import { tempDir } from '../helpers/temp'
import { writeRunFile } from './fixture'

// What the UI's export dialog calls: the report routes over the local host's REST API, with the token.

describe('reports over REST', () => {
  it('lists templates, serves the model schema, renders a report and a chart, and lists chart metrics', async () => {
    const dir = tempDir()
    const core = createCore({ path: `${dir}/r.db` })
    const host = await startHost({ core, token: 'tok', port: 0 })
    try {
      const { file, facts } = writeRunFile(dir, { runId: 'rest-run', name: 'rest run', seed: 4, calls: 12 })
      await core.call('import.paths', { paths: [file] })
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`http://127.0.0.1:${host.port}/api/v1${path}`, { ...init, headers: { authorization: 'Bearer tok', 'content-type': 'application/json', ...init.headers } }).then((r) => r.json() as Promise<{ ok: boolean; data: never }>)
      const templates = await api('/reports/templates')
      expect((templates.data as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining(['executive', 'full', 'comparison']))
      const schema = (await api('/reports/schema')).data as { schemaVersion: number; jsonSchema: { properties: Record<string, unknown> } }
      expect(schema.schemaVersion).toBe(1)
      expect(Object.keys(schema.jsonSchema.properties)).toEqual(expect.arrayContaining(['kpis', 'charts', 'insights', 'recommendations', 'methodology']))
      const json = (await api('/reports/render', { method: 'POST', body: JSON.stringify({ target: 'rest-run', template: 'executive', format: 'json' }) })).data as { content: string; encoding: string; mimeType: string }
      expect(json).toMatchObject({ encoding: 'utf8', mimeType: 'application/json' })
      expect(ReportModel.parse(JSON.parse(json.content)).kpis.find((k) => k.id === 'cost')?.value).toBeCloseTo(facts.costUsd, 9)
      const chart = (await api('/runs/rest-run/chart', { method: 'POST', body: JSON.stringify({ chart: 'bar', metric: 'cost_usd', format: 'svg', width: 500, height: 300 }) })).data as { content: string }
      expect(chart.content).toMatch(/^<svg width="500" height="300"/)
      const metrics = (await api('/runs/rest-run/chart-metrics')).data as { metric: string; observations: number }[]
      expect(metrics.find((m) => m.metric === 'cost_usd')?.observations).toBe(facts.llmCalls)
      const denied = await fetch(`http://127.0.0.1:${host.port}/api/v1/reports/templates`)
      expect(denied.status).toBe(401)
    } finally {
      await host.close()
      core.close()
    }
  })
})
