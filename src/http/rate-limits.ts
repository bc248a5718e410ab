import type { FastifyInstance } from 'fastify'
import { RateLimiter, type RateLimitProfile } from '../domain/rate-limits.js'

/**
 * --rate-limits playground|production: Klarna's limits on the Klarna endpoints (not /_mock), with
 * X-Ratelimit-* headers on every answer. Registered in the Klarna route plugins, after auth.
 */
export function rateLimitHooks(app: FastifyInstance, profile: RateLimitProfile): void {
  if (profile === 'off') return
  const limiter = new RateLimiter(profile)
  app.addHook('onRequest', (request, reply, done) => {
    const operation = request.operation
    if (operation === undefined) return done()
    const result = limiter.take(request.merchant, operation, app.domain.clock.realMs())
    for (const [name, value] of Object.entries(result.headers)) reply.header(name, value)
    done(result.error)
  })
}
