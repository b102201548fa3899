import { SCHEMES, type SchemeId } from '../stores/settings'

// Chart colours follow the app theme and the chosen colour scheme. Text and lines come from
// the same values as the stylesheet so charts and page match in light and dark.

export interface ChartTheme {
  dark: boolean
  palette: string[]
  text: string
  muted: string
  line: string
  panel: string
  good: string
  bad: string
  critical: string
}

export function chartTheme(dark: boolean, scheme: SchemeId): ChartTheme {
  return {
    dark,
    palette: SCHEMES[scheme].colours,
    text: dark ? '#e6e9ef' : '#1d2330',
    muted: dark ? '#98a2b3' : '#5c6679',
    line: dark ? '#2c323c' : '#e2e6ee',
    panel: dark ? '#1c2027' : '#ffffff',
    // Improvement and regression: blue/orange in the colour-blind safe scheme, green/red otherwise.
    good: scheme === 'okabe-ito' || scheme === 'viridis' ? '#0072B2' : '#2e9e5b',
    bad: scheme === 'okabe-ito' || scheme === 'viridis' ? '#D55E00' : '#d64545',
    critical: dark ? '#ffcc4d' : '#c2410c',
  }
}

/** Defaults every chart gets under its own option. */
export function baseOption(t: ChartTheme) {
  const axis = { axisLine: { lineStyle: { color: t.line } }, axisLabel: { color: t.muted }, splitLine: { lineStyle: { color: t.line } }, nameTextStyle: { color: t.muted } }
  return {
    color: t.palette,
    backgroundColor: 'transparent',
    textStyle: { color: t.text, fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
    legend: { textStyle: { color: t.text } },
    tooltip: { backgroundColor: t.panel, borderColor: t.line, textStyle: { color: t.text } },
    axis,
  }
}
