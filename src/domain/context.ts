import type { Catalog } from './catalog.js'
import type { LinkSigner } from './links.js'
import { MAX_ORDER_AUTHORIZATION_DAYS } from './order-management.js'
import type { Clock } from './clock.js'
import type { Journal } from './journal.js'
import type { Outbox } from './outbox.js'
import type { Scenarios } from './scenarios.js'
import type { Store } from './store.js'

/**
 * Where Klarna's sources disagree: 'recorded' (default) answers as the real service was recorded
 * answering; 'documented' as Klarna's documentation says. docs/fidelity.md lists every point.
 */
export type Fidelity = 'recorded' | 'documented'

export interface Settings {
  fidelity: Fidelity
  /** Lifetime of an authorization token (Klarna: 60 minutes). */
  authorizationLifetimeSeconds: number
  /** Lifetime of a payment session (Klarna: 48 hours). */
  sessionLifetimeSeconds: number
  /** How long a Klarna-Idempotency-Key is remembered (Klarna: 24 hours). */
  idempotencyWindowSeconds: number
}

export const defaultSettings: Settings = {
  fidelity: 'recorded',
  authorizationLifetimeSeconds: 60 * 60,
  sessionLifetimeSeconds: 48 * 60 * 60,
  idempotencyWindowSeconds: 24 * 60 * 60,
}

/** The longest time the mock adds to "now" for an expiry: the clock keeps this much room before year 10000. */
export function longestLifetimeMs(settings: Settings): number {
  return (
    1000 *
      Math.max(
        settings.authorizationLifetimeSeconds,
        settings.sessionLifetimeSeconds + settings.authorizationLifetimeSeconds,
        settings.idempotencyWindowSeconds,
      ) +
    MAX_ORDER_AUTHORIZATION_DAYS * 24 * 3600 * 1000
  )
}

/** What every domain operation works with: state, time, data, settings. No HTTP here. */
export interface Domain {
  store: Store
  clock: Clock
  catalog: Catalog
  settings: Settings
  scenarios: Scenarios
  journal: Journal
  outbox: Outbox
  links: LinkSigner
}

/** The merchant's virtual clock (real time for a merchant that has nothing yet). */
export function clockOf(domain: Domain, merchant: string): Clock {
  return domain.store.find(merchant)?.clock ?? domain.clock
}

/**
 * POST /_mock/reset: forgets a merchant's state, armed scenarios and sequence positions, journal
 * entries and callbacks, and sets its clock back; without a merchant (the operator, the library),
 * everyone's.
 */
export function resetAll(domain: Domain, merchant?: string): void {
  domain.store.reset(merchant)
  domain.scenarios.reset(merchant)
  domain.journal.clear(merchant)
  domain.outbox.clear(merchant)
}

/**
 * Forgets what can no longer be reached: authorizations past their lifetime, sessions past theirs
 * (kept as long as an authorization of theirs could still live), idempotency keys past 24 hours,
 * step-ups and Order Management replies past theirs, and merchants left with nothing, each on its
 * merchant's clock. Customer tokens and orders are kept: tokens never expire. Returns how many went.
 */
export function sweepExpired(domain: Domain, only?: string): number {
  const grace = domain.settings.authorizationLifetimeSeconds * 1000
  let removed = 0
  for (const [id, state] of domain.store.merchants()) {
    if (only !== undefined && id !== only) continue
    const now = state.clock.nowMs()
    const past = (ms: number) => now > ms
    const pastGrace = (ms: number) => now > ms + grace
    removed +=
      state.authorizations.deleteWhere('expiresAtMs', past) +
      state.sessions.deleteWhere('expiresAtMs', pastGrace) +
      state.idempotency.deleteWhere('expiresAtMs', past) +
      state.stepUps.deleteWhere('expiresAtMs', past) +
      state.replies.deleteWhere('expiresAtMs', past) +
      state.hpp.deleteWhere('expiresAtMs', pastGrace)
  }
  domain.store.dropEmpty()
  return removed
}
