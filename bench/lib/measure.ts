import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { walk } from '../../src/core/ingest/walk'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Measured {
  wallMs: number
  maxRssMb: number | null
  stdout: string
}

/** Runs a command once, timing it and (via GNU time, where present) its peak resident memory. */
export function measure(cmd: string, args: string[], env: Record<string, string> = {}): Measured {
  const rssFile = join(tmpdir(), `swarmscope-bench-rss-${process.pid}`)
  const useTime = existsSync('/usr/bin/time')
  const started = performance.now()
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 30 })
  const wallMs = performance.now() - started
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.slice(0, 2000)}`)
  let maxRssMb: number | null = null
  if (useTime && existsSync(rssFile)) {
    maxRssMb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024
    rmSync(rssFile, { force: true })
  }
  return { wallMs, maxRssMb, stdout: r.stdout }
}

/** The element with the median key (the upper one of an even count). */
export const medianBy = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits

/**
 * Writes back what the last step left dirty in the OS's file cache (the generated 1 GB corpus,
 * the last store) before a timed run starts. Without it the kernel's writeback of those ~1.2 GB
 * ran during whichever run came next, always ours first: on this VM the same import took
 * 7.9-8.4 s right after the corpus was written and 6.1-6.3 s once it was on disk.
 */
export function settleDisk(): void {
  spawnSync('sync')
}

/**
 * Reads every transcript once, untimed, so that both tools start with the corpus in the OS's
 * file cache. This VM keeps little file cache (~2.5 GB) and drops what was not read lately:
 * the first tool after a store was written read part of the corpus from disk (our import took
 * 10.4 s after an idle minute, 5.9 s right after the corpus was read), and ccusage, which
 * always ran next, found it cached.
 */
export function cacheCorpus(projects: string): void {
  for (const { path } of walk([projects], [])) readFileSync(path)
}
