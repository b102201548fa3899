import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { homedir } from 'node:os'
import { DEFAULT_RULES, ENTROPY_THRESHOLD, compileRules, redact, redactDeep, redactPath, shannonEntropy } from '../../src/core/privacy/redact'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const B64URL = ALNUM + '-_'
const B64 = ALNUM + '+/'

const chars = (alphabet: string, min: number, max = min) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''))

/** A planted key: `key` is written into the text; `secret` (its random part) must not survive. */
interface Key {
  shape: string
  key: string
  secret: string
}
const key = (shape: string, parts: fc.Arbitrary<[string, string]>): fc.Arbitrary<Key> => parts.map(([prefix, secret]) => ({ shape, key: prefix + secret, secret }))
const pair = (prefix: fc.Arbitrary<string> | string, body: fc.Arbitrary<string>) => fc.tuple(typeof prefix === 'string' ? fc.constant(prefix) : prefix, body)

/** Every self-identifying key shape the redactor supports. */
const keyShapes: fc.Arbitrary<Key> = fc.oneof(
  key('anthropic', pair(fc.constantFrom('sk-ant-api03-', 'sk-ant-admin01-', 'sk-ant-'), chars(B64URL, 20, 108))),
  key('openai-project', pair(fc.constantFrom('sk-proj-', 'sk-svcacct-', 'sk-admin-'), chars(B64URL, 20, 120))),
  key('openai-legacy', fc.tuple(chars(ALNUM, 20), chars(ALNUM, 20, 30)).map(([a, b]) => ['sk-', `${a}T3BlbkFJ${b}`] as [string, string])),
  key('aws-access-key-id', pair(fc.constantFrom('AKIA', 'ASIA'), chars(UPPER, 16))),
  key('github', pair(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), chars(ALNUM, 36, 40))),
  key('github-pat', pair('github_pat_', fc.tuple(chars(ALNUM, 22), chars(ALNUM, 59)).map(([a, b]) => `${a}_${b}`))),
  key('slack-token', pair(fc.constantFrom('xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'), chars(ALNUM + '-', 10, 60))),
  key('slack-webhook', pair('https://hooks.slack.com/services/', fc.tuple(chars(UPPER, 9), chars(UPPER, 9), chars(ALNUM, 24)).map(([a, b, c]) => `T${a}/B${b}/${c}`))),
  key('google-api-key', pair('AIza', chars(B64URL, 35))),
  key('jwt', pair('eyJ', fc.tuple(chars(B64URL, 10, 40), chars(B64URL, 10, 80), chars(B64URL, 16, 86)).map(([h, p, s]) => `${h}.eyJ${p}.${s}`))),
  key(
    'pem',
    fc.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', 'DSA ', ''), fc.array(chars(B64, 64), { minLength: 1, maxLength: 4 })).map(([kind, lines]) => [
      `-----BEGIN ${kind}PRIVATE KEY-----\n`,
      `${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`,
    ]),
  ),
)

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'ab-_=:/"\' \n\\.@AKIsk') }))

describe('redact: planted keys never survive (property, 1,000+ runs each)', () => {
  it('a key of any supported shape, embedded in arbitrary text, is replaced', () => {
    fc.assert(
      fc.property(anyText, keyShapes, anyText, (before, k, after) => {
        const out = redact(before + k.key + after)
        // The whole key and its random part are gone (the part alone: a prefix may have been eaten by a neighbour).
        expect(out.includes(k.key)).toBe(false)
        const secretLines = k.secret.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----END'))
        for (const l of secretLines.length ? secretLines : [k.secret]) expect(out.includes(l), `${k.shape}: ${l}`).toBe(false)
      }),
      { numRuns: 3000 },
    )
  })

  it('also inside JSON text (a tool call input), where new lines are written as \\n', () => {
    fc.assert(
      fc.property(anyText, keyShapes, anyText, (before, k, after) => {
        const json = JSON.stringify({ command: `${before}\n${k.key}\n${after}` })
        const out = redact(json)
        for (const l of k.secret.split('\n').filter((x) => x.length >= 16 && !x.startsWith('-----END'))) {
          expect(out.includes(JSON.stringify(l).slice(1, -1)), `${k.shape}: ${l}`).toBe(false)
        }
      }),
      { numRuns: 1000 },
    )
  })

  const SEPARATORS = [' ', '\n', '\t', ';', '\r\n']
  const sep = fc.constantFrom(...SEPARATORS)
  // Values a person would use: no spaces or quotes, not a type name or variable reference.
  const plainValue = chars(ALNUM + '!#%^*_+-./@~', 8, 40).filter((v) => /^[A-Za-z0-9]/.test(v) && !/^(string|number|boolean|bool|null|undefined|none|true|false|str|int|bytes|any|object)\b/i.test(v))
  const assignmentShapes = fc.oneof(
    fc.tuple(fc.constantFrom('password', 'PASSWORD', 'DB_PASSWORD', 'passwd', 'db.password'), fc.constantFrom('=', ': ', ' = ', ':')),
    fc.tuple(fc.constantFrom('token', 'GITHUB_TOKEN', 'access_token', 'authToken'), fc.constantFrom('=', ': ')),
    fc.tuple(fc.constantFrom('secret', 'client_secret', 'api_key', 'API_KEY', 'apiKey', 'aws_access_key', 'private_key'), fc.constantFrom('=', ': ')),
  )

  it('assignments (KEY=value, KEY: value, "KEY": "value", quoted, in JSON text) lose their value', () => {
    fc.assert(
      fc.property(anyText, sep, assignmentShapes, plainValue, fc.constantFrom('bare', 'double', 'single', 'json'), sep, anyText, (before, s1, [name, op], value, quoting, s2, after) => {
        const assignment =
          quoting === 'bare' ? `${name}${op}${value}` : quoting === 'double' ? `${name}${op}"${value}"` : quoting === 'single' ? `${name}${op}'${value}'` : `"${name}": "${value}"`
        const text = `${before}${s1}${assignment}${s2}${after}`
        expect(redact(text).includes(value)).toBe(false)
        expect(redact(JSON.stringify({ text })).includes(value)).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })

  it(`high-entropy values (≥ ${ENTROPY_THRESHOLD} bits per character) in environment assignments are replaced`, () => {
    const envName = chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 1, 12).map((n) => `X${n}`)
    const random = chars(B64URL + '+/', 20, 80).filter((v) => shannonEntropy(v) >= ENTROPY_THRESHOLD && !/^[/~.]/.test(v))
    fc.assert(
      fc.property(anyText, sep, fc.constantFrom('export ', '', 'env '), envName, random, sep, anyText, (before, s1, verb, name, value, s2, after) => {
        const text = `${before}${s1}${verb}${name}=${value}${s2}${after}`
        expect(redact(text).includes(value)).toBe(false)
        expect(redact(JSON.stringify(text)).includes(value)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('home folders lose their user name, emails are replaced', () => {
    const user = chars('abcdefghijklmnopqrstuvwxyz0123456789._-', 3, 16).filter((u) => /^[a-z]/.test(u) && !u.startsWith('~'))
    fc.assert(
      fc.property(anyText, sep, user, fc.constantFrom('/home/{u}/src', '/Users/{u}/Library', 'C:\\Users\\{u}\\proj', 'C:/Users/{u}/x', '{u}@example.com', '/home/{u}'), sep, anyText, (before, s1, u, template, s2, after) => {
        const planted = template.replace('{u}', `${u}Zq`)
        const text = `${before}${s1}${planted}${s2}${after}`
        expect(redact(text).includes(`${u}Zq`)).toBe(false)
        expect(redact(JSON.stringify(text)).includes(`${u}Zq`)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('redact: idempotent (property)', () => {
  const fragments = fc.constantFrom(
    'password=', 'token: ', 'secret=', '"api_key": "', '\\"', '"', "'", '=', ':', ' ', '\n', '\\n', '/home/', '/Users/', 'C:\\Users\\', 'alice', '@',
    'example.com', 'sk-ant-', 'sk-', 'AKIA', 'eyJ', '.', '[REDACTED:x]', '[REDACTED', 'Bearer ', 'Authorization: ', 'https://u:p@h', '://', '-----BEGIN PRIVATE KEY-----',
    '-----END PRIVATE KEY-----', 'ghp_', 'xoxb-', 'AIza', 'EXPORT_X=', '~', '-home-', 'T3BlbkFJ', '--token ', '$', 'string',
  )
  const tricky = fc.array(fc.oneof(fragments, chars(B64URL, 1, 40), fc.string()), { maxLength: 30 }).map((a) => a.join(''))

  it('redact(redact(x)) === redact(x) for arbitrary and adversarial text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, tricky), (x) => {
        const once = redact(x)
        expect(redact(once)).toBe(once)
      }),
      { numRuns: 5000 },
    )
  })

  it('with planted keys too', () => {
    fc.assert(
      fc.property(tricky, keyShapes, tricky, (a, k, b) => {
        const once = redact(a + k.key + b)
        expect(redact(once)).toBe(once)
      }),
      { numRuns: 1000 },
    )
  })

  it('text without anything to redact comes back unchanged', () => {
    fc.assert(
      fc.property(chars('abcdefghijklmnopqrstuvwxyz ,.\n', 0, 200), (x) => {
        expect(redact(x)).toBe(x)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('redact: the rules, one by one', () => {
  const cases: [string, string, string][] = [
    ['anthropic-key', 'export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123-_AA', 'export ANTHROPIC_API_KEY=[REDACTED:anthropic-key]'],
    ['openai-key', 'OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx_-0123', 'OPENAI_API_KEY=[REDACTED:openai-key]'],
    ['openai-key', 'key sk-0123456789abcdefghijklmnopqrstuvwxyzABCD end', 'key [REDACTED:openai-key] end'],
    ['aws-access-key-id', 'id AKIAIOSFODNN7EXAMPLE.', 'id [REDACTED:aws-access-key-id].'],
    ['aws-secret-key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED:aws-secret-key]'],
    ['aws-secret-key', '"secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', '"secretAccessKey": "[REDACTED:aws-secret-key]"'],
    ['github-token', 'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x', 'git clone https://[REDACTED:github-token]@github.com/x'],
    ['slack-webhook', 'curl https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX -d', 'curl [REDACTED:slack-webhook] -d'],
    ['slack-token', 'SLACK=xoxb-123456789012-abcdefghijkl', 'SLACK=[REDACTED:slack-token]'],
    ['google-api-key', 'key=AIzaSyA-abcdefghijklmnopqrstuvwxyz01234', 'key=[REDACTED:google-api-key]'],
    ['jwt', 'Cookie: s=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U;', 'Cookie: s=[REDACTED:jwt];'],
    ['private-key', 'a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nb', 'a\n[REDACTED:private-key]\nb'],
    ['private-key', 'cut off: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B', 'cut off: [REDACTED:private-key]'],
    ['password', 'mysql --user=root password=hunter2 -h db', 'mysql --user=root password=[REDACTED:password] -h db'],
    ['password', 'db:\n  password: "s3cret pass"\n', 'db:\n  password: "[REDACTED:password]"\n'],
    ['token', '{"access_token":"abc.def","expires_in":3600}', '{"access_token":"[REDACTED:token]","expires_in":3600}'],
    ['secret', 'api_key: 12345abcde', 'api_key: [REDACTED:secret]'],
    ['secret-flag', 'gh auth login --token abc123def', 'gh auth login --token [REDACTED:secret]'],
    ['bearer-token', 'curl -H "Authorization: Bearer abcdef0123456789xyz"', 'curl -H "Authorization: Bearer [REDACTED:bearer-token]"'],
    ['url-credentials', 'DATABASE_URL=postgres://app:pa55word@db:5432/x', 'DATABASE_URL=postgres://app:[REDACTED:url-credentials]@db:5432/x'],
    ['env-high-entropy', 'export SIGNING_SEED=Zx8qL2mN9pR4tV7wY1aB3cD5eF', 'export SIGNING_SEED=[REDACTED:high-entropy]'],
    ['email', 'Author: Alice <alice.liddell@example.org>', 'Author: Alice <[REDACTED:email]>'],
    ['home-path', 'cd /home/alice/proj && ls /Users/bob', 'cd ~/proj && ls ~'],
    ['home-path-windows', 'C:\\Users\\carol\\src and C:\\\\Users\\\\dave\\\\x and /mnt/c/Users/erin/y', '~\\src and ~\\\\x and ~/y'],
    ['claude-project-dir', '~/.claude/projects/-home-alice-webapp/s.jsonl', '~/.claude/projects/~-webapp/s.jsonl'],
  ]
  it.each(cases)('%s: %j', (_id, input, expected) => {
    expect(redact(input)).toBe(expected)
  })

  it('leaves ordinary text, code and numbers alone', () => {
    for (const s of [
      'input_tokens: 1234, output_tokens: 56',
      'const token = getToken()',
      'password: string',
      'token=$GITHUB_TOKEN and password=${DB_PASSWORD}',
      'PATH=/usr/local/bin:/usr/bin NODE_ENV=production LOG_LEVEL=debug',
      'JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64',
      'task-0123 disk-usage https://example.com/home/index.html',
      'version 2.1.20 (claude-sonnet-4-5-20250929)',
    ]) {
      expect(redact(s)).toBe(s)
    }
  })

  it('every rule is documented data with a unique id', () => {
    const ids = DEFAULT_RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of DEFAULT_RULES) {
      expect(r.id).toMatch(/^[a-z0-9-]+$/)
      expect(r.description.length).toBeGreaterThan(10)
      expect(r.pattern.global).toBe(true)
    }
  })

  it('is linear enough for megabytes of text (no catastrophic backtracking)', () => {
    const blob = 'A'.repeat(400_000) + 'a@b' + 'x'.repeat(200_000) + ' password=' + 'p'.repeat(200_000) + ' /home/' + 'u'.repeat(100_000) + ' sk-' + 'k'.repeat(100_000)
    const lines = Array.from({ length: 20_000 }, (_, i) => `export VAR_${i}=value${i} token: t${i} mail${i}@example.com /home/u${i}/x`).join('\n')
    const t0 = performance.now()
    redact(blob)
    redact(lines)
    redact(JSON.stringify(lines))
    expect(performance.now() - t0).toBeLessThan(5000)
  })
})

describe('user rules', () => {
  it('are data: compiled from JSON and applied after the built-in rules', () => {
    const rules = compileRules([
      { id: 'ticket', description: 'internal ticket ids', pattern: 'ACME-\\d{4,}' },
      { id: 'codename', pattern: 'project (bluebird|nightjar)', flags: 'i', replacement: 'project [REDACTED:$1-codename]' },
    ])
    const out = redact('see ACME-12345 for Project Bluebird, key sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaaaa', rules)
    expect(out).toBe('see [REDACTED:ticket] for project [REDACTED:Bluebird-codename], key [REDACTED:anthropic-key]')
    expect(redact(out, rules)).toBe(out)
  })

  it('refuses an invalid rule with a message naming it', () => {
    expect(() => compileRules([{ id: 'bad', pattern: '([' }])).toThrow(/redaction rule bad/)
    expect(() => compileRules([{ id: 'empty', pattern: 'x*' }])).toThrow(/empty string/)
    expect(() => compileRules([{ id: 'no spaces please', pattern: 'x' }])).toThrow(/"id"/)
  })

  it('a rule whose output matches itself still ends (bounded passes)', () => {
    const [grow] = compileRules([{ id: 'grow', pattern: 'a', replacement: 'aa' }])
    expect(redact('a', [grow]).length).toBeLessThan(1000)
  })
})

describe('redactPath and redactDeep', () => {
  it("turns this machine's home folder and any /home/<user> into ~", () => {
    expect(redactPath(`${homedir()}/work/app`)).toBe(homedir().length > 3 && homedir() !== '/root' ? '~/work/app' : redact(`${homedir()}/work/app`))
    expect(redactPath('/home/alice/work/app')).toBe('~/work/app')
    expect(redactPath('/Users/alice')).toBe('~')
    expect(redactPath('C:\\Users\\alice\\app')).toBe('~\\app')
    expect(redactPath('/srv/app')).toBe('/srv/app')
    expect(redactPath('/tmp/alice@example.com/x')).toBe('/tmp/[REDACTED:email]/x')
  })

  it('redacts every string of a JSON value and keeps keys, numbers and booleans', () => {
    const v = { cwd: '/home/alice/x', n: 3, ok: true, list: ['token=abc123', null, 4.5], nested: { email: 'a.b@example.com' } }
    expect(redactDeep(v)).toEqual({ cwd: '~/x', n: 3, ok: true, list: ['token=[REDACTED:token]', null, 4.5], nested: { email: '[REDACTED:email]' } })
  })
})
