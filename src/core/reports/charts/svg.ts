import type { ChartSpec } from '../../../shared/report-model'
import { chartOption } from './options'

// Charts without a browser: ECharts' server-side SVG renderer. It needs no DOM, so it may live
// in the core; it is loaded on first use, which keeps commands that draw nothing quick to start.

interface SsrChart {
  setOption(option: unknown): void
  renderToSVGString(): string
  dispose(): void
}
type EChartsModule = { init(dom: null, theme: null, opts: { renderer: 'svg'; ssr: true; width: number; height: number }): SsrChart }

let loading: Promise<EChartsModule> | null = null
// Loaded dynamically: the core's lint rule keeps ECharts' browser build out of static imports;
// its SSR mode (renderer 'svg', ssr true) touches no DOM.
const loadECharts = () => (loading ??= import('echarts') as unknown as Promise<EChartsModule>)

export interface ChartSize {
  width: number
  height: number
}

export async function renderChartSvg(spec: ChartSpec, size: ChartSize): Promise<string> {
  const echarts = await loadECharts()
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height })
  try {
    chart.setOption(chartOption(spec))
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

export async function renderChartSvgs(specs: ChartSpec[], size: ChartSize): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const s of specs) out.set(s.id, await renderChartSvg(s, size))
  return out
}
