import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { BundleManifest } from '../../shared/routes/bundle'
import { addAnonymizeOptions, anonymizeRequest, writeMapping, type AnonymizeFlags } from '../anonymize-options'
import { call, openCore, printJson, type GlobalOptions } from '../context'
import { runsTable } from '../format'

function describeManifest(m: BundleManifest): string {
  return [
    `format ${m.formatVersion}, written ${m.createdAt} by Swarmscope ${m.appVersion}`,
    `${m.runIds.length} run(s): ${m.runIds.join(', ')}`,
    `stored text: ${m.includesContent ? 'included' : 'not included'}; checksum ${m.checksum.slice(0, 12)}… verified`,
  ].join('\n')
}

async function openBundle(file: string, cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>()
  const core = openCore(opts)
  try {
    const r = await call(core, 'bundle.import', { path: resolve(file) })
    if (opts.json) return printJson(r)
    if (r.runs.length) console.log(runsTable(r.runs))
    for (const id of r.existing) console.log(`already here, left as it was: ${id}`)
    console.log(`${r.runs.length} run(s) imported from ${file}`)
  } finally {
    core.close()
  }
}

export function registerBundle(program: Command): void {
  const bundle = program
    .command('bundle')
    .description('share runs as one .swarmscope file (SQLite with a versioned, checksummed manifest)')
    .addHelpText('after', '\nExample:\n  swarmscope bundle export latest --out today.swarmscope\n  swarmscope bundle open today.swarmscope')

  addAnonymizeOptions(bundle
    .command('export')
    .description('write runs to a .swarmscope bundle')
    .argument('<runs...>', 'run ids, or latest')
    .requiredOption('--out <file.swarmscope>', 'the bundle to write')
    .option('--content', 'include stored prompt/response text (runs imported with --content redacted|full; redacted on the way with --anonymize)')
    .option('--force', 'overwrite an existing file'))
    .addHelpText('after', '\nExamples:\n  swarmscope bundle export cc-1234 cc-5678 --out pair.swarmscope\n  swarmscope bundle export latest --anonymize --out shared.swarmscope   # opens and analyses the same, under pseudonyms')
    .action(async (runs: string[], o: { out: string; content?: boolean; force?: boolean } & AnonymizeFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const anonymize = anonymizeRequest(o)
      const core = openCore(opts)
      try {
        const r = await call(core, 'bundle.export', { runIds: runs, out: resolve(o.out), includeContent: o.content === true, overwrite: o.force === true, anonymize })
        writeMapping(o, r.mapping)
        const { mapping: _m, ...shown } = r
        if (opts.json) return printJson(shown)
        console.log(`wrote ${r.path} (${r.bytes} bytes)\n${describeManifest(r.manifest)}`)
      } finally {
        core.close()
      }
    })

  for (const name of ['open', 'import']) {
    bundle
      .command(name)
      .description(name === 'open' ? 'validate a bundle and import its runs' : 'the same as `bundle open`')
      .argument('<file>', 'a .swarmscope bundle')
      .addHelpText('after', '\nExample:\n  swarmscope bundle open team-runs.swarmscope')
      .action((file: string, _o: unknown, cmd: Command) => openBundle(file, cmd))
  }

  bundle
    .command('inspect')
    .description('validate a bundle and print its manifest, importing nothing')
    .argument('<file>', 'a .swarmscope bundle')
    .addHelpText('after', '\nExample:\n  swarmscope bundle inspect team-runs.swarmscope --json')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>()
      const core = openCore(opts)
      try {
        const m = await call(core, 'bundle.inspect', { path: resolve(file) })
        if (opts.json) return printJson(m)
        console.log(describeManifest(m))
      } finally {
        core.close()
      }
    })
}
