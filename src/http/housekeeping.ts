import type { FastifyInstance } from 'fastify'
import { sweepExpired } from '../domain/context.js'

/** One log line per request, with the correlation id (Fastify's own two lines are turned off). */
export function registerRequestLog (app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      correlation_id: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      merchant: request.merchant === '' ? undefined : request.merchant,
      scenario: request.scenarioApplied,
      ms: Math.round(reply.elapsedTime)
    }, 'request')
  })
}

/** Expired sessions, authorizations and idempotency keys are forgotten, at most once a virtual minute. */
export function registerSweep (app: FastifyInstance): void {
  const { clock } = app.domain
  let last = clock.nowMs()
  app.addHook('onResponse', async () => {
    if (clock.nowMs() - last <= 60_000) return
    last = clock.nowMs()
    sweepExpired(app.domain)
  })
}
