import { CoreError } from '../../shared/result'

/**
 * Redaction rules are data: an id, a description, a global regular expression and a
 * replacement. `redact()` (redact.ts) applies them in order, then again until nothing changes,
 * so a rule's output is never half-matched by a later rule on a second call.
 *
 * Writing a rule:
 * - `pattern` must be global (`g`). Keep it linear: anchor it on a literal prefix or a
 *   look-behind, so a long run of letters is not scanned once per starting position.
 * - `replacement` may use `$1`, `$<name>` and `$&`; it defaults to `[REDACTED:<id>]`. A rule
 *   that keeps a prefix (e.g. the `password=` of an assignment) captures it in a group named
 *   `pre` and replaces with `$<pre>[REDACTED:<id>]`.
 * - The replacement must not match the rule's own pattern (the values of built-in rules
 *   refuse to start with `[REDACTED`).
 * - `hints` (optional) are substrings one of which must occur in the text for the rule to be
 *   able to match (ignoring case when the pattern has the `i` flag); they only make redaction
 *   faster. Leave them out when unsure.
 * - `minEntropy` (optional) keeps a match only when the group named `value` (or the whole
 *   match) has at least this Shannon entropy, in bits per character.
 */
export interface RedactionRule {
  id: string
  description: string
  pattern: RegExp
  replacement?: string
  hints?: readonly string[]
  minEntropy?: number
}

/** A user rule as JSON: `{ "id", "description"?, "pattern", "flags"?, "replacement"? }`. */
export interface RedactionRuleSpec {
  id: string
  description?: string
  pattern: string
  flags?: string
  replacement?: string
}

/**
 * The entropy rule: a value of at least 20 characters assigned to an environment-style name
 * (`NAME=value`, upper-case, as in `export NAME=…`, `.env` files and `env` output) is redacted
 * when its Shannon entropy is at least 3.5 bits per character. Random keys score 4 and more
 * (base64: up to 6; hex: up to 4, typically 3.7–3.9); words, versions and flags score below.
 * Paths (starting with `/`, `~` or `.`) are left alone; home folders are handled by the path rules.
 */
export const ENTROPY_THRESHOLD = 3.5
export const ENTROPY_MIN_LENGTH = 20

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  const n = [...s].length
  let h = 0
  for (const c of counts.values()) {
    const p = c / n
    h -= p * Math.log2(p)
  }
  return h
}

/** The value of an assignment: quoted (possibly JSON-escaped) or bare; never an earlier redaction, a variable or a placeholder. */
const VALUE =
  String.raw`(?<value>(?!\[REDACTED|\$|<|=|\{\{|process\.env|os\.environ|getenv)` +
  String.raw`(?!(?:string|number|boolean|bool|null|undefined|none|true|false|str|int|bytes|any|object)(?![A-Za-z0-9_-]))` +
  String.raw`(?:(?<=")[^"\r\n]+?(?=\\?")|(?<=')[^'\r\n]+?(?=\\?')|[^\s"'` + '`' + String.raw`,;&|<>(){}\[\]\\]+(?![^\s"'` + '`' + String.raw`,;&|<>(){}\[\]\\]*\()))`

/** `KEY=value`, `KEY: value`, `"KEY": "value"`, `KEY=\"value\"` (inside JSON text). */
const assignment = (keys: string) =>
  new RegExp(String.raw`(?<pre>(?:${keys})\\?["']?[ \t]*[:=][ \t]*(?:\\?["'])?)` + VALUE, 'gi')


/**
 * "Not in the middle of a word": the character before is not in `cls`, or it ends a `\n`,
 * `\r` or `\t` escape (text inside JSON strings, where a new line is written as backslash-n).
 */
const after = (cls: string) => String.raw`(?:(?<![${cls}])|(?<=\\[nrt]))`

/** The built-in rules, applied in this order (specific shapes first, generic assignments and personal data last). */
export const DEFAULT_RULES: readonly RedactionRule[] = [
  {
    id: 'private-key',
    description: 'PEM / OpenSSH / PGP private-key blocks (-----BEGIN … PRIVATE KEY----- to its END line, or to the end of a truncated text)',
    pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    hints: ['PRIVATE KEY'],
  },
  {
    id: 'anthropic-key',
    description: 'Anthropic API and admin keys (sk-ant-…)',
    pattern: /sk-ant-[A-Za-z0-9_-]{16,}/g,
    hints: ['sk-ant-'],
  },
  {
    id: 'openai-key',
    description: 'OpenAI keys: sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…, and sk- followed by 32+ letters and digits',
    pattern: new RegExp(String.raw`sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{16,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20,}|${after('A-Za-z0-9')}sk-[A-Za-z0-9]{32,}`, 'g'),
    hints: ['sk-'],
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ids (AKIA…, ASIA…, ABIA…, ACCA… followed by 16 upper-case letters or digits)',
    pattern: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16,}/g,
    hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  },
  {
    id: 'github-token',
    description: 'GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
    pattern: /gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}/g,
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming-webhook and workflow URLs (https://hooks.slack.com/…)',
    pattern: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g,
    hints: ['hooks.slack.com'],
  },
  {
    id: 'slack-token',
    description: 'Slack tokens (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-, xapp-)',
    pattern: /xox[baprs]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,}/g,
    hints: ['xox', 'xapp-'],
  },
  {
    id: 'google-api-key',
    description: 'Google API keys (AIza followed by 35 characters)',
    pattern: /AIza[0-9A-Za-z_-]{35,}/g,
    hints: ['AIza'],
  },
  {
    id: 'jwt',
    description: 'JSON Web Tokens (eyJ….….…)',
    pattern: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    hints: ['eyJ'],
  },
  {
    id: 'aws-secret-key',
    description: 'AWS secret access keys (40 characters) assigned to aws_secret_access_key / secretAccessKey and the like',
    pattern: new RegExp(
      String.raw`(?<pre>(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\\?["']?[ \t]*[:=][ \t]*(?:\\?["'])?)(?<value>(?!\[REDACTED)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=]))`,
      'gi',
    ),
    replacement: '$<pre>[REDACTED:aws-secret-key]',
    hints: ['secret'],
  },
  {
    id: 'bearer-token',
    description: 'Authorization headers and Bearer tokens (the scheme is kept, the credential is not)',
    pattern:
      /(?<pre>(?:[Aa]uthorization|AUTHORIZATION)["']?[ \t]*[:=][ \t]*["']?(?:(?:Bearer|Basic|Token|Digest|bearer|basic|token)[ \t]+)?|[Bb]earer[ \t]+)(?<value>(?!\[REDACTED)[A-Za-z0-9._~+/=-]{12,})/g,
    replacement: '$<pre>[REDACTED:bearer-token]',
    hints: ['earer', 'uthorization', 'UTHORIZATION'],
  },
  {
    id: 'url-credentials',
    description: 'Passwords in URLs (scheme://user:password@host)',
    pattern: /(?<pre>\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/"'`\\[\]]+:)(?<value>(?!\[REDACTED)[^\s@/"'`\\]+)(?=@)/g,
    replacement: '$<pre>[REDACTED:url-credentials]',
    hints: ['://'],
  },
  {
    id: 'password',
    description: 'password= / passwd: / passphrase assignments (also "password": "…" in JSON and YAML)',
    pattern: assignment('password|passwd|passphrase'),
    replacement: '$<pre>[REDACTED:password]',
    hints: ['passw', 'passphrase'],
  },
  {
    id: 'token',
    description: 'token= assignments (access_token, GITHUB_TOKEN, "token": "…", …)',
    pattern: assignment('token'),
    replacement: '$<pre>[REDACTED:token]',
    hints: ['token'],
  },
  {
    id: 'secret',
    description: 'secret= / api_key= / apikey / access_key / private_key / client_secret / credentials assignments',
    pattern: assignment(String.raw`secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?`),
    replacement: '$<pre>[REDACTED:secret]',
    hints: ['secret', 'key', 'credential'],
  },
  {
    id: 'secret-flag',
    description: 'Command-line flags that take a secret (--password X, --token X, --api-key X, --secret X)',
    pattern: /(?<pre>--?(?:password|passwd|token|secret|api-key|apikey|access-token|auth-token)[ \t]+)(?<value>(?!-|\$|\[REDACTED)[^\s"'`;&|]+)/gi,
    replacement: '$<pre>[REDACTED:secret]',
    hints: ['-passw', '-token', '-secret', '-api', '-access-token', '-auth-token'],
  },
  {
    id: 'env-high-entropy',
    description: `High-entropy values in environment assignments (NAME=value, value of ${ENTROPY_MIN_LENGTH}+ characters with at least ${ENTROPY_THRESHOLD} bits of Shannon entropy per character)`,
    pattern: new RegExp(
      String.raw`(?<pre>${after('A-Za-z0-9_')}[A-Z_][A-Z0-9_]*=(?:\\?["'])?)(?<value>(?![/~.])[A-Za-z0-9+/=_.~-]{${ENTROPY_MIN_LENGTH},})`,
      'g',
    ),
    replacement: '$<pre>[REDACTED:high-entropy]',
    hints: ['='],
    minEntropy: ENTROPY_THRESHOLD,
  },
  {
    id: 'email',
    description: 'Email addresses',
    pattern: new RegExp(String.raw`(?:(?<![A-Za-z0-9._%+\-])(?<!\\)|(?<=\\[nrt]))[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`, 'g'),
    hints: ['@'],
  },
  {
    id: 'home-path-windows',
    description: 'User names in Windows home folders: C:\\Users\\alice\\… → ~\\… (also C:/Users/alice, /mnt/c/Users/alice, JSON-escaped backslashes)',
    pattern: new RegExp(after('A-Za-z0-9') + String.raw`(?:[A-Za-z]:|/mnt/[a-z])(?:\\{1,2}|/)[Uu][Ss][Ee][Rr][Ss](?:\\{1,2}|/)(?!~)[^\\/\s"'` + '`' + String.raw`:;,<>|(){}[\]*?]+`, 'g'),
    replacement: '~',
    hints: ['sers\\', 'sers/', 'SERS\\', 'SERS/'],
  },
  {
    id: 'home-path',
    description: 'User names in home folders: /home/alice/… → ~/…, /Users/alice/… → ~/…',
    pattern: new RegExp(after('A-Za-z0-9_.~\\-') + String.raw`/(?:home|Users)/(?!~)[^/\\\s"'` + '`' + String.raw`:;,<>|(){}[\]*?]+`, 'g'),
    replacement: '~',
    hints: ['/home/', '/Users/'],
  },
  {
    id: 'claude-project-dir',
    description: "User names in Claude Code's project folder names: -home-alice-app → ~-app, C--Users-alice-app → ~-app",
    pattern: /(?<=^|[/\\\s"']|\\[nrt])(?:-(?:home|Users)|[A-Za-z]--Users)-[A-Za-z0-9._]+/g,
    replacement: '~',
    hints: ['-home-', '-Users-'],
  },
]

/** Turns user rules (JSON) into rules; an invalid one is refused with a message naming it. */
export function compileRules(specs: readonly RedactionRuleSpec[]): RedactionRule[] {
  return specs.map((s, i) => {
    if (!s || typeof s.id !== 'string' || !/^[\w.-]+$/.test(s.id)) throw new CoreError('bad_request', `redaction rule ${i + 1}: "id" must be letters, digits, _ . or -`)
    if (typeof s.pattern !== 'string' || s.pattern === '') throw new CoreError('bad_request', `redaction rule ${s.id}: "pattern" must be a non-empty regular expression`)
    const flags = [...new Set(`${s.flags ?? ''}g`)].join('')
    let pattern: RegExp
    try {
      pattern = new RegExp(s.pattern, flags)
    } catch (e) {
      throw new CoreError('bad_request', `redaction rule ${s.id}: ${(e as Error).message}`)
    }
    if (pattern.test('')) throw new CoreError('bad_request', `redaction rule ${s.id}: the pattern matches the empty string`)
    return { id: s.id, description: s.description ?? `user rule ${s.id}`, pattern, replacement: s.replacement }
  })
}
