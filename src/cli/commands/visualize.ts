import { extname } from 'node:path'
import type { Command } from 'commander'
import { call, CliError, openCore, printJson, type GlobalOptions } from '../context'
import { table } from '../format'
import { writeRendered } from './report'

const CHARTS = ['line', 'bar', 'scatter', 'pie', 'histogram', 'heatmap', 'area', 'gauge'] as const
const IMAGES = ['svg', 'png', 'jpeg'] as const

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name} must be a positive number, got "${v}"`, 2)
  return n
}

export function registerVisualize(program: Command): void {
  program
    .command('visualize')
    .description('draw one metric of a run as a chart (SVG without a browser; PNG/JPEG through Chromium)')
    .argument('<run>', "run id or 'latest'")
    .option('--chart <kind>', CHARTS.join(', '), 'line')
    .option('--metric <name>', 'llm_latency_ms, tool_latency_ms, tokens_per_llm_call, output_tokens, cost_usd, or a stored metric (see --list)')
    .option('--format <format>', 'svg, png or jpeg (default: from --out, else svg)')
    .option('--width <px>', 'width in CSS pixels', '800')
    .option('--height <px>', 'height in CSS pixels', '450')
    .option('--scale <n>', 'pixel ratio for PNG/JPEG (2 = twice the pixels)', '1')
    .option('--out <file>', 'file to write; without it, SVG goes to stdout')
    .option('--list', 'list the metrics this run can draw')
    .addHelpText('after', `
Examples:
  swarmscope visualize latest --chart histogram --metric llm_latency_ms --out latency.svg
  swarmscope visualize latest --chart pie --metric cost_usd --format png --scale 2 --out cost.png
  swarmscope visualize latest --list`)
    .action(async (ref: string, o: { chart: string; metric?: string; format?: string; width: string; height: string; scale: string; out?: string; list?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const core = openCore(opts)
      try {
        if (o.list) {
          const metrics = await call(core, 'reports.chartMetrics', { id: ref })
          if (opts.json) return printJson(metrics)
          return console.log(table([['metric', 'unit', 'from', 'values'], ...metrics.map((m) => [m.metric, m.unit, m.source, String(m.observations)])]))
        }
        if (!o.metric) throw new CliError('name a --metric (or --list the ones this run has)', 2)
        if (!CHARTS.includes(o.chart as (typeof CHARTS)[number])) throw new CliError(`--chart must be one of ${CHARTS.join(', ')}, got "${o.chart}"`, 2)
        const format = (o.format ?? (o.out ? extname(o.out).slice(1) : 'svg')).toLowerCase().replace(/^jpg$/, 'jpeg') as (typeof IMAGES)[number]
        if (!IMAGES.includes(format)) throw new CliError(`--format must be one of ${IMAGES.join(', ')}, got "${format}"`, 2)
        if (format !== 'svg' && !o.out) throw new CliError(`a ${format.toUpperCase()} image is binary: pass --out FILE`, 2)
        const r = await call(core, 'reports.chart', {
          id: ref, chart: o.chart as (typeof CHARTS)[number], metric: o.metric, format,
          width: int('--width', o.width), height: int('--height', o.height), scale: int('--scale', o.scale),
        })
        if (!o.out) return void process.stdout.write(r.content)
        const [path] = writeRendered(o.out, r)
        if (opts.json) printJson({ file: path, bytes: r.bytes, format: r.format })
        else console.error(`wrote ${path} (${r.bytes.toLocaleString('en-US')} bytes)`)
      } finally {
        core.close()
      }
    })
}
