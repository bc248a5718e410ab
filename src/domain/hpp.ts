import type { CreateOrderRequest } from '../schemas/klarna.js'
import { authorize } from './authorizations.js'
import { createOrderFromAuthorization } from './authorization-orders.js'
import { clockOf, type Domain } from './context.js'
import { KlarnaError, errors } from './errors.js'
import { newId } from './ids.js'
import { captureOrder } from './order-management.js'
import { intentRules } from './rules.js'
import { assertOpen, getSession } from './sessions.js'
import type { HppSessionRecord, HppStatus } from './store.js'

/**
 * Klarna's Hosted Payment Page API v1 over the mock's Payments sessions: a page of the mock (GET
 * /_mock/hpp) stands in for pay.klarna.com. The customer approves there; the Payments session is
 * authorized exactly as the SDK's authorize() would (src/domain/authorizations.ts), the order is
 * placed when place_order_mode asks for it, and the customer is sent to merchant_urls.success with
 * Klarna's placeholders filled. Every status change is sent to merchant_urls.status_update.
 */

export interface HppCreate {
  payment_session_url: string
  merchant_urls?: HppSessionRecord['merchantUrls'] | undefined
  options?:
    | {
        place_order_mode?: HppSessionRecord['placeOrderMode'] | undefined
        payment_method_category?: string | undefined
        payment_method_categories?: string[] | undefined
        page_title?: string | undefined
        [option: string]: unknown
      }
    | undefined
  profile_id?: string | undefined
}

export interface HppLinks {
  /** Base URL of the API answers (session_url, distribution_url). */
  baseUrl: string
  /** The hosted page for this session (signed, opened without credentials). */
  pageUrl: (id: string) => string
  qrUrl: (id: string) => string
}

const finalStatuses: ReadonlySet<HppStatus> = new Set([
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'DISABLED',
  'ERROR',
])

/** HPP's category names (PAY_LATER) to the Payments API's (pay_later); KLARNA is the one "klarna" category. */
const categoryOf = (hpp: string) => hpp.toLowerCase()

/** The Payments session id in a payment_session_url (…/payments/v1/sessions/{id}). */
function paymentSessionId(url: string): string {
  let path: string
  try {
    path = new URL(url, 'http://klarna-mock').pathname
  } catch {
    throw errors.badValue({ fields: ['payment_session_url'] })
  }
  if (/\/checkout\/v3\/orders\//.test(path)) {
    throw errors.mockBadRequest({
      message:
        'payment_session_url: Klarna Checkout orders are not supported by klarna-mock, only Payments sessions',
    })
  }
  const match = /\/payments\/v1\/sessions\/([^/]+)\/?$/.exec(path)
  if (match?.[1] === undefined) throw errors.badValue({ fields: ['payment_session_url'] })
  return decodeURIComponent(match[1])
}

export function createHppSession(domain: Domain, merchant: string, input: HppCreate, links: HppLinks) {
  const sessionId = paymentSessionId(input.payment_session_url)
  const session = getSession(domain, merchant, sessionId)
  assertOpen(session)
  const wanted =
    input.options?.payment_method_categories ??
    (input.options?.payment_method_category === undefined
      ? undefined
      : [input.options.payment_method_category])
  const categories =
    wanted === undefined
      ? session.paymentMethodCategories
      : wanted.map(categoryOf).filter((c) => session.paymentMethodCategories.includes(c))
  if (categories.length === 0) {
    throw errors.badValue({
      fields: [
        input.options?.payment_method_categories === undefined
          ? 'options.payment_method_category'
          : 'options.payment_method_categories',
      ],
    })
  }
  const now = clockOf(domain, merchant).nowMs()
  const record: HppSessionRecord = {
    id: newId(),
    paymentSessionId: session.id,
    createdAtMs: now,
    updatedAtMs: now,
    expiresAtMs: session.expiresAtMs,
    status: 'WAITING',
    merchantUrls: { ...input.merchant_urls },
    placeOrderMode: input.options?.place_order_mode ?? 'NONE',
    categories,
    ...(input.options?.page_title === undefined ? {} : { pageTitle: input.options.page_title }),
    distributions: [],
  }
  domain.store.merchant(merchant).hpp.set(record.id, record)
  return creationView(record, links)
}

function creationView(record: HppSessionRecord, links: HppLinks) {
  const sessionUrl = `${links.baseUrl}/hpp/v1/sessions/${record.id}`
  return {
    session_id: record.id,
    session_url: sessionUrl,
    redirect_url: links.pageUrl(record.id),
    qr_code_url: links.qrUrl(record.id),
    distribution_url: `${sessionUrl}/distribution`,
    distribution_module: {
      standalone_url: links.pageUrl(record.id),
      generation_url: `${sessionUrl}/distribution`,
      token: record.id,
    },
    expires_at: new Date(record.expiresAtMs).toISOString(),
  }
}

/** The HPP session; 404 when unknown or past its lifetime (unless it reached a final status). */
export function getHppSession(domain: Domain, merchant: string, id: string): HppSessionRecord {
  const record = domain.store.find(merchant)?.hpp.get(id)
  const now = clockOf(domain, merchant).nowMs()
  if (record === undefined || (now > record.expiresAtMs && !finalStatuses.has(record.status))) {
    throw errors.hppSessionNotFound()
  }
  return record
}

export function readHppSession(domain: Domain, merchant: string, id: string) {
  const r = getHppSession(domain, merchant, id)
  return {
    session_id: r.id,
    status: r.status,
    updated_at: new Date(r.updatedAtMs).toISOString(),
    expires_at: new Date(r.expiresAtMs).toISOString(),
    ...(r.authorizationToken === undefined ? {} : { authorization_token: r.authorizationToken }),
    ...(r.orderId === undefined ? {} : { order_id: r.orderId }),
  }
}

/** Moves the session to `status` and queues the status_update callback. */
function setStatus(domain: Domain, merchant: string, r: HppSessionRecord, status: HppStatus): void {
  const now = clockOf(domain, merchant).nowMs()
  r.status = status
  r.updatedAtMs = now
  domain.store.merchant(merchant).hpp.touch(r.id, r)
  const url = r.merchantUrls.status_update
  if (url !== undefined && url !== '') {
    domain.outbox.enqueue({
      merchant,
      kind: 'hpp_status_update',
      url: fill(url, r),
      dueAtMs: now,
      body: { event_id: newId(), session: readHppSession(domain, merchant, r.id) },
    })
  }
}

export function disableHppSession(domain: Domain, merchant: string, id: string): void {
  const r = getHppSession(domain, merchant, id)
  if (r.status === 'COMPLETED') throw errors.hppCompleted()
  if (r.status !== 'DISABLED') setStatus(domain, merchant, r, 'DISABLED')
}

export interface DistributionRequest {
  method: 'sms' | 'email' | 'token'
  contact_information: {
    email?: string | undefined
    phone?: string | undefined
    phone_country?: string | undefined
    access_id?: string | undefined
  }
  template?: string | undefined
}

/** Nothing is sent (offline): the distribution is recorded on the session, and 201 answered. */
export function distributeHppSession(
  domain: Domain,
  merchant: string,
  id: string,
  request: DistributionRequest,
): void {
  const r = getHppSession(domain, merchant, id)
  if (finalStatuses.has(r.status)) {
    throw errors.hppNotDistributable({ status: r.status })
  }
  const c = request.contact_information
  const missing =
    request.method === 'email'
      ? c.email === undefined
        ? ['contact_information.email']
        : []
      : request.method === 'sms'
        ? [
            ...(c.phone === undefined ? ['contact_information.phone'] : []),
            ...(c.phone_country === undefined ? ['contact_information.phone_country'] : []),
          ]
        : c.access_id === undefined
          ? ['contact_information.access_id']
          : []
  if (missing.length > 0) throw errors.badValue({ fields: missing })
  if (r.distributions.length >= 100) r.distributions.shift()
  r.distributions.push({ method: request.method, atMs: clockOf(domain, merchant).nowMs() })
  domain.store.merchant(merchant).hpp.touch(r.id, r)
}

/** Klarna's placeholders in merchant_urls: {{session_id}} (the HPP session), {{authorization_token}}, {{order_id}}. */
function fill(url: string, r: HppSessionRecord): string {
  return url
    .replaceAll('{{session_id}}', encodeURIComponent(r.id))
    .replaceAll('{{authorization_token}}', encodeURIComponent(r.authorizationToken ?? ''))
    .replaceAll('{{order_id}}', encodeURIComponent(r.orderId ?? ''))
}

/** What the hosted page shows: the session, and whether the customer may still act on it. */
export function openHostedPage(domain: Domain, merchant: string, id: string) {
  const r = getHppSession(domain, merchant, id)
  const session = domain.store.find(merchant)?.sessions.get(r.paymentSessionId)
  if (r.status === 'WAITING') setStatus(domain, merchant, r, 'IN_PROGRESS')
  return { record: r, session }
}

export type HppAction = 'approve' | 'cancel' | 'back'

/**
 * The customer's choice on the hosted page. Returns where the browser goes next: the merchant URL
 * of the outcome with placeholders filled, or undefined when the merchant gave none.
 */
export interface HppDecision {
  email?: string | undefined
  payment_method_category?: string | undefined
  /** Base of the order's redirect_url, when the page places the order. */
  baseUrl: string
}

export function decideHpp(
  domain: Domain,
  merchant: string,
  id: string,
  action: HppAction,
  input: HppDecision,
): { status: HppStatus; location: string | undefined } {
  const r = getHppSession(domain, merchant, id)
  if (finalStatuses.has(r.status)) throw errors.hppFinal({ status: r.status })
  const go = (status: HppStatus, url: string | undefined) => {
    setStatus(domain, merchant, r, status)
    return { status, location: url === undefined || url === '' ? undefined : fill(url, r) }
  }
  if (action === 'cancel') return go('CANCELLED', r.merchantUrls.cancel)
  if (action === 'back') return go('BACK', r.merchantUrls.back)

  const category = input.payment_method_category ?? r.categories[0]
  if (category === undefined || !r.categories.includes(category)) {
    throw errors.badValue({ fields: ['payment_method_category'] })
  }
  let result
  try {
    result = authorize(domain, merchant, r.paymentSessionId, {
      payment_method_category: category,
      ...(input.email === undefined || input.email === '' ? {} : { billing_address: { email: input.email } }),
    })
  } catch (error) {
    if (error instanceof KlarnaError) return go('ERROR', r.merchantUrls.error)
    throw error
  }
  const { authorization } = result
  if (authorization === undefined) return go('FAILED', r.merchantUrls.failure)
  r.authorizationToken = authorization.token
  const session = getSession(domain, merchant, r.paymentSessionId)
  if (r.placeOrderMode !== 'NONE' && intentRules[session.intent].order) {
    const authorized = authorization.authorized
    const body: CreateOrderRequest = {
      purchase_country: authorized.purchase_country,
      purchase_currency: authorized.purchase_currency,
      order_amount: authorized.order_amount,
      ...(authorized.order_tax_amount === undefined ? {} : { order_tax_amount: authorized.order_tax_amount }),
      order_lines: authorized.order_lines,
      ...(authorization.billingAddress === undefined
        ? {}
        : { billing_address: authorization.billingAddress }),
      ...(authorization.shippingAddress === undefined
        ? {}
        : { shipping_address: authorization.shippingAddress }),
      ...(authorization.customer === undefined ? {} : { customer: authorization.customer }),
      ...(session.data.merchant_reference1 === undefined
        ? {}
        : { merchant_reference1: session.data.merchant_reference1 }),
      ...(session.data.merchant_reference2 === undefined
        ? {}
        : { merchant_reference2: session.data.merchant_reference2 }),
    }
    const order = createOrderFromAuthorization(domain, merchant, authorization.token, body, {
      baseUrl: input.baseUrl,
    })
    r.orderId = order.order_id
    if (r.placeOrderMode === 'CAPTURE_ORDER' && order.fraud_status === 'ACCEPTED') {
      captureOrder(domain, merchant, order.order_id, { captured_amount: authorized.order_amount })
    }
  }
  return go('COMPLETED', r.merchantUrls.success)
}
