// Numbers for people: 1.2 M tokens, $3.41, 2 m 14 s. Shared by the UI, the CLI and reports.

export function compact(n: number): string {
  const abs = Math.abs(n)
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)} B`
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)} k`
  return String(Math.round(n))
}

export function usd(n: number): string {
  if (n === 0) return '$0'
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`
  return `$${n.toFixed(2)}`
}

export function duration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${ms} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} m ${Math.round(s - m * 60)} s`
  const h = Math.floor(m / 60)
  return `${h} h ${m - h * 60} m`
}

/** Exact integers with thousands separators, for KPI tiles where precision matters. */
export const exact = (n: number) => Math.round(n).toLocaleString('en-US')
