import { cpus, totalmem } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ingestSuite } from './suites/ingest'

// `npm run bench [-- --sizes 10,200,1024] [suite...]`: each suite writes bench/results/<suite>.json.
// Speed is judged only here, never in timed unit tests, and always as a ratio against a
// reference measured in the same run (the machine is noisy).

const args = process.argv.slice(2)
const sizesArg = args.indexOf('--sizes')
const sizesMb = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [10, 200, 1024]
const suites = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--sizes')
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
