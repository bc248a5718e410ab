import type { FastifyInstance } from 'fastify'
import { sweepExpired } from '../domain/context.js'

/** One log line per request, with the correlation id (Fastify's own two lines are turned off). */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    // The correlation id is the logger's request label (requestIdLogLabel in src/app.ts). The
    // message is the whole line a person reads on a terminal; the fields are for JSON readers.
    const merchant = request.merchant === '' ? undefined : request.merchant
    const ms = Math.round(reply.elapsedTime)
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        merchant,
        scenario: request.scenarioApplied,
        ms,
      },
      `${request.method} ${request.url} ${reply.statusCode} ${ms}ms${merchant === undefined ? '' : ` merchant=${merchant}`}` +
        `${request.scenarioApplied === undefined ? '' : ` scenario=${request.scenarioApplied}`} ${request.id}`,
    )
  })
}

/** Expired sessions, authorizations and idempotency keys are forgotten, at most once a virtual minute. */
export function registerSweep(app: FastifyInstance): void {
  const { clock } = app.domain
  let last = clock.nowMs()
  app.addHook('onResponse', async () => {
    if (clock.nowMs() - last <= 60_000) return
    last = clock.nowMs()
    sweepExpired(app.domain)
  })
}
