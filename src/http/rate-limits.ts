import type { FastifyInstance } from 'fastify'
import { RateLimiter, type RateLimitProfile } from '../domain/rate-limits.js'

/**
 * --rate-limits playground|production: Klarna's limits on the Klarna endpoints (not /_mock), with
 * X-Ratelimit-* headers on every answer. Registered in the Klarna route plugins, after auth.
 */
export function rateLimitHooks(app: FastifyInstance, profile: RateLimitProfile): void {
  if (profile === 'off') return
  const limiter = new RateLimiter(profile)
  app.addHook('onRequest', async (request, reply) => {
    const operation = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId
    if (operation === undefined) return
    const result = limiter.take(request.merchant, operation, app.domain.clock.realMs())
    for (const [name, value] of Object.entries(result.headers)) reply.header(name, value)
    if (result.error !== undefined) throw result.error
  })
}
