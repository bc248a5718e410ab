import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { sweepExpired } from '../domain/context.js'

/** What the request log says of an answered call. */
export interface AnsweredCall {
  method: string
  url: string
  status: number
  merchant: string
  scenario: string | undefined
  elapsedMs: number
  correlationId: string
}

/**
 * The request log's line. The correlation id is the logger's request label (requestIdLogLabel in
 * src/app.ts), bound by `log`. The message is the whole line a person reads on a terminal; the
 * fields are for JSON readers.
 */
export function logAnswer(log: FastifyBaseLogger, call: AnsweredCall): void {
  const merchant = call.merchant === '' ? undefined : call.merchant
  const ms = Math.round(call.elapsedMs)
  log.info(
    { method: call.method, url: call.url, status: call.status, merchant, scenario: call.scenario, ms },
    `${call.method} ${call.url} ${call.status} ${ms}ms${merchant === undefined ? '' : ` merchant=${merchant}`}` +
      `${call.scenario === undefined ? '' : ` scenario=${call.scenario}`} ${call.correlationId}`,
  )
}

/**
 * One log line per request, with the correlation id (Fastify's own two lines are turned off).
 * Returns whether requests are logged: nothing to do per request when the level keeps no info line
 * (--log-level warn, silent).
 */
export function registerRequestLog(app: FastifyInstance): boolean {
  const level = app.log.level as string | undefined
  if (level === undefined || ['silent', 'fatal', 'error', 'warn'].includes(level)) return false
  app.addHook('onResponse', (request, reply, done) => {
    logAnswer(request.log, {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      merchant: request.merchant,
      scenario: request.scenarioApplied,
      elapsedMs: reply.elapsedTime,
      correlationId: request.id,
    })
    done()
  })
  return true
}

/**
 * Expired sessions, authorizations and idempotency keys are forgotten, at most once a virtual
 * minute, checked after every answer. Returns the check (src/http/fast-lane.ts calls it too).
 */
export function registerSweep(app: FastifyInstance): () => void {
  const { clock } = app.domain
  let last = clock.nowMs()
  const sweepIfDue = (): void => {
    const now = clock.nowMs()
    if (now - last > 60_000) {
      last = now
      sweepExpired(app.domain)
    }
  }
  app.addHook('onResponse', (_request, _reply, done) => {
    sweepIfDue()
    done()
  })
  return sweepIfDue
}
