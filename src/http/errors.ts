import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { KlarnaError, errors } from '../domain/errors.js'
import { withoutCorrelationId } from './wire.js'

/**
 * Every error leaves the server in Klarna's shape: {"error_code", "error_messages",
 * "correlation_id"}, Fastify's own errors (bad JSON, body too large, content type, unknown
 * route, validation) included. The correlation id is the request id (src/http/wire.ts).
 */

interface AjvError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
}

/** "/order_lines/2/total_tax_amount" -> "order_lines[2].total_tax_amount" */
export function toKlarnaPath(instancePath: string, missing?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (missing !== undefined) parts.push(missing)
  let out = ''
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`
  return out
}

/**
 * Klarna checks these first and, when one is missing or bad, names only them (recorded: `{}` → "Bad value:
 * purchase_currency, purchase_country").
 */
const firstStage = ['purchase_currency', 'purchase_country']
/** Where that staging was recorded: creating a session. */
const stagedOperations = new Set(['createCreditSession'])

export interface ValidationOptions {
  /** The error code of a bad field: BAD_VALUE, or BAD_REQUEST where Klarna was recorded using it. */
  code?: 'BAD_VALUE' | 'BAD_REQUEST'
  /** The operation (its staging of messages). */
  operation?: string | undefined
}

export function validationError(
  problems: AjvError[],
  context: string | undefined,
  { code = 'BAD_VALUE', operation }: ValidationOptions = {},
): KlarnaError {
  const paths: string[] = []
  for (const e of problems) {
    const missing = e.keyword === 'required' ? String(e.params.missingProperty) : undefined
    const path = toKlarnaPath(e.instancePath, missing)
    if (path === '') {
      return context === 'body' || context === undefined
        ? errors.notAnObject()
        : errors.badPart({ part: context })
    }
    paths.push(path)
  }
  const staged =
    operation !== undefined && stagedOperations.has(operation)
      ? firstStage.filter((p) => paths.includes(p))
      : []
  const fields = staged.length > 0 ? staged : paths
  return code === 'BAD_VALUE' ? errors.badValue({ fields }) : errors.badRequestFields({ fields })
}

export function toKlarnaError(
  err: FastifyError | KlarnaError | Error,
  options: ValidationOptions = {},
): KlarnaError {
  if (err instanceof KlarnaError) return err
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string }
  if (Array.isArray(e.validation)) return validationError(e.validation, e.validationContext, options)
  const status = e.statusCode ?? 500
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.requestTooLarge()
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedContentType()
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.contentLengthMismatch()
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.malformedJson()
  }
  if (status === 401) return errors.unauthorized()
  if (err instanceof SyntaxError || (status === 400 && /JSON|prototype|constructor/i.test(e.message))) {
    return errors.malformedJson()
  }
  if (status >= 400 && status < 500) return errors.clientError(status, e.message)
  return errors.internalError()
}

/** The 401 body: --unauthorized-body, else what the fidelity says (the recorded page, or the documented JSON). */
function unauthorizedStyle(request: FastifyRequest): 'html' | 'json' {
  return (
    request.server.mockOptions.unauthorizedBody ??
    (request.server.domain.settings.fidelity === 'recorded' ? 'html' : 'json')
  )
}

/** The page Klarna's real playground answers 401 with (openresty, no JSON, no correlation id). */
const playground401 =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n'

export function sendKlarnaError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: KlarnaError,
): FastifyReply {
  if (error.statusCode === 401 && unauthorizedStyle(request) === 'html') {
    withoutCorrelationId(reply)
    return reply
      .code(401)
      .header('WWW-Authenticate', 'Basic realm="very closed site"')
      .type('text/html')
      .send(playground401)
  }
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  return reply
    .code(error.statusCode)
    .type('application/json')
    .send(
      JSON.stringify({
        error_code: error.errorCode,
        error_messages: error.errorMessages,
        ...error.extra,
        correlation_id: request.id,
      }),
    )
}

/**
 * Token orders: the real service answered a bad field with 400 BAD_REQUEST "Bad value: …"
 * (krokedil/klarna-checkout-for-woocommerce#139), where the Payments API uses BAD_VALUE.
 */
const operationOf = (request: FastifyRequest) =>
  (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId

function validationCode(request: FastifyRequest): 'BAD_VALUE' | 'BAD_REQUEST' {
  return operationOf(request) === 'createTokenOrder' && request.server.domain.settings.fidelity === 'recorded'
    ? 'BAD_REQUEST'
    : 'BAD_VALUE'
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const answer = toKlarnaError(err, { code: validationCode(request), operation: operationOf(request) })
    if (answer.statusCode >= 500 && !(err instanceof KlarnaError)) {
      request.log.error({ err }, 'request failed')
    }
    return sendKlarnaError(request, reply, answer)
  })
  app.setNotFoundHandler((request, reply) => {
    return sendKlarnaError(
      request,
      reply,
      errors.noSuchEndpoint({ method: request.method, path: request.url.split('?')[0] ?? '' }),
    )
  })
}
