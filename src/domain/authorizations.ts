import type { Static } from '@sinclair/typebox'
import type { AuthorizeRequest } from '../schemas/mock.js'
import type { Address, Customer } from '../schemas/klarna.js'
import { clockOf } from './context.js'
import { differingFields } from './canonical.js'
import type { Domain } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { outcomeForEmail } from './playground.js'
import { normaliseAddress } from './rules.js'
import { inCatalogMarkets, sharedPerCatalog } from './shared-values.js'
import { assertOpen, getSession } from './sessions.js'
import type { Authorization, Outcome, Session } from './store.js'

/**
 * Authorizations: what Klarna's browser widget authorize() creates, and what the server API does
 * with the token: a customer token, an order, or a cancel. An authorization token lives 60
 * minutes (configurable), and is valid up to the last second of its lifetime.
 */

/** What the widget's authorize() sends: the request of POST /_mock/sessions/{id}/authorize. */
export type AuthorizeInput = Static<typeof AuthorizeRequest>

export type AuthorizeResult =
  | { approved: true; show_form: true; authorization_token: string; finalize_required: false }
  | { approved: false; show_form: false; reason: string }

const samples = sharedPerCatalog<Address>(inCatalogMarkets)

/**
 * The approved playground customer of a market: Klarna's sample data, with the market's test e-mail.
 * One shared frozen address per market: most authorizations keep it as it is (shared-values.ts).
 */
function sampleAddress(domain: Domain, country: string): Address {
  // customer@email.<country> unless the market's sample says otherwise (GB's is customer@email.uk:
  // fixtures/sample-customers.json).
  return samples(domain.catalog, country, () => ({
    ...domain.catalog.sampleAddresses.generic,
    email: `customer@email.${country.toLowerCase()}`,
    ...domain.catalog.sampleAddresses.countries.get(country),
    country,
  }))
}

/**
 * The cart an authorization keeps, to check the order placed with it. For a session whose cart is
 * shared (the mint's, frozen), one frozen copy serves every authorization of it.
 */
const sharedAuthorized = new WeakMap<Session['data'], Authorization['authorized']>()
function authorizedCart(data: Session['data']): Authorization['authorized'] {
  const known = sharedAuthorized.get(data)
  if (known !== undefined) return known
  const cart = {
    purchase_country: data.purchase_country,
    purchase_currency: data.purchase_currency,
    order_amount: data.order_amount,
    order_tax_amount: data.order_tax_amount,
    order_lines: data.order_lines,
  }
  if (!Object.isFrozen(data)) return cart
  const frozen = Object.freeze(cart)
  sharedAuthorized.set(data, frozen)
  return frozen
}

/** authorize() of the browser widget, as Klarna's playground answers it. */
export function authorize(
  domain: Domain,
  merchant: string,
  sessionId: string,
  input: AuthorizeInput,
): { result: AuthorizeResult; authorization?: Authorization } {
  if (input.scenario !== undefined) domain.scenarios.sticky(input.scenario)
  const session = getSession(domain, merchant, sessionId)
  assertOpen(session)
  const country = session.data.purchase_country
  const category =
    input.payment_method_category ??
    (session.paymentMethodCategories.includes('pay_later') ? 'pay_later' : session.paymentMethodCategories[0])
  const known = category === undefined ? undefined : domain.catalog.categories.get(category)
  // Only what the session offers (its market's categories) can be chosen in the widget.
  if (category === undefined || known === undefined || !session.paymentMethodCategories.includes(category)) {
    throw errors.badValue({ fields: ['payment_method_category'] })
  }
  const type = input.payment_method_type?.toUpperCase() ?? known.payment_method_type
  if (!domain.catalog.types.has(type)) throw errors.badValue({ fields: ['payment_method_type'] })
  const sample = sampleAddress(domain, country)
  const billing: Address =
    session.data.billing_address === undefined && input.billing_address === undefined
      ? sample
      : {
          ...sample,
          ...normaliseAddress(session.data.billing_address),
          ...normaliseAddress(input.billing_address),
        }
  const outcome: Outcome = outcomeForEmail(billing.email)
  if (outcome.kind === 'rejected') {
    return { result: { approved: false, show_form: false, reason: outcome.reason } }
  }

  const now = clockOf(domain, merchant).nowMs()
  const customer = input.customer ?? session.data.customer
  const shipping = normaliseAddress(input.shipping_address) ?? normaliseAddress(session.data.shipping_address)
  const authorization: Authorization = {
    token: newId(),
    sessionId: session.id,
    createdAtMs: now,
    expiresAtMs: now + domain.settings.authorizationLifetimeSeconds * 1000,
    paymentMethodCategory: category,
    paymentMethodType: type,
    billingAddress: billing,
    shippingAddress: shipping,
    customer,
    outcome,
    authorized: authorizedCart(session.data),
    scenario: input.scenario,
  }
  const state = domain.store.merchant(merchant)
  state.authorizations.set(authorization.token, authorization)
  session.authorizationToken = authorization.token
  state.sessions.touch(session.id, session)
  const callbackUrl = session.data.merchant_urls?.authorization
  if (callbackUrl !== undefined && callbackUrl !== '') {
    domain.outbox.enqueue({
      merchant,
      kind: 'authorization',
      url: callbackUrl,
      dueAtMs: now,
      body: { authorization_token: authorization.token, session_id: session.id },
    })
  }
  return {
    result: {
      approved: true,
      show_form: true,
      authorization_token: authorization.token,
      finalize_required: false,
    },
    authorization,
  }
}

/** A live authorization of this merchant, or 404 "Invalid authorization token". */
export function getAuthorization(
  domain: Domain,
  merchant: string,
  token: string,
): { authorization: Authorization; session: Session } {
  const state = domain.store.find(merchant)
  const authorization = state?.authorizations.get(token)
  const session = authorization === undefined ? undefined : state?.sessions.get(authorization.sessionId)
  if (
    authorization === undefined ||
    session === undefined ||
    clockOf(domain, merchant).nowMs() > authorization.expiresAtMs
  ) {
    throw errors.invalidAuthorizationToken()
  }
  return { authorization, session }
}

/** The scenario sticky to an authorization token, if any (its lifetime not checked); the record is not built. */
export function stickyScenario(domain: Domain, merchant: string, token: string): string | undefined {
  return domain.store.find(merchant)?.authorizations.field(token, 'scenario')
}

/** Klarna's default for customer.type (Payments API spec: "person" unless said otherwise). */
const defaultCustomer: Customer = { type: 'person' }

/**
 * The customer sent must match the authorized one, field by field, where the authorization has
 * the field (or its default): a field the authorization never had is taken as entered. Klarna's
 * own plugins send `customer: {type: "person"}` (krokedil/klarna-payments-for-woocommerce,
 * classes/requests/post/class-kp-create-customer-token.php) and a `title`
 * (klarna/sfcc-klarna-payments, requestBuilder/customerToken.js): neither is a mismatch.
 */
export function customerMismatch(
  authorized: Customer | undefined,
  requested: Customer | undefined,
): string[] {
  if (authorized === undefined || requested === undefined) return []
  const known: Record<string, unknown> = { ...defaultCustomer, ...authorized }
  return Object.entries(requested).flatMap(([field, value]) =>
    known[field] === undefined ? [] : differingFields(`customer.${field}`, known[field], value),
  )
}

/** DELETE /payments/v1/authorizations/{token}: the token is unknown to every call after it. */
export function cancelAuthorization(domain: Domain, merchant: string, token: string): void {
  getAuthorization(domain, merchant, token)
  domain.store.merchant(merchant).authorizations.delete(token)
}
