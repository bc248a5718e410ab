import type { Domain } from './context.js'
import { clockOf } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { signClientToken } from './links.js'
import {
  amountProblems,
  categoriesFor,
  findMarket,
  marketProblems,
  normaliseAddress,
  normaliseLocale,
  type Intent,
} from './rules.js'
import { sharedPerCatalog } from './shared-values.js'
import type { Session } from './store.js'
import { checkStepUp } from './step-up.js'
import type { SessionCreate, SessionUpdate } from '../schemas/klarna.js'

/** Payment sessions: create, read, update. Open 48 hours or until an order is placed. */

const defaultCustomerRead = { type: 'person' }

/** Upper-cases codes, fills the default locale of the market, checks markets and amounts. */
export function normaliseSession(domain: Domain, input: SessionCreate): SessionCreate {
  const data: SessionCreate = { ...input }
  data.purchase_country = input.purchase_country.toUpperCase()
  data.purchase_currency = input.purchase_currency.toUpperCase()
  const market = findMarket(domain.catalog, data.purchase_country)
  if (input.locale !== undefined) data.locale = normaliseLocale(input.locale)
  else if (market !== undefined) data.locale = market.locales[0]
  if (data.billing_address !== undefined) data.billing_address = normaliseAddress(data.billing_address)
  if (data.shipping_address !== undefined) data.shipping_address = normaliseAddress(data.shipping_address)
  if (Array.isArray(data.options)) delete data.options
  return data
}

export function sessionProblems(domain: Domain, data: SessionCreate): string[] {
  const bad = marketProblems(domain.catalog, data)
  const intent = data.intent ?? 'buy'
  bad.push(...amountProblems(data, { allowZero: intent === 'tokenize' }))
  return bad
}

/**
 * POST /payments/v1/sessions. `baseUrl` is where the browser finds the mock: it goes into the
 * client_token, a JWT the SDK stand-in (GET /kp/lib/v1/api.js) reads.
 */
export function createSession(
  domain: Domain,
  merchant: string,
  input: SessionCreate,
  baseUrl: string,
  { shareKey }: { shareKey?: string | undefined } = {},
): Session {
  const data = shareKey === undefined ? normaliseSession(domain, input) : sharedData(domain, shareKey, input)
  const bad = sessionProblems(domain, data)
  if (bad.length > 0) throw errors.badValue({ fields: bad })
  const stepUpId =
    data.step_up_id === undefined
      ? undefined
      : checkStepUp(domain, merchant, data.step_up_id, data.customer_token ?? data.customer?.customer_token)
  const now = clockOf(domain, merchant).nowMs()
  const id = newId()
  const session: Session = {
    ...(stepUpId === undefined ? {} : { stepUpId }),
    id,
    createdAtMs: now,
    expiresAtMs: now + domain.settings.sessionLifetimeSeconds * 1000,
    status: 'incomplete',
    intent: (data.intent ?? 'buy') as Intent,
    data,
    // Shared and never changed in place (an update assigns a new list).
    paymentMethodCategories: categoriesFor(domain.catalog, data.purchase_country) as string[],
    baseUrl: shared(baseUrl),
  }
  domain.store.merchant(merchant).sessions.set(id, session)
  return session
}

/**
 * One frozen copy of each distinct cart the control API's mint makes with its default lines (a
 * handful: a market's currency, locale and intent), shared by every session minted with it; `key`
 * names the cart (the mint builds it). An update assigns a new `data` (shared-values.ts). At most
 * 256 carts are kept; beyond that each session gets its own copy.
 */
const carts = sharedPerCatalog<SessionCreate>((_catalog, _key, kept) => kept < 256)
const sharedData = (domain: Domain, key: string, input: SessionCreate): SessionCreate =>
  carts(domain.catalog, key, () => normaliseSession(domain, input))

/** One copy of each base URL, however many sessions name it (a few distinct values at most). */
const baseUrls = new Map<string, string>()
function shared(baseUrl: string): string {
  const known = baseUrls.get(baseUrl)
  if (known !== undefined) return known
  if (baseUrls.size < 100) baseUrls.set(baseUrl, baseUrl)
  return baseUrl
}

/**
 * The session's client_token, signed when asked for rather than kept (it is most of a session's
 * size): the same session gives the same token.
 */
export function clientTokenOf(domain: Domain, merchant: string, session: Session): string {
  if (session.baseUrl === undefined) return session.clientToken ?? ''
  return signClientToken(domain.links, {
    session_id: session.id,
    base_url: session.baseUrl,
    design: session.data.design ?? 'klarna',
    language: (session.data.locale ?? 'en').split('-')[0],
    purchase_country: session.data.purchase_country,
    trace_flow: false,
    environment: 'playground',
    merchant_name: merchant,
    merchant,
    session_type: 'PAYMENTS',
    client_event_base_url: session.baseUrl,
    experiments: [],
  })
}

/** A live session of this merchant, or 404 "Invalid session id" (unknown, expired, another merchant's). */
export function getSession(domain: Domain, merchant: string, id: string): Session {
  const session = domain.store.find(merchant)?.sessions.get(id)
  if (session === undefined || clockOf(domain, merchant).nowMs() > session.expiresAtMs) {
    throw errors.invalidSessionId()
  }
  return session
}

/** The session must still take pre-purchase operations (update, authorize, order). */
export function assertOpen(session: Session): void {
  if (session.status === 'complete') {
    throw errors.sessionCompleted()
  }
}

export function updateSession(domain: Domain, merchant: string, id: string, update: SessionUpdate): void {
  const session = getSession(domain, merchant, id)
  assertOpen(session)
  const merged = normaliseSession(domain, { ...session.data, ...update } as SessionCreate)
  const bad = sessionProblems(domain, merged)
  if (bad.length > 0) throw errors.badValue({ fields: bad })
  session.data = merged
  session.intent = (merged.intent ?? 'buy') as Intent
  session.paymentMethodCategories = categoriesFor(domain.catalog, merged.purchase_country) as string[]
  domain.store.merchant(merchant).sessions.touch(id, session)
}

/** What POST /payments/v1/sessions answers. */
export function createdSessionView(domain: Domain, merchant: string, session: Session) {
  return {
    session_id: session.id,
    client_token: clientTokenOf(domain, merchant, session),
    payment_method_categories: session.paymentMethodCategories.map((c) => categoryView(domain, c)),
  }
}

function categoryView(domain: Domain, id: string) {
  const url = `https://x.klarnacdn.net/payment-method/assets/badges/generic/${id === 'klarna' ? 'klarna' : 'black/klarna'}.svg`
  return {
    identifier: id,
    name: domain.catalog.categories.get(id)?.name ?? id,
    asset_urls: { descriptive: url, standard: url },
  }
}

/**
 * What GET /payments/v1/sessions/{id} shows: what the merchant sent, and once the session is
 * authorized, the customer's billing and shipping addresses and customer details as the customer
 * entered them in the widget (Klarna shares them only then).
 */
export function readSession(domain: Domain, merchant: string, id: string) {
  const session = getSession(domain, merchant, id)
  const {
    billing_address: _billing,
    shipping_address: _shipping,
    customer: _customer,
    ...sent
  } = session.data
  const authorization =
    session.authorizationToken === undefined
      ? undefined
      : domain.store.find(merchant)?.authorizations.get(session.authorizationToken)
  const reference = (v: string | number | undefined) => (v === undefined ? undefined : String(v))
  return {
    ...sent,
    merchant_reference1: reference(sent.merchant_reference1),
    merchant_reference2: reference(sent.merchant_reference2),
    ...(authorization === undefined
      ? {}
      : {
          billing_address: authorization.billingAddress,
          shipping_address: authorization.shippingAddress ?? authorization.billingAddress,
          customer: { ...defaultCustomerRead, ...authorization.customer },
        }),
    intent: session.intent,
    client_token: clientTokenOf(domain, merchant, session),
    authorization_token: session.authorizationToken,
    expires_at: new Date(session.expiresAtMs).toISOString(),
    status: session.status,
    payment_method_categories: session.paymentMethodCategories.map((c) => categoryView(domain, c)),
  }
}
