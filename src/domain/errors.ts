/**
 * The error catalogue: every Klarna error the mock answers is declared here once, with its status,
 * its error_code and its message template, as Fastify's lib/errors.js declares its errors with
 * createError. Code throws `errors.tokenSuspended()` or `errors.badValue({ fields })`; the HTTP layer
 * (src/http/errors.ts) turns every KlarnaError into Klarna's body
 * {"error_code", "error_messages": [...], "correlation_id"}.
 *
 * Templates name their parameters in braces, as scenario files do ({purchase_country}, {fields}):
 * test/in-process/catalogue.test.ts checks that each shipped scenario says what the catalogue entry
 * of the same error says. Some entries no rule of the mock throws (merchantInactive, tokenForbidden,
 * paymentMethodFailed, serviceUnavailable, …): Klarna answers them for reasons the mock cannot see,
 * so only scenario files play them, and they are declared here so that those files are checked.
 */
export class KlarnaError extends Error {
  readonly statusCode: number
  readonly errorCode: string
  readonly errorMessages: string[]
  readonly headers: Record<string, string>
  /** Fields some errors carry beside the three (a failed token charge: fraud_status, reason, step_up_id, …). */
  readonly extra: Record<string, unknown>

  constructor(
    statusCode: number,
    errorCode: string,
    errorMessages: string[] = [],
    headers: Record<string, string> = {},
    extra: Record<string, unknown> = {},
  ) {
    super(`${errorCode}: ${errorMessages.join('; ')}`)
    this.name = 'KlarnaError'
    this.statusCode = statusCode
    this.errorCode = errorCode
    this.errorMessages = errorMessages
    this.headers = headers
    this.extra = extra
  }
}

/** The names in braces of a template: 'Order {order_id} cannot be found' → 'order_id'. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never

type Value = string | number | readonly string[]
type Params<T extends string> = [Placeholders<T>] extends [never] ? [] : [Record<Placeholders<T>, Value>]

/** What a thrower may add: headers (Retry-After) and fields beside the three (step_up_id). */
export interface ErrorExtras {
  headers?: Record<string, string>
  extra?: Record<string, unknown>
}

export interface ErrorDeclaration<T extends string> {
  (...args: [...Params<T>, ErrorExtras?]): KlarnaError
  readonly status: number
  readonly code: string
  /** The message template; undefined for an error Klarna answers with no message. */
  readonly template: T | undefined
}

/** A list is joined as Klarna joins field names: each once, comma-separated. */
function show(value: Value): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : [...new Set(value)].join(', ')
}

export function fillTemplate(template: string, params: Record<string, Value>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    name in params ? show(params[name] as Value) : whole,
  )
}

/** Declares one Klarna error. */
export function createError<T extends string = never>(
  status: number,
  code: string,
  template?: T,
  headers: Record<string, string> = {},
): ErrorDeclaration<T> {
  const build = (...args: unknown[]): KlarnaError => {
    const hasParams = template !== undefined && template.includes('{')
    const params = (hasParams ? args[0] : {}) as Record<string, Value>
    const extras = ((hasParams ? args[1] : args[0]) ?? {}) as ErrorExtras
    return new KlarnaError(
      status,
      code,
      template === undefined ? [] : [fillTemplate(template, params)],
      { ...headers, ...extras.headers },
      extras.extra,
    )
  }
  return Object.assign(build, { status, code, template }) as ErrorDeclaration<T>
}

export const errors = {
  // 400: the request
  badValue: createError(400, 'BAD_VALUE', 'Bad value: {fields}'),
  /** Where Klarna was recorded naming bad fields under BAD_REQUEST (Order Management, HPP). */
  badRequestFields: createError(400, 'BAD_REQUEST', 'Bad value: {fields}'),
  badRequest: createError(400, 'BAD_REQUEST'),
  /** A message of the mock's own: the control API's, a header the mock defines. */
  mockBadRequest: createError(400, 'BAD_REQUEST', '{message}'),
  notAnObject: createError(400, 'BAD_REQUEST', 'The request body must be a JSON object'),
  badPart: createError(400, 'BAD_REQUEST', 'Bad {part}'),
  malformedJson: createError(400, 'BAD_REQUEST', 'Malformed JSON in request body'),
  unsupportedContentType: createError(400, 'BAD_REQUEST', 'Unsupported Content-Type: send application/json'),
  contentLengthMismatch: createError(400, 'BAD_REQUEST', 'Request body size did not match Content-Length'),
  invalidUrl: createError(400, 'BAD_REQUEST', 'Invalid URL'),
  paramTooLong: createError(400, 'BAD_REQUEST', 'Path parameter is too long'),
  notTokenizable: createError(
    400,
    'BAD_REQUEST',
    '{payment_method_category} is not valid for creating customer tokens in {purchase_country}',
  ),
  hppCompleted: createError(400, 'BAD_REQUEST', 'HPP session has already been successfully completed'),
  hppFinal: createError(400, 'BAD_REQUEST', 'HPP session is {status}'),
  hppNotDistributable: createError(
    400,
    'BAD_REQUEST',
    'HPP session is {status}: its link can no longer be distributed',
  ),
  invalidClientToken: createError(400, 'BAD_REQUEST', 'Invalid client_token'),
  requestTooLarge: createError(413, 'REQUEST_TOO_LARGE', 'Request body is too large'),

  // 401
  unauthorized: createError(401, 'UNAUTHORIZED', 'Invalid credentials', {
    'WWW-Authenticate': 'Basic realm="Klarna API"',
  }),

  // 403: the operation is not allowed
  authorizationConsumed: createError(403, 'INVALID_OPERATION', 'Authorization token already consumed'),
  intentNotAllowed: createError(403, 'INVALID_OPERATION', 'Not allowed to {operation} for intent {intent}.'),
  operationNotEnabled: createError(403, 'INVALID_OPERATION'),
  rejected: createError(403, 'REJECTED', 'Rejected'),
  mintDeclined: createError(403, 'REJECTED', 'Rejected: the authorization was declined ({reason})'),
  merchantInactive: createError(403, 'MERCHANT_INACTIVE'),
  tokenCancelled: createError(403, 'TOKEN_CANCELLED', 'Customer token has been cancelled'),
  tokenCanceled: createError(403, 'TOKEN_CANCELED', 'Customer token is not linked to your merchant ID'),
  tokenSuspended: createError(403, 'TOKEN_SUSPENDED', 'Customer token has been suspended'),
  tokenForbidden: createError(403, 'TOKEN_FORBIDDEN', 'Usage of the customer token is forbidden'),
  unavailablePaymentMethod: createError(
    403,
    'UNAVAILABLE_PAYMENT_METHOD',
    'The payment method is not available',
  ),
  currencyMismatch: createError(
    403,
    'UNAVAILABLE_PAYMENT_METHOD',
    "The payment method can't be used for orders in the specified currency",
  ),
  stepUpRequired: createError(
    403,
    'UNAVAILABLE_PAYMENT_METHOD',
    'The customer token cannot be charged without the customer: a step-up is required',
  ),
  paymentMethodCurrencyMismatch: createError(
    403,
    'PAYMENT_METHOD_CURRENCY_MISMATCH',
    'The payment method of the customer token is not available for the order currency',
  ),
  paymentMethodFailed: createError(
    403,
    'PAYMENT_METHOD_FAILED',
    'The purchase with the payment method failed',
  ),
  // Order Management
  notAllowed: createError(403, 'NOT_ALLOWED', '{message}'),
  notUpdatable: createError(403, 'NOT_ALLOWED', 'Order is {status}. {part} cannot be updated'),
  captureNotAllowed: createError(403, 'CAPTURE_NOT_ALLOWED', 'Capture not allowed'),
  refundNotAllowed: createError(403, 'REFUND_NOT_ALLOWED', '{message}'),
  refundWithoutCapture: createError(403, 'REFUND_NOT_ALLOWED', 'Order has no captures. Refund not possible'),
  cancelAfterCapture: createError(
    403,
    'CANCEL_NOT_ALLOWED',
    'Order has previous captures. Cancel not possible',
  ),
  cancelCancelled: createError(403, 'CANCEL_NOT_ALLOWED', 'Order is cancelled. Cancel not possible'),
  // the control API
  operatorOnly: createError(
    403,
    'FORBIDDEN',
    'Only the operator can act on another merchant (see --admin-credentials)',
  ),

  // 404: unknown (another merchant's objects alike)
  invalidAuthorizationToken: createError(404, 'NOT_FOUND', 'Invalid authorization token'),
  authorizationCannotBeDeleted: createError(404, 'NOT_FOUND', 'Authorization cannot be deleted'),
  invalidSessionId: createError(404, 'NOT_FOUND', 'Invalid session id'),
  sessionCompleted: createError(404, 'SESSION_COMPLETED', 'Session has already been completed'),
  hppSessionNotFound: createError(
    404,
    'NOT_FOUND',
    'HPP session has expired or could not be found by provided id',
  ),
  invalidCustomerToken: createError(404, 'NOT_FOUND', 'Invalid customer-token ID'),
  invalidTokenId: createError(404, 'NOT_FOUND', 'Invalid token ID'),
  tokenNotFound: createError(404, 'TOKEN_NOT_FOUND', 'Customer token not found'),
  noSuchOrder: createError(404, 'NO_SUCH_ORDER', 'Order {order_id} cannot be found'),
  noSuchCapture: createError(
    404,
    'NO_SUCH_CAPTURE',
    'Capture {capture_id} cannot be found for order {order_id}',
  ),
  noSuchRefund: createError(404, 'NOT_FOUND', 'Refund {refund_id} cannot be found for order {order_id}'),
  noSuchEndpoint: createError(404, 'NOT_FOUND', 'No such endpoint: {method} {path}'),
  unknownRedirect: createError(404, 'NOT_FOUND', 'Unknown redirect'),
  scenarioNotArmed: createError(404, 'NOT_FOUND', 'Scenario "{name}" is not armed'),

  // 409: conflicts with what was sent before
  notMatching: createError(409, 'BAD_VALUE', 'Not matching fields: [{fields}]'),
  orderDifferentBody: createError(
    409,
    'BAD_VALUE',
    'The order has been already completed with different request body',
  ),
  idempotencyKeyReused: createError(
    409,
    'IDEMPOTENCY_KEY_REUSED',
    'Klarna-Idempotency-Key {key} was already used with a different request',
  ),
  tokenNotReinstatable: createError(
    409,
    'INVALID_OPERATION',
    'A cancelled customer token cannot be reinstated',
  ),

  // 429, 5xx
  tooManyRequests: createError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'),
  internalError: createError(500, 'INTERNAL_SERVER_ERROR', 'Internal error'),
  serviceUnavailable: createError(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable'),
  stateFileUnwritable: createError(
    503,
    'SERVICE_UNAVAILABLE',
    'The mock could not write its state file: {reason}',
  ),
  temporarilyUnavailable: createError(503, 'TEMPORARILY_UNAVAILABLE', 'Temporarily unavailable'),

  /** A 4xx Fastify raised that no entry above names: its status, under BAD_REQUEST. */
  clientError: (status: number, message: string): KlarnaError =>
    new KlarnaError(status, 'BAD_REQUEST', [message]),
  /** An error a scenario file declares (src/http/scenarios.ts), messages already filled. */
  forced: (
    status: number,
    code: string,
    messages: string[],
    headers: Record<string, string>,
    extra: Record<string, unknown>,
  ): KlarnaError => new KlarnaError(status, code, messages, headers, extra),
}
