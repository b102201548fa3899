import type { ChartSpec } from '../../../shared/report-model'

// A chart spec (data only) as an ECharts option. Static output: no animation, no tooltips, and
// a legend whenever there is more than one series, so a printed page still says which is which.

type Option = Record<string, unknown>

const PALETTE = ['#3b6fd4', '#e07b39', '#3a9e6e', '#c9463d', '#8a5cc2', '#d4a72c', '#4aa3b5', '#b55d8c', '#6b7a8f', '#9bb83b']

const axisName = (label: string, unit: string) => (unit && label ? `${label} (${unit})` : label || unit)

function axes(spec: ChartSpec): Option {
  // Long or many labels are turned so they do not run into each other.
  const longest = spec.categories.reduce((m, c) => Math.max(m, c.length), 0)
  const rotate = spec.categories.length > 8 || (spec.categories.length > 2 && longest * spec.categories.length > 40) ? 35 : 0
  const x =
    spec.xType === 'category'
      ? { type: 'category', data: spec.categories, name: spec.xLabel, nameLocation: 'middle', nameGap: rotate ? 60 : 28, axisLabel: { interval: 0, rotate, width: 110, overflow: 'truncate' } }
      : { type: spec.xType, name: spec.xLabel, nameLocation: 'middle', nameGap: 28, scale: spec.xType === 'value' }
  return { xAxis: x, yAxis: { type: 'value', name: axisName(spec.yLabel, spec.unit), nameTextStyle: { align: 'left' } } }
}

function cartesian(spec: ChartSpec): Option {
  const area = spec.kind === 'area'
  const series = spec.series.map((s) => {
    if (spec.kind === 'bar' || spec.kind === 'histogram') {
      return { type: 'bar', name: s.name, data: s.values ?? [], barCategoryGap: spec.kind === 'histogram' ? '2%' : '25%' }
    }
    if (spec.kind === 'scatter') return { type: 'scatter', name: s.name, data: s.points ?? [], symbolSize: 4 }
    const data = spec.xType === 'category' ? (s.values ?? []) : (s.points ?? [])
    return { type: 'line', name: s.name, data, showSymbol: data.length <= 40, ...(area ? { areaStyle: { opacity: 0.35 }, stack: 'total' } : {}) }
  })
  return { ...axes(spec), series }
}

function heatmap(spec: ChartSpec): Option {
  const cells = spec.series[0]?.cells ?? []
  const values = cells.flatMap((c) => (c[2] === null ? [] : [c[2]]))
  return {
    xAxis: { type: 'category', data: spec.categories, name: spec.xLabel, nameLocation: 'middle', nameGap: 28, splitArea: { show: true } },
    yAxis: { type: 'category', data: spec.yCategories, name: spec.yLabel, splitArea: { show: true }, axisLabel: { width: 110, overflow: 'truncate' } },
    visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, text: [spec.unit, ''] },
    series: spec.series.map((s) => ({ type: 'heatmap', name: s.name, data: s.cells ?? [], label: { show: spec.categories.length * spec.yCategories.length <= 60 } })),
  }
}

export function chartOption(spec: ChartSpec): Option {
  const base: Option = {
    animation: false,
    color: PALETTE,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'sans-serif' },
    // The caption goes beside the chart (figcaption, Markdown text), not into it: a subtitle
    // collides with the axis name on small charts.
    title: { text: spec.title, left: 'center', top: 6, textStyle: { fontSize: 14 } },
  }
  const legend = { type: 'plain', bottom: 0, left: 'center' }
  if (spec.kind === 'pie') {
    const s = spec.series[0]
    return {
      ...base,
      legend: { ...legend, type: 'scroll' },
      series: [{ type: 'pie', name: s?.name ?? '', radius: ['30%', '60%'], center: ['50%', '50%'], data: spec.categories.map((name, i) => ({ name, value: s?.values?.[i] ?? 0 })), label: { formatter: '{d}%' } }],
    }
  }
  if (spec.kind === 'gauge') {
    const g = spec.gauge ?? { value: 0, min: 0, max: 1 }
    return {
      ...base,
      series: [{ type: 'gauge', name: spec.series[0]?.name ?? spec.title, min: g.min, max: g.max, center: ['50%', '60%'], progress: { show: true }, detail: { formatter: `{value} ${spec.unit}`, fontSize: 18 }, data: [{ value: g.value, name: spec.yLabel }] }],
    }
  }
  const body = spec.kind === 'heatmap' ? heatmap(spec) : cartesian(spec)
  // Lines, areas and scatters always name their series: a line alone does not say what it is.
  const withLegend = spec.series.length > 1 || spec.xType !== 'category'
  return { ...base, ...body, grid: { left: 60, right: 30, top: 64, bottom: withLegend || spec.kind === 'heatmap' ? 90 : 60, containLabel: true }, ...(withLegend ? { legend } : {}) }
}
