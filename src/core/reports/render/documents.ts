import type { ChartSpec, ReportModel, ReportTable } from '../../../shared/report-model'
import { escapeHtml, escapeMarkdown, renderTemplate } from '../templates/engine'
import { STYLES } from '../templates/layouts'
import type { TemplateDef } from '../templates/registry'

// Layout of the report model as HTML (one self-contained file, charts inline) or Markdown
// (GFM tables, charts as SVG files beside it). Both go through the template's layout; the
// partials below are the only places markup is produced, always from escaped text.

/** Blocks scripts, frames and remote loads in the file itself, whatever a layout contains. */
const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">`

function pick<T extends { id: string }>(list: T[], arg: unknown, kind: string): T | null {
  if (arg && typeof arg === 'object' && 'id' in arg) return list.find((x) => x.id === (arg as { id: unknown }).id) ?? null
  if (typeof arg === 'string') return list.find((x) => x.id === arg) ?? null
  if (arg === undefined) throw new Error(`{{> ${kind}}} needs a ${kind} or its id`)
  return null
}

function htmlTable(t: ReportTable): string {
  const e = escapeHtml
  const head = t.columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${e(c.label)}</th>`).join('')
  const body = t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${t.columns[i]?.align === 'right' ? ' class="r"' : ''}>${e(cell.t)}</td>`).join('')}</tr>`).join('\n')
  const more = t.omitted ? `<p class="omitted">${t.omitted} more rows in the JSON report.</p>` : ''
  return `<h2 id="table-${e(t.id)}">${e(t.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`
}

export function renderHtml(model: ReportModel, template: TemplateDef, svgs: Map<string, string>): string {
  const html = renderTemplate(template.html, model, {
    escape: escapeHtml,
    partials: {
      styles: () => STYLES,
      chart: (arg) => {
        const c = pick(model.charts, arg, 'chart')
        if (!c) return ''
        return `<figure id="chart-${escapeHtml(c.id)}">${svgs.get(c.id) ?? ''}<figcaption>${escapeHtml(c.title)}${c.caption ? ` — ${escapeHtml(c.caption)}` : ''}</figcaption></figure>`
      },
      table: (arg) => {
        const t = pick(model.tables, arg, 'table')
        return t ? htmlTable(t) : ''
      },
    },
  })
  const head = /<head[^>]*>/i.exec(html)
  return head ? html.slice(0, head.index + head[0].length) + '\n' + CSP + html.slice(head.index + head[0].length) : CSP + '\n' + html
}

/** A GFM table cell: escaped, and a literal pipe can never end the cell. */
const mdCell = (s: string) => escapeMarkdown(s) || ' '

function mdTable(t: ReportTable): string {
  const head = `| ${t.columns.map((c) => mdCell(c.label)).join(' | ')} |`
  const rule = `|${t.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`
  const rows = t.rows.map((r) => `| ${r.map((c) => mdCell(c.t)).join(' | ')} |`)
  return [`### ${escapeMarkdown(t.title)}`, '', head, rule, ...rows, ...(t.omitted ? ['', `_${t.omitted} more rows in the JSON report._`] : []), ''].join('\n')
}

export interface MarkdownOutput {
  text: string
  /** Chart files to write beside the Markdown file, by relative path. */
  charts: { path: string; chart: ChartSpec }[]
}

export function renderMarkdown(model: ReportModel, template: TemplateDef, baseName: string): MarkdownOutput {
  const charts: MarkdownOutput['charts'] = []
  const text = renderTemplate(template.md, model, {
    escape: escapeMarkdown,
    partials: {
      styles: () => '',
      chart: (arg) => {
        const c = pick(model.charts, arg, 'chart')
        if (!c) return ''
        const path = `${baseName}-charts/${c.id}.svg`
        if (!charts.some((x) => x.path === path)) charts.push({ path, chart: c })
        return `![${escapeMarkdown(c.title)}](${path})\n\n_${escapeMarkdown(c.title)}${c.caption ? ` — ${escapeMarkdown(c.caption)}` : ''}_`
      },
      table: (arg) => {
        const t = pick(model.tables, arg, 'table')
        return t ? mdTable(t) : ''
      },
    },
  })
  return { text, charts }
}
