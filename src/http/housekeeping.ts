import type { FastifyInstance } from 'fastify'
import { sweepExpired } from '../domain/context.js'

/** One log line per request, with the correlation id (Fastify's own two lines are turned off). */
export function registerRequestLog(app: FastifyInstance): void {
  // Nothing to do per request when the level keeps no info line (--log-level warn, silent).
  const level = app.log.level as string | undefined
  if (level === undefined || ['silent', 'fatal', 'error', 'warn'].includes(level)) return
  app.addHook('onResponse', (request, reply, done) => {
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
    done()
  })
}

/** Expired sessions, authorizations and idempotency keys are forgotten, at most once a virtual minute. */
export function registerSweep(app: FastifyInstance): void {
  const { clock } = app.domain
  let last = clock.nowMs()
  app.addHook('onResponse', (_request, _reply, done) => {
    const now = clock.nowMs()
    if (now - last > 60_000) {
      last = now
      sweepExpired(app.domain)
    }
    done()
  })
}
