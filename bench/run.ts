import { cpus, totalmem } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analysisSuite } from './suites/analysis'
import { ingestSuite } from './suites/ingest'
import { uiSuite } from './suites/ui'
import { liveSuite } from './suites/live'
import { reportsSuite } from './suites/reports'

// `npm run bench [-- --sizes 10,200,1024] [--samples 10000000] [suite...]`: each suite writes bench/results/<suite>.json.
// Speed is judged only here, never in timed unit tests, and always as a ratio against a
// reference measured in the same run (the machine is noisy).

const args = process.argv.slice(2)
const sizesArg = args.indexOf('--sizes')
const sizesMb = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [10, 200, 1024]
const suites = args.filter((a, i) => !a.startsWith('--') && !['--sizes', '--samples'].includes(args[i - 1]))
const want = (s: string) => suites.length === 0 || suites.includes(s)

const RESULTS = new URL('./results/', import.meta.url).pathname
const WORK = process.env.SWARMSCOPE_BENCH_DIR ?? join(new URL('.', import.meta.url).pathname, 'corpus-work')
mkdirSync(RESULTS, { recursive: true })
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform }

if (want('ingest')) {
  const result = await ingestSuite({ sizesMb, work: WORK })
  writeFileSync(join(RESULTS, 'ingest.json'), JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2) + '\n')
  console.log(`wrote ${join(RESULTS, 'ingest.json')}`)
}

// `--samples N` sets the stored metric samples of the analysis suite (default 10 M).
const samplesArg = args.indexOf('--samples')
const samples = samplesArg >= 0 ? Number(args[samplesArg + 1]) : 10_000_000
for (const [name, run] of [['analysis', () => analysisSuite({ work: join(WORK, 'analysis'), samples })], ['reports', () => reportsSuite({ work: join(WORK, 'reports') })]] as const) {
  if (!want(name)) continue
  const result = await run()
  writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2) + '\n')
  console.log(`wrote ${join(RESULTS, `${name}.json`)}`)
}

if (want('live')) {
  const result = await liveSuite({ work: WORK, quick: args.includes('--quick') })
  writeFileSync(join(RESULTS, 'live.json'), JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2) + '\n')
  console.log(`wrote ${join(RESULTS, 'live.json')}`)
}

if (want('ui')) {
  const result = await uiSuite({ work: join(WORK, 'ui') })
  writeFileSync(join(RESULTS, 'ui.json'), JSON.stringify({ date: new Date().toISOString(), machine, ...result }, null, 2) + '\n')
  console.log(`wrote ${join(RESULTS, 'ui.json')}`)
}
