/**
 * The one place Klarna errors are built. Domain code throws a KlarnaError; the HTTP layer
 * (src/http/errors.ts) turns every error into Klarna's body
 * {"error_code", "error_messages": [...], "correlation_id"}.
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

/** 400 BAD_VALUE "Bad value: a, b[0].c": Klarna joins every bad field into one message. */
export function badValue(fields: readonly string[]): KlarnaError {
  const unique = [...new Set(fields)]
  return new KlarnaError(400, 'BAD_VALUE', [`Bad value: ${unique.join(', ')}`])
}

export function badRequest(message?: string): KlarnaError {
  return new KlarnaError(400, 'BAD_REQUEST', message === undefined ? [] : [message])
}

export function unauthorized(): KlarnaError {
  return new KlarnaError(401, 'UNAUTHORIZED', ['Invalid credentials'], {
    'WWW-Authenticate': 'Basic realm="Klarna API"',
  })
}

export function invalidOperation(message: string): KlarnaError {
  return new KlarnaError(403, 'INVALID_OPERATION', [message])
}

export function forbidden(code: string, message: string): KlarnaError {
  return new KlarnaError(403, code, [message])
}

export function notFound(message: string, code = 'NOT_FOUND'): KlarnaError {
  return new KlarnaError(404, code, [message])
}

/** 409 BAD_VALUE "Not matching fields: [a, b]" */
export function notMatching(fields: readonly string[]): KlarnaError {
  return new KlarnaError(409, 'BAD_VALUE', [`Not matching fields: [${fields.join(', ')}]`])
}

export function conflict(message: string, code = 'BAD_VALUE'): KlarnaError {
  return new KlarnaError(409, code, [message])
}

export const messages = {
  invalidAuthorizationToken: 'Invalid authorization token',
  invalidSessionId: 'Invalid session id',
  hppSessionNotFound: 'HPP session has expired or could not be found by provided id',
  sessionCompleted: 'Session has already been completed',
  authorizationConsumed: 'Authorization token already consumed',
  orderDifferentBody: 'The order has been already completed with different request body',
  invalidCustomerToken: 'Invalid customer-token ID',
  invalidTokenId: 'Invalid token ID',
  tokenNotFound: 'Customer token not found',
  tokenCancelled: 'Customer token has been cancelled',
  tokenSuspended: 'Customer token has been suspended',
  stepUpRequired: 'The customer token cannot be charged without the customer: a step-up is required',
  currencyMismatch: "The payment method can't be used for orders in the specified currency",
  rejected: 'Rejected',
  notTokenizable: (category: string, country: string) =>
    `${category} is not valid for creating customer tokens in ${country}`,
  intentNotAllowed: (intent: string, what: string) => `Not allowed to ${what} for intent ${intent}.`,
} as const
