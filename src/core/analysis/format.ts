// Number formatting for generated text. Kept apart so every sentence states numbers the same way.

export function ms(x: number): string {
  const a = Math.abs(x)
  if (a >= 60_000) return `${(x / 60_000).toFixed(1)} min`
  if (a >= 1000) return `${(x / 1000).toFixed(a >= 10_000 ? 1 : 2)} s`
  return `${Math.round(x)} ms`
}

export const pct = (share: number, digits = 0) => `${(share * 100).toFixed(digits)}%`

export const signedPct = (changePct: number) => `${changePct >= 0 ? '+' : ''}${changePct.toFixed(1)}%`

export function usd(x: number): string {
  const a = Math.abs(x)
  return `$${a >= 1 ? x.toFixed(2) : a >= 0.01 ? x.toFixed(3) : x.toPrecision(2)}`
}

export function p(x: number | null): string {
  if (x === null) return 'n/a'
  return x < 0.0001 ? 'p < 0.0001' : `p = ${x.toPrecision(2)}`
}

export const num = (x: number, digits = 2) => Number(x.toPrecision(digits + 1)).toLocaleString('en-US')
