// jstat ships no types; only what the analysis tests use as a reference is declared.
declare module 'jstat' {
  interface Dist {
    cdf(x: number, ...params: number[]): number
    inv(p: number, ...params: number[]): number
  }
  export const jStat: {
    studentt: Dist
    normal: Dist
    percentile(xs: number[], p: number, exclusive?: boolean): number
    skewness(xs: number[]): number
    kurtosis(xs: number[]): number
    spearmancoeff(x: number[], y: number[]): number
    corrcoeff(x: number[], y: number[]): number
    tci(mean: number, alpha: number, sd: number, n: number): [number, number]
    stdev(xs: number[], sample?: boolean): number
  }
}
