import { z } from 'zod'
import { events, routeNames, routes, type RouteName } from '../shared/contract'
import { VERSION } from '../shared/version'

// The OpenAPI 3.1 document of the local host, derived from the contract: every route's REST
// address, its input as path/query parameters (GET, DELETE) or a JSON body, and its output
// inside the {ok, data} envelope. Served at /api/v1/openapi.json; nothing here is hand-kept.

type JsonSchema = Record<string, unknown>

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema; `$schema` dropped since the document names the dialect. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema
  return rest
}

const ErrorBody = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { enum: ['bad_request', 'not_found', 'unauthorized', 'conflict', 'unsupported_format', 'io_error', 'cancelled', 'internal'] }, message: { type: 'string' } },
    },
  },
}

const envelope = (data: JsonSchema) => ({ type: 'object', required: ['ok', 'data'], properties: { ok: { const: true }, data } })
const json = (schema: JsonSchema) => ({ 'application/json': { schema } })
const errors = {
  '400': { description: 'invalid input', content: json(ErrorBody) },
  '401': { description: 'missing or wrong token', content: json(ErrorBody) },
  '404': { description: 'no such run (or route)', content: json(ErrorBody) },
  '500': { description: 'internal error', content: json(ErrorBody) },
}

function operation(route: RouteName) {
  const def = routes[route]
  const [method, path] = def.http
  const pathParams = [...path.matchAll(/:(\w+)/g)].map((m) => m[1])
  const input = jsonSchemaOf(def.input, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
  const props = input.properties ?? {}
  const required = new Set(input.required ?? [])
  const parameters: unknown[] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: props[name] ?? { type: 'string' } }))
  const op: Record<string, unknown> = {
    operationId: route,
    tags: [route.split('.')[0]],
    summary: route,
    parameters,
    responses: { '200': { description: 'the route’s result', content: json(envelope(jsonSchemaOf(def.output, 'output'))) }, ...errors },
  }
  if (method === 'GET' || method === 'DELETE') {
    for (const [name, schema] of Object.entries(props)) {
      if (pathParams.includes(name)) continue
      // Query strings carry scalars; an array or object input goes as JSON text (rare on GET).
      parameters.push({ name, in: 'query', required: required.has(name), schema })
    }
  } else {
    const body = { ...input, properties: Object.fromEntries(Object.entries(props).filter(([k]) => !pathParams.includes(k))), required: [...required].filter((k) => !pathParams.includes(k)) }
    op.requestBody = { required: body.required.length > 0, content: json(body) }
  }
  return { path: '/api/v1' + path.replace(/:(\w+)/g, '{$1}'), method: method.toLowerCase(), op }
}

/** Endpoints the host serves outside the route table. */
function extraPaths() {
  const eventSchemas = Object.fromEntries(Object.entries(events).map(([name, schema]) => [name, jsonSchemaOf(schema, 'output')]))
  return {
    '/api/v1/openapi.json': { get: { operationId: 'openapi', tags: ['meta'], summary: 'this document', responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } } },
    '/api/v1/stream': {
      get: {
        operationId: 'stream', tags: ['meta'],
        summary: 'WebSocket of push events',
        description: 'Upgrade to a WebSocket (token as for every request). Each message is {"event": NAME, "payload": …}; the payload schemas are in x-swarmscope-events.',
        'x-swarmscope-events': eventSchemas,
        responses: { '101': { description: 'switching to the WebSocket protocol' }, '401': { description: 'missing or wrong token' } },
      },
    },
    '/api/v1/uploads': {
      post: {
        operationId: 'uploads.create', tags: ['import'], summary: 'start an upload of files to import (browsers cannot pass paths)',
        responses: { '200': { description: 'the upload', content: json(envelope({ type: 'object', required: ['uploadId'], properties: { uploadId: { type: 'string' } } })) } },
      },
    },
    '/api/v1/uploads/{uploadId}/files': {
      put: {
        operationId: 'uploads.file', tags: ['import'], summary: 'one file of the upload, raw body',
        parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'path', in: 'query', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
        responses: { '200': { description: 'stored', content: json(envelope({ type: 'object', required: ['path'], properties: { path: { type: 'string' } } })) } },
      },
    },
    '/api/v1/uploads/{uploadId}/import': {
      post: {
        operationId: 'uploads.import', tags: ['import'], summary: 'import the uploaded files (as import.paths)',
        parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: json(jsonSchemaOf(routes['import.paths'].input.omit({ paths: true }), 'input')) },
        responses: { '200': { description: 'the import result', content: json(envelope(jsonSchemaOf(routes['import.paths'].output, 'output'))) } },
      },
    },
    '/metrics': { get: { operationId: 'metrics', tags: ['meta'], summary: 'Prometheus metrics (text exposition format 0.0.4)', responses: { '200': { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    '/mcp': { post: { operationId: 'mcp', tags: ['meta'], summary: 'Model Context Protocol, streamable HTTP transport (JSON-RPC)', responses: { '200': { description: 'a JSON-RPC answer (JSON or an event stream)' } } } },
  }
}

let cached: Record<string, unknown> | null = null

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routeNames) {
    const { path, method, op } = operation(route)
    ;(paths[path] ??= {})[method] = op
  }
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Swarmscope local API',
      version: VERSION,
      description: 'The contract of the Swarmscope local host (`swarmscope serve`): loopback only, every request with the per-launch token. Results are {ok:true,data} or {ok:false,error:{code,message}}.',
    },
    servers: [{ url: 'http://127.0.0.1:7420', description: 'swarmscope serve (default port)' }],
    security: [{ bearer: [] }, { header: [] }, { query: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' },
        header: { type: 'apiKey', in: 'header', name: 'x-swarmscope-token' },
        query: { type: 'apiKey', in: 'query', name: 'token' },
      },
    },
    paths: { ...paths, ...extraPaths() },
  }
  return cached
}
