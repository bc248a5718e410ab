import type { Domain } from './context.js'
import { clockOf } from './context.js'
import { findMarket } from './rules.js'
import { newId } from './ids.js'
import type { Session } from './store.js'

/**
 * Account linking (intent buy_and_link, Klarna's "Account linking" page): the order answer carries
 * a long-lived `customer_token` that identifies the customer. A returning customer's session sends
 * it back in `customer.customer_token`; a token the mock issued to this merchant is answered again,
 * any other (unknown, rotated) gets a new one, as Klarna does.
 * Format as Klarna documents it: krn:partner:<region>:<environment>:identity:customer-token:<id>.
 */

const regions: Readonly<Record<string, string>> = { EU: 'eu1', NA: 'us1', OC: 'oc1' }

export function linkCustomer(domain: Domain, merchant: string, session: Session): string {
  const state = domain.store.merchant(merchant)
  const now = clockOf(domain, merchant).nowMs()
  const sent = session.data.customer?.customer_token
  const known = sent === undefined ? undefined : state.links.get(sent)
  if (known !== undefined) {
    known.lastUsedAtMs = now
    state.links.touch(known.token, known)
    return known.token
  }
  const region = regions[findMarket(domain.catalog, session.data.purchase_country)?.region ?? 'EU'] ?? 'eu1'
  const token = `krn:partner:${region}:test:identity:customer-token:${newId()}`
  state.links.set(token, { token, createdAtMs: now, lastUsedAtMs: now })
  return token
}
