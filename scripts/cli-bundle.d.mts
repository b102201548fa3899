// Types for cli-bundle.mjs (plain JS, so bin/ can run it without a build), used by the benchmarks.
export const BUNDLE: string
export function bundleIsFresh(): boolean
/** Builds the CLI bundle and its ingest worker if stale; the bundle's path, or null when esbuild is unavailable. */
export function ensureCliBundle(): Promise<string | null>
