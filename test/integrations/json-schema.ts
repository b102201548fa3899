// A JSON Schema (2020-12) validator for the keywords zod's toJSONSchema and our OpenAPI
// document use. Written for the API tests so that responses are checked against the published
// document itself, not only re-parsed with the zod schemas it came from. A keyword it does not
// know fails validation loudly rather than being skipped.

type Schema = Record<string, unknown> | boolean

const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'format', '$schema', '$id', 'deprecated', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', '$comment', 'id'])
const APPLICATORS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'prefixItems', 'minItems', 'maxItems', 'enum', 'const',
  'anyOf', 'oneOf', 'allOf', 'not', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  '$ref', '$defs', 'definitions', 'minProperties', 'maxProperties', 'uniqueItems',
])

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)
const isType = (v: unknown, t: string) => typeOf(v) === t || (t === 'number' && typeOf(v) === 'integer')
const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export function validate(schema: Schema, value: unknown, root: Schema = schema, at = '$'): string[] {
  if (schema === true) return []
  if (schema === false) return [`${at}: no value is allowed here`]
  const errors: string[] = []
  const err = (m: string) => errors.push(`${at}: ${m}`)
  for (const k of Object.keys(schema)) {
    if (!APPLICATORS.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-')) err(`validator does not know keyword "${k}"`)
  }
  const s = schema as Record<string, unknown>
  if (typeof s.$ref === 'string') {
    const target = s.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[decodeURIComponent(p)], root)
    if (target === undefined) err(`unresolved $ref ${s.$ref}`)
    else errors.push(...validate(target as Schema, value, root, at))
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
    if (!types.some((t) => isType(value, t))) err(`expected ${types.join('|')}, got ${typeOf(value)}`)
  }
  if (s.enum && !(s.enum as unknown[]).some((e) => deepEqual(e, value))) err(`not one of ${JSON.stringify(s.enum)}`)
  if ('const' in s && !deepEqual(s.const, value)) err(`expected ${JSON.stringify(s.const)}`)
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) err(`${value} < minimum ${s.minimum}`)
    if (typeof s.maximum === 'number' && value > s.maximum) err(`${value} > maximum ${s.maximum}`)
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) err(`${value} ≤ exclusiveMinimum ${s.exclusiveMinimum}`)
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) err(`${value} ≥ exclusiveMaximum ${s.exclusiveMaximum}`)
    if (typeof s.multipleOf === 'number' && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) err(`not a multiple of ${s.multipleOf}`)
  }
  if (typeof value === 'string') {
    const len = [...value].length
    if (typeof s.minLength === 'number' && len < s.minLength) err(`shorter than ${s.minLength}`)
    if (typeof s.maxLength === 'number' && len > s.maxLength) err(`longer than ${s.maxLength}`)
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) err(`does not match ${s.pattern}`)
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) err(`fewer than ${s.minItems} items`)
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) err(`more than ${s.maxItems} items`)
    const prefix = (s.prefixItems as Schema[] | undefined) ?? []
    value.forEach((v, i) => {
      if (i < prefix.length) errors.push(...validate(prefix[i], v, root, `${at}[${i}]`))
      else if (s.items !== undefined) errors.push(...validate(s.items as Schema, v, root, `${at}[${i}]`))
    })
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) err('items are not unique')
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>
    const props = (s.properties as Record<string, Schema> | undefined) ?? {}
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) err(`missing required property "${r}"`)
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...validate(props[k], v, root, `${at}.${k}`))
      else if (s.additionalProperties !== undefined) errors.push(...validate(s.additionalProperties as Schema, v, root, `${at}.${k}`))
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames as Schema, k, root, `${at}{${k}}`))
    }
    const n = Object.keys(obj).length
    if (typeof s.minProperties === 'number' && n < s.minProperties) err(`fewer than ${s.minProperties} properties`)
    if (typeof s.maxProperties === 'number' && n > s.maxProperties) err(`more than ${s.maxProperties} properties`)
  }
  if (s.allOf) for (const sub of s.allOf as Schema[]) errors.push(...validate(sub, value, root, at))
  if (s.anyOf && !(s.anyOf as Schema[]).some((sub) => validate(sub, value, root, at).length === 0)) err(`matches none of anyOf (${(s.anyOf as Schema[]).length})`)
  if (s.oneOf) {
    const matching = (s.oneOf as Schema[]).filter((sub) => validate(sub, value, root, at).length === 0).length
    if (matching !== 1) err(`matches ${matching} of oneOf, not exactly one`)
  }
  if (s.not !== undefined && validate(s.not as Schema, value, root, at).length === 0) err('matches a "not" schema')
  return errors
}

/** A value that satisfies the schema's required parts: used to call every documented route with valid input. */
export function sample(schema: Schema, name: string, pick: (name: string, schema: Record<string, unknown>) => unknown, root: Schema = schema): unknown {
  if (typeof schema === 'boolean') return null
  const picked = pick(name, schema)
  if (picked !== undefined) return picked
  if (typeof schema.$ref === 'string') return sample(schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], root) as Schema, name, pick, root)
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[key])) return sample((schema[key] as Schema[])[0], name, pick, root)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  if (type === 'string') return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)))
  if (type === 'integer' || type === 'number') return typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1
  if (type === 'boolean') return false
  if (type === 'null') return null
  if (type === 'array') return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => sample((schema.items as Schema) ?? {}, name, pick, root))
  if (type === 'object' || schema.properties) {
    const props = (schema.properties as Record<string, Schema>) ?? {}
    return Object.fromEntries(((schema.required as string[]) ?? []).map((k) => [k, sample(props[k] ?? {}, k, pick, root)]))
  }
  return 'x'
}
