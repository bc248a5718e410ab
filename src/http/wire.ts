import type { FastifyInstance } from 'fastify'
import { lingerOnClose } from './linger.js'

/**
 * Wire fidelity. Fastify writes header names in lower case; Klarna's official PHP SDK looks
 * `Content-Type` up case-sensitively. So every header Fastify would send is moved to the raw
 * response with its canonical casing, JSON is labelled `application/json` without a charset (as
 * the real service sends it), and Klarna-Correlation-Id (the request id) goes on every response.
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

export function registerWire(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // Answered before the body was read, and closing: read the rest first, so the client sees the answer.
    if (!request.raw.complete && String(reply.getHeader('connection')).toLowerCase() === 'close') {
      lingerOnClose(request.raw.socket)
    }
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value === undefined || name === 'content-length') continue
      reply.removeHeader(name)
      // Klarna sends "application/json" without a charset (recorded): JSON is UTF-8 by definition.
      reply.raw.setHeader(
        canonicalHeaderName(name),
        name === 'content-type' && typeof value === 'string' && value.startsWith('application/json')
          ? 'application/json'
          : value,
      )
    }
    if (request.noCorrelationHeader !== true) reply.raw.setHeader('Klarna-Correlation-Id', request.id)
    done(null, payload)
  })
}
