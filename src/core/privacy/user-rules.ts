import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { RedactionRuleSpec } from '../../shared/dto'
import { CoreError } from '../../shared/result'
import { compileRules, type RedactionRule } from './rules'

/** User rules that apply to every import into a database: a JSON file beside it. */
export const RULES_FILE = 'redaction-rules.json'

/**
 * The user's extra redaction rules: those in `redaction-rules.json` next to the database
 * (an array of `{ id, description?, pattern, flags?, replacement? }`, or `{ "rules": [...] }`),
 * then those given with the import. They run after the built-in rules.
 */
export function userRedactionRules(dbPath: string, inline: readonly RedactionRuleSpec[] = []): RedactionRule[] {
  const specs: RedactionRuleSpec[] = []
  if (dbPath !== ':memory:') {
    const file = join(dirname(dbPath), RULES_FILE)
    if (existsSync(file)) {
      let json: unknown
      try {
        json = JSON.parse(readFileSync(file, 'utf8'))
      } catch (e) {
        throw new CoreError('bad_request', `${file}: not valid JSON (${(e as Error).message})`)
      }
      const list = Array.isArray(json) ? json : (json as { rules?: unknown } | null)?.rules
      if (!Array.isArray(list)) throw new CoreError('bad_request', `${file}: expected an array of rules or {"rules": [...]}`)
      specs.push(...(list as RedactionRuleSpec[]))
    }
  }
  specs.push(...inline)
  return compileRules(specs)
}
