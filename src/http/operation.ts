import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** The route's operationId (Klarna's name of the call), undefined off Klarna's routes. */
    operation: string | undefined
    /** The route takes a body (its schema has one). */
    expectsBody: boolean
  }
}

/**
 * What later hooks ask of the route, read once per request: Fastify builds a new routeOptions
 * object on every access, and the journal, the scenarios, the rate limits and the body default
 * all ask. Registered first.
 */
export function registerOperation(app: FastifyInstance): void {
  app.decorateRequest('operation', undefined)
  app.decorateRequest('expectsBody', false)
  app.addHook('onRequest', (request, _reply, done) => {
    const schema = request.routeOptions.schema as { operationId?: string; body?: unknown } | undefined
    request.operation = schema?.operationId
    request.expectsBody = schema?.body !== undefined
    done()
  })
}
