import { type KlarnaError, errors } from './errors.js'

/**
 * Klarna's rate limits (docs.klarna.com/api/rate-limit), opt-in: per merchant and per operation
 * category, requests per second; over the limit a request gets 429 until the second is over.
 * Playground: 5/s for creating sessions and customer tokens, 50/s for everything else;
 * production: 40/s and 200/s. Counted on real time (a CI burst is about real seconds), in fixed
 * one-second windows.
 */

export type RateLimitProfile = 'off' | 'playground' | 'production'

const limits: Readonly<Record<Exclude<RateLimitProfile, 'off'>, { create: number; other: number }>> = {
  playground: { create: 5, other: 50 },
  production: { create: 40, other: 200 },
}

/** The operations Klarna limits hardest. */
const createOperations = new Set(['createCreditSession', 'purchaseToken'])

/** How many (merchant, category) windows are remembered; older ones are forgotten first. */
const MAX_WINDOWS = 10_000

export interface RateLimitResult {
  headers: Record<string, string>
  error?: KlarnaError
}

export class RateLimiter {
  readonly #limits: { create: number; other: number }
  readonly #windows = new Map<string, { second: number; count: number }>()

  constructor(profile: Exclude<RateLimitProfile, 'off'>) {
    this.#limits = limits[profile]
  }

  /** Counts one request; says what headers to send and whether it is over the limit. */
  take(merchant: string, operation: string, nowMs: number): RateLimitResult {
    const category = createOperations.has(operation) ? 'create' : 'other'
    const limit = this.#limits[category]
    const key = `${merchant}\u0000${category}`
    const second = Math.floor(nowMs / 1000)
    let window = this.#windows.get(key)
    if (window === undefined || window.second !== second) {
      window = { second, count: 0 }
      this.#windows.delete(key)
      this.#windows.set(key, window)
      if (this.#windows.size > MAX_WINDOWS) this.#windows.delete(this.#windows.keys().next().value as string)
    }
    window.count++
    const reset = String(Math.max(1, Math.ceil(((second + 1) * 1000 - nowMs) / 1000)))
    const headers = {
      'X-Ratelimit-Limit': `${limit}, ${limit};w=1`,
      'X-Ratelimit-Remaining': String(Math.max(0, limit - window.count)),
      'X-Ratelimit-Reset': reset,
    }
    if (window.count <= limit) return { headers }
    return {
      headers,
      error: errors.tooManyRequests({
        headers: { ...headers, 'Retry-After': reset },
      }),
    }
  }
}
