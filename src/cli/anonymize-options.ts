import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { AnonymizeRequest, PseudonymMapping } from '../shared/anonymize'
import { CliError } from './context'

// --anonymize and its companions, the same on every command whose output leaves the machine.

export interface AnonymizeFlags {
  anonymize?: boolean
  salt?: string
  keepGroups?: boolean
  keepTags?: boolean
  mapping?: string
}

export function addAnonymizeOptions(cmd: Command, opts: { mapping?: boolean } = { mapping: true }): Command {
  cmd
    .option('--anonymize', 'replace project, agent, run, session, host, group and tag names with pseudonyms (agent-3f9a) and redact free text; numbers stay exact')
    .option('--salt <salt>', 'with --anonymize: the same salt gives the same pseudonyms, so two exports can be joined (default: a random salt each time)')
    .option('--keep-groups', 'with --anonymize: keep group names')
    .option('--keep-tags', 'with --anonymize: keep tag values')
  if (opts.mapping) cmd.option('--mapping <file>', 'with --anonymize: also write which pseudonym stands for which value to FILE (keep it to yourself)')
  return cmd
}

/** The request field, or undefined without --anonymize; the companions alone are a mistake worth saying. */
export function anonymizeRequest(f: AnonymizeFlags): AnonymizeRequest | undefined {
  if (!f.anonymize) {
    const stray = (['salt', 'keepGroups', 'keepTags', 'mapping'] as const).filter((k) => f[k] !== undefined)
    if (stray.length) throw new CliError(`--${stray.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')} only apply with --anonymize`, 2)
    return undefined
  }
  if (f.salt !== undefined && f.salt.length === 0) throw new CliError('--salt must not be empty', 2)
  return { salt: f.salt, keepGroups: f.keepGroups, keepTags: f.keepTags, mapping: f.mapping ? true : undefined }
}

/** Writes the mapping a route returned to the file --mapping named. */
export function writeMapping(f: AnonymizeFlags, mapping: PseudonymMapping | undefined): void {
  if (!f.mapping || !mapping) return
  try {
    writeFileSync(f.mapping, JSON.stringify(mapping, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw new CliError(`cannot write ${f.mapping}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}
