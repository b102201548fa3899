// Exact percentiles of stored metrics (queries/metric-quantiles.ts) walk this index instead of
// sorting every sample: measured over 10 M samples (bench/results/analysis.json) it brings
// p50/p95/p99 of 20 metrics within DuckDB's time, where reading and sorting the values is an
// order of magnitude slower. The price is paid at ingest of metric samples (the same file shows
// the rows/s with and without it) and in disk; metric samples are a small share of what is
// imported (OTLP metrics arrive about once a minute per series), spans are not indexed by it.
export default /* sql */ `
CREATE INDEX metric_samples_value ON metric_samples(run_id, name, value);
`
