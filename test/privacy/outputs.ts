import { execFileSync } from 'node:child_process'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore, type Core } from '../../src/core'
import type { AnonymizeRequest } from '../../src/shared/anonymize'
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract'
import { tempDb, tempDir } from '../helpers/temp'
import { USER, allText, plantIdentities, plantSecrets, writeNdjsonRun, writeTranscript } from './planted'

// Every way a run leaves the machine through the core: reports in each format (a PDF read back
// as text with pdftotext), Markdown's chart files, CSV/NDJSON/OTLP exports and a bundle.

export interface Output {
  name: string
  text: string
  bytes?: Buffer
}

export async function ok<R extends RouteName>(core: Core, route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
  const r = await core.call(route, input)
  if (!r.ok) throw new Error(`${route}: ${r.error.message}`)
  return r.data
}

/**
 * A store holding a transcript and an NDJSON run with planted secrets and identities, imported
 * with full text: what the anonymized outputs must hide (`secrets`, and the identifying `names`).
 */
export async function importPlanted() {
  const planted = plantSecrets()
  const id = plantIdentities()
  const dir = tempDir()
  const t = writeTranscript(dir, planted)
  writeNdjsonRun(dir, planted, id)
  const db = tempDb()
  const core = createCore({ path: db })
  await ok(core, 'import.paths', { paths: [dir], content: 'full', group: id.group, tags: { owner: id.tag } })
  const secrets = planted.flatMap((x) => x.needles)
  const names = ['webapp', USER, t.session, t.session.slice(0, 8), t.runId, id.runId, id.runName, id.host, id.agent, id.group, id.tag, 'sub1']
  return { core, db, t, id, secrets, names }
}

// Tool results are plain JSON; the tests say what each field must equal.
type Structured = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls an MCP client's tools, failing on a tool error and keeping every answer's text for the leak search. */
export function mcpTools(client: Client) {
  const answers: string[] = []
  const tool = async (name: string, args: Record<string, unknown> = {}): Promise<Structured> => {
    const res = await client.callTool({ name, arguments: args })
    expect(res.isError, `${name}: ${JSON.stringify(res.content)}`).toBeFalsy()
    answers.push(JSON.stringify(res.content))
    return res.structuredContent as Structured
  }
  return { tool, answers }
}

/** The text of a PDF, as a reader would copy it out (poppler's pdftotext). */
export function pdfText(base64: string): string {
  const file = join(tempDir(), 'report.pdf')
  writeFileSync(file, Buffer.from(base64, 'base64'))
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

export interface Targets {
  /** One run (reported in every format). */
  run: string
  group: string
  /** baseline..candidate */
  comparison: string
  /** What to export and bundle. */
  runs: string[]
}

export interface Collected {
  outputs: Output[]
  reportJson: string
  ndjson: string
  runsCsv: string
  otlp: string
  bundle: Buffer
}

export async function collectOutputs(core: Core, t: Targets, anonymize?: AnonymizeRequest, opts: { pdf?: boolean } = {}): Promise<Collected> {
  const outputs: Output[] = []
  const render = async (target: string, format: 'json' | 'md' | 'html' | 'pdf') => {
    const r = await ok(core, 'reports.render', { target, format, anonymize })
    const text = r.encoding === 'base64' ? pdfText(r.content) : r.content
    outputs.push({ name: `report ${target} ${format}`, text }, ...r.files.map((f) => ({ name: `report ${target} ${format}: ${f.name}`, text: f.content })))
    return text
  }
  const reportJson = await render(t.run, 'json')
  await render(t.run, 'md')
  await render(t.run, 'html')
  if (opts.pdf !== false) await render(t.run, 'pdf')
  await render(`group:${t.group}`, 'md')
  await render(t.comparison, 'html')

  const exp = async (format: 'ndjson' | 'otlp' | 'csv', csvTable: 'spans' | 'runs' = 'spans') => {
    const r = await ok(core, 'export.runs', { runs: t.runs, format, csvTable, anonymize })
    outputs.push({ name: `export ${format} ${csvTable}`, text: r.content })
    return r.content
  }
  const ndjson = await exp('ndjson')
  const otlp = await exp('otlp')
  await exp('csv', 'spans')
  const runsCsv = await exp('csv', 'runs')

  const b = await ok(core, 'bundle.export', { runIds: t.runs, anonymize })
  const bundle = Buffer.from(b.file!.content, 'base64')
  const file = join(tempDir(), b.file!.name)
  writeFileSync(file, bundle)
  outputs.push({ name: 'bundle', text: allText(file), bytes: bundle }, { name: 'bundle manifest', text: JSON.stringify(b.manifest) })
  return { outputs, reportJson, ndjson, runsCsv, otlp, bundle }
}

/** `output: needle` for every needle found in any output, as text or (a bundle) as raw bytes. */
export function leaks(outputs: Output[], needles: readonly string[]): string[] {
  return outputs.flatMap((o) => needles.filter((n) => o.text.includes(n) || o.bytes?.includes(Buffer.from(n, 'utf8'))).map((n) => `${o.name}: ${n}`))
}

/** Every number in a value, sorted: what anonymizing must leave as it was (order aside). */
export function numbers(v: unknown): number[] {
  const out: number[] = []
  const walk = (x: unknown) => {
    if (typeof x === 'number') out.push(x)
    else if (Array.isArray(x)) x.forEach(walk)
    else if (x && typeof x === 'object') Object.values(x).forEach(walk)
  }
  walk(v)
  return out.sort((a, b) => a - b)
}

/** Sums of every numeric field of the NDJSON span lines, and the summed span durations. */
export function ndjsonTotals(ndjson: string) {
  const totals: Record<string, number> = {}
  for (const line of ndjson.split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as Record<string, unknown>
    totals[`lines.${String(r.type)}`] = (totals[`lines.${String(r.type)}`] ?? 0) + 1
    if (r.type !== 'span') continue
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') totals[k] = (totals[k] ?? 0) + v
    if (typeof r.start === 'number' && typeof r.end === 'number') totals.durationMs = (totals.durationMs ?? 0) + r.end - r.start
  }
  return totals
}
