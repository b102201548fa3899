import type { Command } from 'commander'
import { call, printJson } from '../context'
import { withCore } from '../with-core'
import { compact, duration, runsTable, table, usd } from '../format'


export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('list and manage imported runs')
    .option('--group <name>', 'only runs in this group')
    .addHelpText('after', '\nExamples:\n  swarmscope runs --json\n  swarmscope runs show latest\n  swarmscope runs tag latest --group topology=mesh')
    .action((o: { group?: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const list = await call(core, 'runs.list', { group: o.group })
        if (opts.json) printJson(list)
        else console.log(runsTable(list))
      }),
    )

  runs
    .command('show')
    .description('show one run with its agents')
    .argument('<run>', "run id or 'latest'")
    .action((ref: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const o = await call(core, 'runs.overview', { id: ref })
        if (opts.json) return printJson(o)
        const r = o.run
        console.log(`${r.name}  (${r.id})\n${r.source} · ${r.startedAt ?? '?'} · ${duration(r.durationMs)} · ${r.llmCalls} LLM calls · ${r.toolCalls} tool calls · ${r.errors} errors · ${usd(r.costUsd)}`)
        if (r.unpricedModels.length) console.log(`not priced (unknown models): ${r.unpricedModels.join(', ')}`)
        console.log(
          table([
            ['agent', 'type', 'parent', 'llm', 'tools', 'input', 'output', 'cache write', 'cache read', 'cost'],
            ...o.agents.map((a) => [a.name, a.type ?? '', a.parentAgentId ?? '', String(a.llmCalls), String(a.toolCalls), compact(a.inputTokens), compact(a.outputTokens), compact(a.cacheCreationTokens), compact(a.cacheReadTokens), usd(a.costUsd)]),
          ]),
        )
      }),
    )

  runs
    .command('rename')
    .argument('<run>', "run id or 'latest'")
    .argument('<name>', 'new name')
    .action((ref: string, name: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'runs.rename', { id: ref, name })
        if (opts.json) printJson(r)
        else console.log(`renamed ${r.id} to "${r.name}"`)
      }),
    )

  runs
    .command('tag')
    .description('set tags (key=value; an empty value removes the tag) and/or the group of a run')
    .argument('<run>', "run id or 'latest'")
    .argument('[tags...]', 'key=value pairs')
    .option('--group <name>', "move the run to a group ('' to remove it from its group)")
    .action((ref: string, pairs: string[], o: { group?: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const tags = Object.fromEntries(pairs.map((p) => [p.split('=')[0], p.split('=').slice(1).join('=')]))
        // The parent `runs` command also has --group (a filter), and commander gives it the flag first.
        const group = o.group ?? (cmd.parent?.opts() as { group?: string } | undefined)?.group
        const r = await call(core, 'runs.tag', { id: ref, tags, group: group === undefined ? undefined : group || null })
        if (opts.json) printJson(r)
        else console.log(`${r.id}: group ${r.group ?? '—'}, tags ${JSON.stringify(r.tags)}`)
      }),
    )

  runs
    .command('content')
    .description('print the text stored for a run (only runs imported with --content redacted or full have any)')
    .argument('<run>', "run id or 'latest'")
    .option('--span <id>', 'only this span (or prompt event)')
    .action((ref: string, o: { span?: string }, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const c = await call(core, 'runs.content', { id: ref, spanId: o.span })
        if (opts.json) return printJson(c)
        if (c.items.length === 0) return console.log(`${c.runId}: no text stored (content policy: ${c.contentPolicy})`)
        for (const item of c.items) console.log(`── ${item.spanId} · ${item.part}${item.policy === 'redacted' ? ' (redacted)' : ''}\n${item.text}`)
      }),
    )

  runs
    .command('group')
    .description("move a run to a group ('' removes it from its group)")
    .argument('<run>', "run id or 'latest'")
    .argument('<name>', 'group name, e.g. baseline')
    .addHelpText('after', '\nExample:\n  swarmscope runs group latest baseline')
    .action((ref: string, name: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'runs.tag', { id: ref, group: name || null })
        if (opts.json) printJson(r)
        else console.log(r.group ? `${r.id} is in group ${r.group}` : `${r.id} is in no group`)
      }),
    )

  runs
    .command('delete')
    .argument('<run>', "run id or 'latest'")
    .action((ref: string, _o: unknown, cmd: Command) =>
      withCore(cmd, async (core, opts) => {
        const r = await call(core, 'runs.delete', { id: ref })
        if (opts.json) printJson(r)
        else console.log(`deleted ${ref} (and purged from the database file)`)
      }),
    )
}
