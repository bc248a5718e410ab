import { Ajv, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import type { FastifyInstance } from 'fastify'
import { packageRoot } from '../../dist/paths.js'

/**
 * Klarna's published OpenAPI specs (copies in test/openapi/) as the oracle: every response body
 * a test receives from a Klarna endpoint is validated against them, strictly (a field the spec
 * does not know fails, as does a missing required field or a wrong type). Error answers are
 * validated against the spec's ErrorV2 where the spec gives a status no schema.
 */

/**
 * Deliberate exceptions, in one place, each with its reason. The key is a piece of the violation
 * text to forgive, e.g. "/customer must NOT have additional properties (title)".
 */
export const exceptions: Record<string, string> = {
  'must NOT have additional properties (step_up_id)':
    'Klarna\'s "Recover token charge failure" and "Step-up" pages: a failed customer-present token charge answers a step_up_id; the published Customer Token spec\'s ErrorV2 predates it.',
  'must NOT have additional properties (customer_token)':
    'Klarna\'s "Account linking" page: the order answer of an intent buy_and_link session carries the customer_token; the published Payments spec\'s order predates it.',
  '/type must be equal to one of the allowed values':
    'The Order Management spec writes the order line types as one enum value, "physical|discount|shipping_fee|…" (a pattern pasted into an enum); every real type fails it.',
  '/intent must be equal to one of the allowed values':
    'Klarna\'s "Initiate a payment" page lists intents buy_and_default_tokenize (mixed payments) and buy_and_link (account linking), which the published spec\'s enum lacks.',
}

interface Spec {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content?: Record<string, { schema: { $ref?: string; items?: { $ref?: string } } }> }
        >
      }
    >
  >
  components: { schemas: Record<string, unknown> }
}

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict)
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'example' || k === 'examples') continue
    out[k] =
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, strict(s)]))
        : strict(v)
  }
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false
  }
  return out
}

/**
 * A spec as parsed from its YAML, which takes about a quarter of a second for the four, in every
 * test process that checks answers: the parse is kept as JSON under node_modules/.cache, named by
 * the hash of the YAML text (so an edited spec is parsed again), and read back in milliseconds.
 */
function parsedSpec(path: string): Spec {
  const text = readFileSync(path, 'utf8')
  const cached = join(
    packageRoot,
    'node_modules',
    '.cache',
    'klarna-mock',
    'openapi',
    `${createHash('sha256').update(text).digest('hex')}.json`,
  )
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as Spec
  } catch {
    const doc = parse(text) as Spec
    mkdirSync(dirname(cached), { recursive: true })
    // Written whole under another name, then renamed: two processes at once never read half a file.
    const tmp = `${cached}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(doc))
    renameSync(tmp, cached)
    return doc
  }
}

const ajv = new Ajv({ strict: false, allErrors: true })
// ajv-formats is CommonJS with a default export: under NodeNext its callable is .default.
const addFormats = (formats as unknown as { default: (a: Ajv) => void }).default ?? formats
addFormats(ajv)

const specs = [
  'klarna-payments-v1.yml',
  'klarna-customer-token-v1.yml',
  'klarna-order-management-v1.yml',
  'klarna-hpp-v1.yml',
].map((file, i) => {
  const doc = parsedSpec(join(packageRoot, 'test', 'openapi', file))
  const id = `spec${i}`
  ajv.addSchema({ $id: id, components: { schemas: strict(doc.components.schemas) } })
  return { id, doc }
})

const cache = new Map<string, ValidateFunction | null>()

/** Every Klarna error, where a spec names no schema for it (Order Management has no ErrorV2). */
const klarnaError = {
  type: 'object',
  required: ['error_code', 'error_messages', 'correlation_id'],
  properties: {
    error_code: { type: 'string' },
    error_messages: { type: 'array', items: { type: 'string' } },
    correlation_id: { type: 'string' },
  },
  additionalProperties: false,
}

/** The validator for (method, Fastify route url, status), or null when the route is not Klarna's. */
export function validatorFor(method: string, routeUrl: string, status: number): ValidateFunction | null {
  const key = `${method} ${routeUrl} ${status}`
  if (cache.has(key)) return cache.get(key) ?? null
  const specPath = routeUrl.replace(/:(\w+)/g, '{$1}')
  let found: ValidateFunction | null = null
  for (const { id, doc } of specs) {
    const op = doc.paths[specPath]?.[method.toLowerCase()]
    if (op === undefined) continue
    const declared = op.responses[String(status)]?.content?.['application/json']?.schema
    // The Order Management spec names its schemas with spaces ("No such order error message").
    const pointer = (ref: string) => `${id}${ref.replace(/ /g, '%20')}`
    const arrayOf = declared?.items?.$ref
    if (arrayOf !== undefined) found = ajv.compile({ type: 'array', items: { $ref: pointer(arrayOf) } })
    else if (declared?.$ref !== undefined) found = ajv.compile({ $ref: pointer(declared.$ref) })
    else if (status >= 400) {
      found =
        doc.components.schemas.ErrorV2 !== undefined
          ? ajv.compile({ $ref: pointer('#/components/schemas/ErrorV2') })
          : ajv.compile(klarnaError)
    }
  }
  cache.set(key, found)
  return found
}

export interface Violation {
  route: string
  status: number
  errors: string[]
  body: unknown
}

/** Adds the oracle to an app; violations are collected in the array returned. */
export function watch(app: FastifyInstance): Violation[] {
  const violations: Violation[] = []
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url
    if (route === undefined || typeof payload !== 'string' || payload === '' || route.startsWith('/_mock')) {
      return payload
    }
    const validate = validatorFor(request.method, route, reply.statusCode)
    if (validate === null) return payload
    // The opt-in playground 401 (--unauthorized-body html) is an HTML page, not a Klarna body.
    const type = String(reply.raw.getHeader('content-type') ?? reply.getHeader('content-type') ?? '')
    if (reply.statusCode === 401 && type.startsWith('text/html')) return payload
    let body: unknown
    try {
      body = JSON.parse(payload)
    } catch {
      violations.push({
        route: `${request.method} ${route}`,
        status: reply.statusCode,
        errors: [`not JSON (${type})`],
        body: payload.slice(0, 200),
      })
      return payload
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .map(
          (e) =>
            `${e.instancePath} ${e.message ?? ''}${e.params !== undefined && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
        )
        .filter((e) => !Object.keys(exceptions).some((x) => e.includes(x)))
      if (errors.length > 0) {
        violations.push({ route: `${request.method} ${route}`, status: reply.statusCode, errors, body })
      }
    }
    return payload
  })
  return violations
}
