import { duration, usd } from '../../../../shared/format'
import type { ChartOption } from '../../charts/echarts'
import type { ChartTheme } from '../../charts/theme'
import { improvementPct, VERDICT_LABEL, type Comparison } from '../../stores/compare'

// Charts of the compare screen: the matrix of verdicts, overlaid distributions, per-agent and
// per-tool differences, and the ranking's contributions.

export function matrixOption(cs: Comparison[], labels: string[], t: ChartTheme): ChartOption {
  const metrics = cs[0]?.metrics ?? []
  const cells = cs.flatMap((c, x) =>
    c.metrics.map((m, y) => {
      const imp = improvementPct(m)
      // Colour only what the test found significant; the rest stays neutral.
      const v = m.verdict === 'improved' || m.verdict === 'regressed' ? Math.max(-50, Math.min(50, imp ?? 0)) : 0
      return { value: [x, y, v], verdict: m.verdict, change: m.changePct }
    }),
  )
  return {
    grid: { left: 8, right: 20, top: 10, bottom: 56, containLabel: true },
    tooltip: { formatter: (p: { data: { verdict: string; change: number | null }; value: number[] }) => `${metrics[p.value[1]]?.label} — ${labels[p.value[0]]}<br/>${p.data.change === null ? '—' : `${p.data.change > 0 ? '+' : ''}${p.data.change.toFixed(1)} %`} · ${VERDICT_LABEL[p.data.verdict]}` },
    xAxis: { type: 'category', data: labels, axisLabel: { width: 160, overflow: 'truncate' } },
    yAxis: { type: 'category', data: metrics.map((m) => m.label), inverse: true },
    visualMap: { min: -50, max: 50, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, text: ['better', 'worse'], textStyle: { color: t.muted }, inRange: { color: [t.bad, t.dark ? '#2a2f38' : '#eef0f4', t.good] } },
    series: [{
      type: 'heatmap', data: cells, progressive: 0,
      label: { show: true, color: t.text, fontSize: 11, lineHeight: 15, formatter: (p: { data: { verdict: string; change: number | null } }) => `${p.data.change === null ? '—' : `${p.data.change > 0 ? '+' : ''}${p.data.change.toFixed(0)} %`}\n${VERDICT_LABEL[p.data.verdict]}` },
    }],
  }
}

export interface Distribution {
  label: string
  edges: number[]
  counts: number[]
}

/** Each side's LLM latency as a density (share of calls per ms), so sides with different call counts overlay. */
export function distributionsOption(ds: Distribution[]): ChartOption {
  return {
    grid: { left: 56, right: 20, top: 30, bottom: 36 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${(v * 1000).toFixed(3)} ‰/ms` },
    xAxis: { type: 'value', name: 'LLM latency', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (v: number) => duration(Math.round(v)) } },
    yAxis: { type: 'value', axisLabel: { show: false }, name: 'density' },
    series: ds.map((d) => {
      const n = d.counts.reduce((a, b) => a + b, 0) || 1
      return {
        name: d.label, type: 'line', smooth: 0.3, showSymbol: false, areaStyle: { opacity: 0.12 },
        data: d.counts.map((c, i) => [(d.edges[i] + d.edges[i + 1]) / 2, c / n / Math.max(1e-9, d.edges[i + 1] - d.edges[i])]),
      }
    }),
  }
}

export function differentialOption(c: Comparison, by: 'time' | 'cost', t: ChartTheme): ChartOption {
  const rows = (by === 'time' ? c.breakdown.byTime : c.breakdown.byCost).filter((r) => r.dimension !== 'model').slice(0, 16)
  const value = (r: (typeof rows)[number]) => (by === 'time' ? r.deltaTimeMs : r.deltaCostUsd)
  return {
    grid: { left: 8, right: 30, top: 10, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => (by === 'time' ? `${v > 0 ? '+' : ''}${duration(Math.round(v))}` : `${v > 0 ? '+' : '-'}${usd(Math.abs(v))}`) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => (by === 'time' ? duration(Math.round(Math.abs(v))) : usd(Math.abs(v))) } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => `${r.dimension}: ${r.key}`), axisLabel: { width: 180, overflow: 'truncate' } },
    series: [{
      type: 'bar', name: by === 'time' ? 'Δ time per run' : 'Δ cost per run',
      data: rows.map((r) => ({ value: value(r), itemStyle: { color: value(r) > 0 ? t.bad : t.good } })),
    }],
  }
}

export function rankingOption(cs: Comparison[], labels: string[]): ChartOption {
  const criteria = cs[0]?.ranking.criteria.map((c) => c.criterion) ?? []
  return {
    grid: { left: 8, right: 20, top: 30, bottom: 24, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => v.toFixed(3) },
    xAxis: { type: 'value', name: 'score (positive: candidate better)' },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
    series: criteria.map((k) => ({ name: k, type: 'bar', stack: 'score', data: cs.map((c) => c.ranking.criteria.find((x) => x.criterion === k)?.contribution ?? 0) })),
  }
}
