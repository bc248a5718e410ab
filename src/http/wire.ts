import { ServerResponse, type OutgoingHttpHeaders } from 'node:http'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { hurryLingering, lingerOnClose } from './linger.js'

/**
 * Wire fidelity. Fastify writes header names in lower case; Klarna's official PHP SDK looks
 * `Content-Type` up case-sensitively. So every header Fastify sends is written in its canonical
 * casing, JSON is labelled `application/json` without a charset (as the real service sends it),
 * and Klarna-Correlation-Id (the request id) goes on every response.
 */

const special = new Map([
  ['www-authenticate', 'WWW-Authenticate'],
  ['etag', 'ETag'],
])

/** Names already spelled, so that a name is spelled once per process (a few dozen at most). */
const spelled = new Map<string, string>()

export function canonicalHeaderName(name: string): string {
  let canonical = special.get(name) ?? spelled.get(name)
  if (canonical === undefined) {
    canonical = name
      .split('-')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('-')
    if (spelled.size < 1000) spelled.set(name, canonical)
  }
  return canonical
}

const correlationId = Symbol('Klarna-Correlation-Id')
const writeHeadBefore = Symbol('writeHead before this module')
type Response = ServerResponse & {
  [correlationId]?: string | undefined
  [writeHeadBefore]?: ServerResponse['writeHead']
}

/**
 * Every answer's head, as Node is about to write it: Fastify's lower-case names in Klarna's
 * casing, JSON labelled without a charset, the correlation id added. Done once, on the object
 * Fastify hands to writeHead, instead of moving each header from Fastify's reply to Node's in an
 * onSend hook (a quarter of the time of a token read, measured).
 */
function writeHeadInKlarnaCase(this: Response, statusCode: number, ...rest: unknown[]): ServerResponse {
  const last = rest[rest.length - 1]
  const given =
    last !== null && typeof last === 'object' && !Array.isArray(last)
      ? (last as OutgoingHttpHeaders)
      : undefined
  const headers: OutgoingHttpHeaders = {}
  if (given !== undefined) {
    for (const name in given) {
      const value = given[name]
      if (value === undefined) continue
      // Klarna sends "application/json" without a charset (recorded): JSON is UTF-8 by definition.
      headers[canonicalHeaderName(name)] =
        name === 'content-type' && typeof value === 'string' && value.startsWith('application/json')
          ? 'application/json'
          : value
    }
    rest.pop()
  }
  if (this[correlationId] !== undefined) headers['Klarna-Correlation-Id'] = this[correlationId]
  // Answered before the body was read, and closing: read the rest first, so the client sees the answer.
  const connection = headers.Connection ?? this.getHeader('connection')
  if (!this.req.complete && String(connection).toLowerCase() === 'close') lingerOnClose(this.req.socket)
  // The response's own writeHead: Node's, or inject()'s (light-my-request copies the headers in its own).
  return (this[writeHeadBefore] ?? ServerResponse.prototype.writeHead).call(
    this,
    statusCode,
    ...(rest as []),
    headers,
  )
}

export function registerWire(app: FastifyInstance): void {
  // A socket still lingering after an early answer does not hold the close for long (linger.ts).
  app.addHook('preClose', (done) => {
    hurryLingering(app.server)
    done()
  })
  app.addHook('onRequest', (request, reply, done) => {
    onKlarnaWire(reply, request.id)
    done()
  })
}

/**
 * The answer's head will be written as Klarna writes it (writeHeadInKlarnaCase), with this
 * correlation id. The onRequest hook above does it for every routed call; src/app.ts's
 * frameworkErrors, answered before routing and any hook, calls it itself.
 */
export function onKlarnaWire(reply: FastifyReply, id: string): void {
  const response = reply.raw as Response
  response[correlationId] = id
  if (response.writeHead !== writeHeadInKlarnaCase) {
    response[writeHeadBefore] = response.writeHead
    response.writeHead = writeHeadInKlarnaCase
  }
}

/** The playground-style 401 carries no Klarna-Correlation-Id. */
export function withoutCorrelationId(reply: FastifyReply): void {
  ;(reply.raw as Response)[correlationId] = undefined
}
