// The analysis engine: pure statistics (./stats), the time structure of a run, one-run analysis
// and the comparison of runs. Runtime-agnostic: it needs only a better-sqlite3 handle.
export * as stats from './stats'
export { analyzeStructure, criticalPath, agentActivity, type StructSpan, type RunStructure } from './structure'
export { analyzeRun, analyzeRunAsync, latencyAnomalies, type AnalyzeRunOptions } from './run-analysis'
export { compareSamples, compareRuns, decideVerdict, COMPARE_DEFAULTS, type CompareOptions, type CompareRunsOptions } from './compare'
export { METRICS, type Criterion } from './compare-metrics'
export { DEFAULT_WEIGHTS } from './compare-explain'
