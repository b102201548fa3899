import { isObj, LineError } from '../records'

// A transcript line's fields, checked for type before any of the line is used: a wrong type is
// reported with the line and the field, and the line is left out whole, instead of importing as
// zeros (`usage: "lots"`), as a run of its own (`sessionId: 12345`) or not at all without a
// word (a tool call whose id is a number). Fields Swarmscope does not read are not checked.

type Obj = Record<string, unknown>

// null stands for "not there" in real transcripts (`parentUuid` of a first line, `is_error` of
// most tool results), so only a value of another type is wrong.
function optString(o: Obj, key: string, field: string): void {
  const v = o[key]
  if (v !== undefined && v !== null && typeof v !== 'string') throw new LineError(`${field} is not a string`)
}

function optBoolean(o: Obj, key: string, field: string): void {
  const v = o[key]
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw new LineError(`${field} is not true or false`)
}

/** Token counts are whole and never negative; null is Claude Code's "not reported". */
export function optCount(o: Obj, key: string, field: string): void {
  const v = o[key]
  if (v === undefined || v === null) return
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new LineError(`${field} is not a whole non-negative number: ${JSON.stringify(v).slice(0, 40)}`)
}

const USAGE_COUNTS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']
const CACHE_COUNTS = ['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens']

function checkUsage(usage: unknown): void {
  if (usage === undefined || usage === null) return
  if (!isObj(usage)) throw new LineError('message.usage is not an object')
  for (const k of USAGE_COUNTS) optCount(usage, k, `message.usage.${k}`)
  const cache = usage.cache_creation
  if (cache === undefined || cache === null) return
  if (!isObj(cache)) throw new LineError('message.usage.cache_creation is not an object')
  for (const k of CACHE_COUNTS) optCount(cache, k, `message.usage.cache_creation.${k}`)
}

function checkContent(content: unknown): void {
  if (content === undefined || content === null || typeof content === 'string') return
  if (!Array.isArray(content)) throw new LineError('message.content is neither text nor a list of blocks')
  content.forEach((b: unknown, i) => {
    if (!isObj(b)) return // not a block Swarmscope reads
    const at = `message.content[${i}]`
    if (b.type === 'tool_use') {
      if (typeof b.id !== 'string' || b.id === '') throw new LineError(`${at}.id of a tool_use is not a string`)
      optString(b, 'name', `${at}.name`)
    } else if (b.type === 'tool_result') {
      if (typeof b.tool_use_id !== 'string' || b.tool_use_id === '') throw new LineError(`${at}.tool_use_id of a tool_result is not a string`)
      optBoolean(b, 'is_error', `${at}.is_error`)
    }
  })
}

/** Throws LineError naming the first field of a user/assistant/system line with a wrong type. */
export function checkLine(rec: Obj): void {
  optString(rec, 'sessionId', 'sessionId')
  optString(rec, 'uuid', 'uuid')
  optString(rec, 'parentUuid', 'parentUuid')
  optString(rec, 'requestId', 'requestId')
  optString(rec, 'agentId', 'agentId')
  optString(rec, 'cwd', 'cwd')
  optBoolean(rec, 'isSidechain', 'isSidechain')
  const cost = rec.costUSD
  if (cost !== undefined && cost !== null && (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0)) throw new LineError('costUSD is not a non-negative number')
  const message = rec.message
  if (message === undefined || message === null) return
  if (!isObj(message)) throw new LineError('message is not an object')
  optString(message, 'model', 'message.model')
  optString(message, 'id', 'message.id')
  checkUsage(message.usage)
  checkContent(message.content)
}
