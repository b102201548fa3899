import { expect } from 'vitest'

/** |a − b| ≤ tol·max(1, |b|): relative for large values, absolute near zero. */
export function close(a: number | null | undefined, b: number, tol = 1e-9): void {
  expect(a).not.toBeNull()
  expect(a).not.toBeUndefined()
  const err = Math.abs((a as number) - b) / Math.max(1, Math.abs(b))
  if (!(err <= tol)) throw new Error(`expected ${a} ≈ ${b} (relative error ${err} > ${tol})`)
}

/** Relative error only: for small p-values, where an absolute tolerance would accept anything. */
export function rel(a: number | null | undefined, b: number, tol = 1e-9): void {
  expect(a).not.toBeNull()
  const err = Math.abs((a as number) - b) / Math.abs(b)
  if (!(err <= tol)) throw new Error(`expected ${a} ≈ ${b} (relative error ${err} > ${tol})`)
}

// Samples used across the tests, with reference values from scipy 1.17.1 / numpy stated beside them.
export const A = [12.1, 14.3, 9.8, 11.5, 13.0, 15.2, 10.9, 12.7, 11.1, 14.8]
export const B = [13.4, 16.1, 15.0, 12.9, 17.3, 14.6, 16.8, 15.5, 13.9, 18.2, 14.1, 16.0]
