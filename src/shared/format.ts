// Numbers for people: 1.2 M tokens, $3.41, 2 m 14 s. Shared by the UI, the CLI and reports.

export function compact(n: number): string {
  const abs = Math.abs(n)
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)} B`
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)} k`
  return String(Math.round(n))
}

/** A size in bytes: 1.2 GB, 12.3 MB, 45 kB, 312 B. */
export function byteSize(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} kB` : `${n} B`
}

export function usd(n: number): string {
  if (n === 0) return '$0'
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`
  return `$${n.toFixed(2)}`
}

/**
 * Rounded to the unit shown before it is split, so 119.6 s reads "2 m 0 s", never "1 m 60 s",
 * and 59.96 s reads "1 m 0 s", never "60.0 s".
 */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—'
  if (ms < 0) return `-${duration(-ms)}`
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`
  const tenths = Math.round(ms / 100)
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  if (s < 3600) return `${Math.floor(s / 60)} m ${s % 60} s`
  const m = Math.round(ms / 60_000)
  return `${Math.floor(m / 60)} h ${m % 60} m`
}

/** Exact integers with thousands separators, for KPI tiles where precision matters. */
export const exact = (n: number) => Math.round(n).toLocaleString('en-US')
