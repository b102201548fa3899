import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { z } from 'zod'
import { CoreError } from '../../../shared/result'
import { HTML_LAYOUT, MARKDOWN_LAYOUT } from './layouts'
import { parseTemplate, type Template } from './engine'

// Which parts of the report model a template shows. The built-in templates are three such
// selections over the built-in layouts; a user template is a folder with template.json (the
// same selection) and, optionally, its own HTML and Markdown layouts (docs/templates.md).

const ScopeKind = z.enum(['run', 'group', 'comparison'])
const Pick = z.union([z.literal('all'), z.array(z.string())])

export const Sections = z.object({
  summary: z.boolean().default(true),
  kpis: z.number().int().min(0).default(100),
  charts: Pick.default('all'),
  tables: Pick.default('all'),
  verdicts: z.boolean().default(true),
  insights: z.number().int().min(0).default(100),
  recommendations: z.number().int().min(0).default(100),
  anomalies: z.number().int().min(0).default(25),
  methodology: z.boolean().default(true),
})
export type Sections = z.output<typeof Sections>

export const TemplateManifest = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _').optional(),
  title: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  scopes: z.array(ScopeKind).min(1).default(['run', 'group', 'comparison']),
  /** Prefix of the report title; the subject (run name, group, comparison) follows it. */
  titlePrefix: z.string().max(200).optional(),
  sections: Sections.default(Sections.parse({})),
  html: z.string().regex(/^[\w.-]+$/, 'a file name inside the template folder').optional(),
  markdown: z.string().regex(/^[\w.-]+$/, 'a file name inside the template folder').optional(),
})

export interface TemplateDef {
  id: string
  title: string
  description: string
  scopes: z.infer<typeof ScopeKind>[]
  titlePrefix: string
  sections: Sections
  builtIn: boolean
  path: string | null
  html: Template
  md: Template
  /** Text that identifies the template's content, for the report cache key. */
  fingerprint: string
}

const htmlLayout = parseTemplate(HTML_LAYOUT, 'built-in layout.html')
const mdLayout = parseTemplate(MARKDOWN_LAYOUT, 'built-in layout.md')

const builtIn = (id: string, title: string, description: string, scopes: TemplateDef['scopes'], sections: Partial<Sections>): TemplateDef => ({
  id, title, description, scopes, titlePrefix: title, sections: Sections.parse(sections), builtIn: true, path: null, html: htmlLayout, md: mdLayout, fingerprint: `builtin:${id}`,
})

export const BUILT_IN: TemplateDef[] = [
  builtIn('executive', 'Executive summary', 'One or two pages: the summary, six KPIs, two charts, the top insights and recommendations.', ['run', 'group', 'comparison'], {
    kpis: 6, charts: ['cost-by-agent', 'llm-latency', 'cost-per-run', 'wall-per-run', 'change-by-metric'], tables: [], insights: 3, recommendations: 3, anomalies: 0,
  }),
  builtIn('full', 'Full report', 'Everything: KPIs, every chart, agent, tool and model tables, anomalies, insights with confidence, recommendations and methodology.', ['run', 'group', 'comparison'], {}),
  builtIn('comparison', 'Comparison report', 'Baseline against candidates: verdicts per metric with p-values and effect sizes, ranking, where cost and time moved, recommendations.', ['comparison'], {}),
]

/** Loads a user template folder; every problem names the file it is in. */
export function loadTemplateFolder(dir: string): TemplateDef {
  const manifestPath = join(dir, 'template.json')
  if (!existsSync(manifestPath)) throw new CoreError('not_found', `${dir} is not a template folder: it has no template.json`)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'))
  } catch (e) {
    throw new CoreError('bad_request', `${manifestPath}: not valid JSON (${(e as Error).message})`)
  }
  const parsed = TemplateManifest.safeParse(raw)
  if (!parsed.success) throw new CoreError('bad_request', `${manifestPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'template'}: ${i.message}`).join('; ')}`)
  const m = parsed.data
  const layout = (file: string | undefined, fallback: Template) => {
    if (!file) return { t: fallback, text: '' }
    const p = join(dir, file)
    if (!existsSync(p)) throw new CoreError('not_found', `${manifestPath}: names ${file}, which is not in the folder`)
    const text = readFileSync(p, 'utf8')
    return { t: parseTemplate(text, p), text }
  }
  const html = layout(m.html, htmlLayout)
  const md = layout(m.markdown, mdLayout)
  const id = m.id ?? basename(dir).toLowerCase().replace(/[^a-z0-9_-]+/g, '-')
  return {
    id, title: m.title, description: m.description, scopes: m.scopes, titlePrefix: m.titlePrefix ?? m.title, sections: m.sections,
    builtIn: false, path: dir, html: html.t, md: md.t, fingerprint: JSON.stringify([m, html.text, md.text]),
  }
}

/** The user's template folders: each sub-folder of `<data dir>/templates` with a template.json. */
export function userTemplateDirs(templatesDir: string): string[] {
  if (!existsSync(templatesDir)) return []
  return readdirSync(templatesDir)
    .map((name) => join(templatesDir, name))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'template.json')))
    .sort()
}

/**
 * A template by built-in id, by the id of a folder under templatesDir, or by a folder path
 * (anything containing a slash, or an existing folder).
 */
export function resolveTemplate(ref: string, templatesDir: string, cwd = process.cwd()): TemplateDef {
  const b = BUILT_IN.find((t) => t.id === ref)
  if (b) return b
  const looksLikePath = ref.includes('/') || ref.includes('\\') || ref.startsWith('.')
  if (looksLikePath) return loadTemplateFolder(isAbsolute(ref) ? ref : resolve(cwd, ref))
  for (const dir of userTemplateDirs(templatesDir)) {
    const t = loadTemplateFolder(dir)
    if (t.id === ref) return t
  }
  throw new CoreError('not_found', `no template "${ref}": use executive, full or comparison, a folder path, or a folder under ${templatesDir}`)
}

export function listTemplates(templatesDir: string) {
  const info = (t: TemplateDef) => ({
    id: t.id, title: t.title, description: t.description, scopes: t.scopes, builtIn: t.builtIn, path: t.path,
    layouts: [...(t.html !== htmlLayout ? ['html' as const] : []), ...(t.md !== mdLayout ? ['md' as const] : [])],
  })
  const user = userTemplateDirs(templatesDir).flatMap((dir) => {
    try {
      return [info(loadTemplateFolder(dir))]
    } catch (e) {
      // Listed anyway, with the reason (file and line), so a typo does not make it vanish.
      return [{ id: basename(dir), title: basename(dir), description: `cannot be used: ${(e as Error).message}`, scopes: [], builtIn: false, path: dir, layouts: [] }]
    }
  })
  return [...BUILT_IN.map(info), ...user]
}

/** The files of a template as a user template folder would hold them: the starting point for one's own. */
export function templateSource(ref: string, templatesDir: string): { files: { name: string; content: string }[] } {
  const t = resolveTemplate(ref, templatesDir)
  const manifest = { id: `my-${t.id}`, title: `My ${t.title.toLowerCase()}`, description: t.description, scopes: t.scopes, titlePrefix: t.titlePrefix, sections: t.sections, html: 'template.html', markdown: 'template.md' }
  const read = (file: string | undefined, fallback: string) => (t.path && file ? readFileSync(join(t.path, file), 'utf8') : fallback)
  const raw = t.path ? (JSON.parse(readFileSync(join(t.path, 'template.json'), 'utf8')) as { html?: string; markdown?: string }) : {}
  return {
    files: [
      { name: 'template.json', content: JSON.stringify(manifest, null, 2) + '\n' },
      { name: 'template.html', content: read(raw.html, HTML_LAYOUT) },
      { name: 'template.md', content: read(raw.markdown, MARKDOWN_LAYOUT) },
    ],
  }
}
