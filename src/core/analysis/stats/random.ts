// A small seeded generator: bootstrap intervals must be reproducible, so a report computed twice
// from the same data says the same thing (Math.random would make every refresh differ).

export type Rng = () => number

/** mulberry32: 32-bit state, period 2³², uniform on [0, 1). Plenty for a few thousand resamples. */
export function mulberry32(seed: number): Rng {
  // The state lives in an Int32Array, not a closure variable: a uint32 above 2³⁰ held in a closure
  // is boxed on every store, and bootstraps draw 10⁷ numbers. The bits are those of the classic
  // `a = (a + 0x6d2b79f5) >>> 0`: every later step reads them through ToInt32/ToUint32.
  const state = new Int32Array([seed | 0])
  return () => {
    const a = (state[0] + 0x6d2b79f5) | 0
    state[0] = a
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal deviates by Box–Muller; used by tests and synthetic data, not by the estimators. */
export function normalSampler(rng: Rng): () => number {
  let spare: number | null = null
  return () => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    let u = 0
    while (u === 0) u = rng()
    const v = rng()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}

/** Fills `out` with a with-replacement resample of `xs`. */
export function resampleInto(xs: ArrayLike<number>, out: Float64Array, rng: Rng): Float64Array {
  const n = xs.length
  for (let i = 0; i < out.length; i++) out[i] = xs[Math.floor(rng() * n)]
  return out
}

export const DEFAULT_SEED = 0x5eed
export const DEFAULT_RESAMPLES = 2000
