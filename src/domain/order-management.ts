import type { Address, OrderLine } from '../schemas/klarna.js'
import type {
  CaptureRequest,
  RefundRequest,
  ShippingInfo,
  UpdateAuthorization,
} from '../schemas/order-management.js'
import { clockOf, type Domain } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { expectedOrderAmount, normaliseAddress } from './rules.js'
import type { CaptureRecord, OrderRecord, RefundRecord } from './store.js'

/**
 * Klarna's Order Management API v1 over the orders the mock places (orders from authorizations
 * and token orders), per merchant, on the virtual clock. Framework-free: src/routes/order-management
 * calls these.
 *
 * Rules (docs.klarna.com: "Error codes and messages for Order Management", "Extended authorization
 * expiration", the Order Management API reference):
 *  - An order's authorization lasts ORDER_AUTHORIZATION_DAYS (Klarna's standard: 28 days) from
 *    its creation; then it is EXPIRED (or CLOSED if part was captured) and cannot be captured.
 *    extend-authorization-time moves the expiry to 28 days from now, never past 180 days from the
 *    creation, and not for expired or cancelled orders, Pay Now by card, or US financing.
 *  - Status, derived: CANCELLED once cancelled (or its pending fraud decision was REJECTED);
 *    CLOSED once the remaining authorization was released; EXPIRED past the expiry with nothing
 *    captured; otherwise AUTHORIZED, PART_CAPTURED or CAPTURED by the captured amount.
 *  - Captures: at most the remaining authorized amount, never on a cancelled, expired, closed or
 *    pending-fraud order (403 CAPTURE_NOT_ALLOWED "Capture not allowed"). auto_capture on the
 *    order captures everything at once.
 *  - Refunds: at most what was captured and not refunded (403 REFUND_NOT_ALLOWED).
 *  - Cancel: only with nothing captured (403 CANCEL_NOT_ALLOWED).
 *  - Updates (authorization, merchant references, customer details): not on cancelled orders;
 *    the authorization not below what was captured (403 NOT_ALLOWED).
 *  - Klarna-Idempotency-Key: the same key within 24 hours answers the same (only the key
 *    matters, as the spec says).
 */

export const ORDER_AUTHORIZATION_DAYS = 28
export const MAX_ORDER_AUTHORIZATION_DAYS = 180
const DAY_MS = 24 * 3600 * 1000
/** Captures or refunds one order may have: a bound on what a caller can make the mock keep. */
export const MAX_CAPTURES_PER_ORDER = 1000
/** Due-date extensions offered for invoice captures, and their fees in minor units (the mock's own figures). */
const dueDateFees = [
  { number_of_days: 7, amount: 195 },
  { number_of_days: 14, amount: 295 },
  { number_of_days: 28, amount: 395 },
]

export type OrderStatus = 'AUTHORIZED' | 'PART_CAPTURED' | 'CAPTURED' | 'CANCELLED' | 'EXPIRED' | 'CLOSED'

const sum = (items: ReadonlyArray<{ amount: number }> | undefined) =>
  (items ?? []).reduce((s, i) => s + i.amount, 0)

const noSuchOrder = (id: string) => errors.noSuchOrder({ order_id: id })
const notAllowed = (message: string) => errors.notAllowed({ message })

/** This merchant's order, or 404 NO_SUCH_ORDER (unknown and another merchant's alike). */
export function getOrder(domain: Domain, merchant: string, orderId: string): OrderRecord {
  const order = domain.store.find(merchant)?.orders.get(orderId)
  if (order === undefined) throw noSuchOrder(orderId)
  return order
}

function touch(domain: Domain, merchant: string, order: OrderRecord): void {
  domain.store.merchant(merchant).orders.touch(order.id, order)
}

/** The expiry of an order placed now. */
export function orderExpiry(createdAtMs: number): number {
  return createdAtMs + ORDER_AUTHORIZATION_DAYS * DAY_MS
}

export function fraudStatus(now: number, order: OrderRecord): string {
  const decision = order.fraudDecision
  if (decision !== undefined) return now >= decision.atMs ? decision.status : 'PENDING'
  return order.response.fraud_status
}

export function capturedAmount(order: OrderRecord): number {
  return sum(order.captures)
}

export function refundedAmount(order: OrderRecord): number {
  return sum(order.refunds)
}

export function orderStatus(now: number, order: OrderRecord): OrderStatus {
  if (order.cancelled === true || fraudStatus(now, order) === 'REJECTED') return 'CANCELLED'
  if (order.released === true) return 'CLOSED'
  const captured = capturedAmount(order)
  if (captured >= order.orderAmount && captured > 0) return 'CAPTURED'
  if (now > (order.expiresAtMs ?? orderExpiry(order.createdAtMs))) return captured > 0 ? 'CLOSED' : 'EXPIRED'
  return captured === 0 ? 'AUTHORIZED' : 'PART_CAPTURED'
}

export function remainingAuthorized(now: number, order: OrderRecord): number {
  const status = orderStatus(now, order)
  if (status !== 'AUTHORIZED' && status !== 'PART_CAPTURED') return 0
  return Math.max(0, order.orderAmount - capturedAmount(order))
}

/** A customer-friendly reference, as Klarna gives each order and capture. */
export function klarnaReference(id: string): string {
  return id.replace(/-/g, '').slice(0, 8)
}

/** The refunded amount of each capture: refunds are taken from the earliest captures first. */
function refundsByCapture(order: OrderRecord): Map<string, number> {
  let left = refundedAmount(order)
  const out = new Map<string, number>()
  for (const c of order.captures ?? []) {
    const part = Math.min(left, c.amount)
    out.set(c.id, part)
    left -= part
  }
  return out
}

const address = (a: Address | undefined) => (a === undefined ? undefined : { ...a })

function captureView(domain: Domain, order: OrderRecord, c: CaptureRecord, refunded: Map<string, number>) {
  return {
    capture_id: c.id,
    klarna_reference: c.klarnaReference,
    captured_amount: c.amount,
    captured_at: new Date(c.atMs).toISOString(),
    ...(c.description === undefined ? {} : { description: c.description }),
    order_lines: c.orderLines ?? [],
    refunded_amount: refunded.get(c.id) ?? 0,
    ...(c.reference === undefined ? {} : { reference: c.reference }),
    billing_address: address(order.billingAddress),
    shipping_address: address(c.shippingAddress ?? order.shippingAddress ?? order.billingAddress),
    shipping_info: c.shippingInfo ?? [],
  }
}

function refundView(r: RefundRecord) {
  return {
    refund_id: r.id,
    refunded_amount: r.amount,
    refunded_at: new Date(r.atMs).toISOString(),
    ...(r.description === undefined ? {} : { description: r.description }),
    order_lines: r.orderLines ?? [],
    ...(r.reference === undefined ? {} : { reference: r.reference }),
  }
}

/** GET /ordermanagement/v1/orders/{order_id} */
export function readOrder(domain: Domain, merchant: string, orderId: string) {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  const refunded = refundsByCapture(order)
  const ipm = domain.catalog.types.get(order.paymentMethodType ?? '')?.initial_payment_method
  const customer =
    order.customer === undefined
      ? undefined
      : {
          date_of_birth: order.customer.date_of_birth,
          national_identification_number: order.customer.national_identification_number,
        }
  return {
    order_id: order.id,
    status: orderStatus(now, order),
    fraud_status: fraudStatus(now, order),
    order_amount: order.orderAmount,
    original_order_amount: order.originalOrderAmount ?? order.orderAmount,
    captured_amount: capturedAmount(order),
    refunded_amount: refundedAmount(order),
    remaining_authorized_amount: remainingAuthorized(now, order),
    purchase_currency: order.purchaseCurrency,
    purchase_country: order.purchaseCountry,
    locale: order.locale,
    order_lines: order.orderLines,
    billing_address: address(order.billingAddress),
    shipping_address: address(order.shippingAddress ?? order.billingAddress),
    customer,
    merchant_reference1: order.merchantReference1,
    merchant_reference2: order.merchantReference2,
    merchant_data: order.merchantData,
    klarna_reference: klarnaReference(order.id),
    created_at: new Date(order.createdAtMs).toISOString(),
    expires_at: new Date(order.expiresAtMs ?? orderExpiry(order.createdAtMs)).toISOString(),
    captures: (order.captures ?? []).map((c) => captureView(domain, order, c, refunded)),
    refunds: (order.refunds ?? []).map(refundView),
    shipping_info: order.shippingInfo ?? [],
    ...(ipm === undefined ? {} : { initial_payment_method: { ...ipm } }),
  }
}

export function listCaptures(domain: Domain, merchant: string, orderId: string) {
  const order = getOrder(domain, merchant, orderId)
  const refunded = refundsByCapture(order)
  return (order.captures ?? []).map((c) => captureView(domain, order, c, refunded))
}

function findCapture(order: OrderRecord, captureId: string): CaptureRecord {
  const capture = order.captures?.find((c) => c.id === captureId)
  if (capture === undefined) {
    throw errors.noSuchCapture({ capture_id: captureId, order_id: order.id })
  }
  return capture
}

export function readCapture(domain: Domain, merchant: string, orderId: string, captureId: string) {
  const order = getOrder(domain, merchant, orderId)
  return captureView(domain, order, findCapture(order, captureId), refundsByCapture(order))
}

export function readRefund(domain: Domain, merchant: string, orderId: string, refundId: string) {
  const order = getOrder(domain, merchant, orderId)
  const refund = order.refunds?.find((r) => r.id === refundId)
  if (refund === undefined) {
    throw errors.noSuchRefund({ refund_id: refundId, order_id: orderId })
  }
  return refundView(refund)
}

const captureNotAllowed = () => errors.captureNotAllowed()

/** Adds a capture to an order the caller has checked (also used for auto_capture). */
export function addCapture(now: number, order: OrderRecord, request: CaptureRequest): CaptureRecord {
  const id = newId()
  const capture: CaptureRecord = {
    id,
    klarnaReference: klarnaReference(id),
    amount: request.captured_amount,
    atMs: now,
    ...(request.description === undefined ? {} : { description: request.description }),
    ...(request.order_lines === undefined ? {} : { orderLines: request.order_lines }),
    ...(request.reference === undefined ? {} : { reference: request.reference }),
    ...(request.shipping_info === undefined ? {} : { shippingInfo: request.shipping_info }),
  }
  order.captures = [...(order.captures ?? []), capture]
  return capture
}

/** POST …/captures */
export function captureOrder(
  domain: Domain,
  merchant: string,
  orderId: string,
  request: CaptureRequest,
): CaptureRecord {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  const status = orderStatus(now, order)
  if (status !== 'AUTHORIZED' && status !== 'PART_CAPTURED') throw captureNotAllowed()
  if (fraudStatus(now, order) === 'PENDING') throw captureNotAllowed()
  if (request.captured_amount <= 0) throw errors.badValue({ fields: ['captured_amount'] })
  if (request.captured_amount > remainingAuthorized(now, order)) throw captureNotAllowed()
  if ((order.captures?.length ?? 0) >= MAX_CAPTURES_PER_ORDER) throw captureNotAllowed()
  const capture = addCapture(now, order, request)
  touch(domain, merchant, order)
  return capture
}

/** POST …/refunds */
export function refundOrder(
  domain: Domain,
  merchant: string,
  orderId: string,
  request: RefundRequest,
): RefundRecord {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  const captured = capturedAmount(order)
  if (captured === 0) {
    throw errors.refundWithoutCapture()
  }
  if (request.refunded_amount <= 0) throw errors.badValue({ fields: ['refunded_amount'] })
  if (request.refunded_amount > captured - refundedAmount(order)) {
    throw errors.refundNotAllowed({
      message: 'Refunded amount is higher than the captured amount not yet refunded. Refund not possible',
    })
  }
  if ((order.refunds?.length ?? 0) >= MAX_CAPTURES_PER_ORDER) {
    throw errors.refundNotAllowed({ message: 'Too many refunds. Refund not possible' })
  }
  const id = newId()
  const refund: RefundRecord = {
    id,
    amount: request.refunded_amount,
    atMs: now,
    ...(request.description === undefined ? {} : { description: request.description }),
    ...(request.order_lines === undefined ? {} : { orderLines: request.order_lines }),
    ...(request.reference === undefined ? {} : { reference: request.reference }),
  }
  order.refunds = [...(order.refunds ?? []), refund]
  touch(domain, merchant, order)
  return refund
}

/** POST …/cancel */
export function cancelOrder(domain: Domain, merchant: string, orderId: string): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  if (capturedAmount(order) > 0) {
    throw errors.cancelAfterCapture()
  }
  if (orderStatus(now, order) === 'CANCELLED') {
    throw errors.cancelCancelled()
  }
  order.cancelled = true
  touch(domain, merchant, order)
}

/** POST …/release-remaining-authorization */
export function releaseRemaining(domain: Domain, merchant: string, orderId: string): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  const status = orderStatus(now, order)
  if (status === 'CANCELLED') {
    throw notAllowed('Order is cancelled. Remaining authorization cannot be released')
  }
  if (capturedAmount(order) === 0) {
    throw notAllowed('Order has no captures. Remaining authorization cannot be released')
  }
  order.released = true
  touch(domain, merchant, order)
}

function assertUpdatable(now: number, order: OrderRecord, part: string): void {
  const status = orderStatus(now, order)
  if (status === 'CANCELLED' || status === 'EXPIRED' || status === 'CLOSED') {
    throw errors.notUpdatable({ status: status.toLowerCase(), part })
  }
}

/** PATCH …/authorization: a new order amount (and lines), never below what was captured. */
export function updateAuthorization(
  domain: Domain,
  merchant: string,
  orderId: string,
  request: UpdateAuthorization,
): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  assertUpdatable(now, order, 'Order authorization')
  const captured = capturedAmount(order)
  if (request.order_amount < captured) {
    throw notAllowed(
      `Resulting authorization amount ${request.order_amount} cannot be less than the captured amount ${captured} for order. Order authorization cannot be updated`,
    )
  }
  if (
    request.order_lines !== undefined &&
    request.order_lines.length > 0 &&
    expectedOrderAmount(request.order_lines) !== request.order_amount
  ) {
    throw errors.badValue({ fields: ['order_amount'] })
  }
  order.originalOrderAmount ??= order.orderAmount
  order.orderAmount = request.order_amount
  if (request.order_lines !== undefined && request.order_lines.length > 0) {
    order.orderLines = request.order_lines
  }
  touch(domain, merchant, order)
}

/** PATCH …/merchant-references */
export function updateMerchantReferences(
  domain: Domain,
  merchant: string,
  orderId: string,
  request: { merchant_reference1?: string | undefined; merchant_reference2?: string | undefined },
): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  if (orderStatus(now, order) === 'CANCELLED') throw notAllowed('Can not update a cancelled order')
  if (request.merchant_reference1 !== undefined) order.merchantReference1 = request.merchant_reference1
  if (request.merchant_reference2 !== undefined) order.merchantReference2 = request.merchant_reference2
  touch(domain, merchant, order)
}

/** PATCH …/customer-details: the shipping address (the billing address cannot be changed). */
export function updateCustomerDetails(
  domain: Domain,
  merchant: string,
  orderId: string,
  shipping: Address | undefined,
): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  assertUpdatable(now, order, 'Customer details')
  if (shipping !== undefined) {
    order.shippingAddress = { ...order.shippingAddress, ...normaliseAddress(shipping) }
  }
  touch(domain, merchant, order)
}

/** POST …/shipping-info (order) and …/captures/{id}/shipping-info (capture). */
export function appendShippingInfo(
  domain: Domain,
  merchant: string,
  orderId: string,
  info: ShippingInfo[],
  captureId?: string,
): void {
  const order = getOrder(domain, merchant, orderId)
  if (captureId === undefined) {
    order.shippingInfo = [...(order.shippingInfo ?? []), ...info].slice(-500)
  } else {
    if ((order.captures ?? []).length === 0) {
      throw notAllowed('Order has no captures. Shipping info cannot be added')
    }
    const capture = findCapture(order, captureId)
    capture.shippingInfo = [...(capture.shippingInfo ?? []), ...info].slice(-500)
  }
  touch(domain, merchant, order)
}

/** POST …/acknowledge: idempotent; Klarna stops re-sending the order's push notifications. */
export function acknowledgeOrder(domain: Domain, merchant: string, orderId: string): void {
  const order = getOrder(domain, merchant, orderId)
  if (order.acknowledged !== true) {
    order.acknowledged = true
    touch(domain, merchant, order)
  }
}

/** POST …/extend-authorization-time */
export function extendAuthorization(domain: Domain, merchant: string, orderId: string): void {
  const order = getOrder(domain, merchant, orderId)
  const now = clockOf(domain, merchant).nowMs()
  const status = orderStatus(now, order)
  if (status === 'EXPIRED') throw notAllowed('Order is expired. Authorization time cannot be extended.')
  if (status === 'CANCELLED') throw notAllowed('Order is cancelled. Authorization time cannot be extended.')
  if (status === 'CLOSED' || status === 'CAPTURED') {
    throw notAllowed(`Order is ${status.toLowerCase()}. Authorization time cannot be extended.`)
  }
  const type = order.paymentMethodType
  if (type === 'PAY_BY_CARD') throw notAllowed('Orders paid with Pay Now by card cannot be extended.')
  if (order.purchaseCountry === 'US' && (type === 'FIXED_SUM_CREDIT' || type === 'SLICE_IT_BY_CARD')) {
    throw notAllowed('Financing orders in the US cannot be extended.')
  }
  const latest = order.createdAtMs + MAX_ORDER_AUTHORIZATION_DAYS * DAY_MS
  if (now >= latest) {
    throw notAllowed(`Orders can be extended within ${MAX_ORDER_AUTHORIZATION_DAYS} days of their creation.`)
  }
  order.expiresAtMs = Math.min(latest, now + ORDER_AUTHORIZATION_DAYS * DAY_MS)
  touch(domain, merchant, order)
}

/** Due dates exist for invoices: pay later in N days. */
function assertInvoiceCapture(domain: Domain, order: OrderRecord): void {
  const apm = domain.catalog.types.get(order.paymentMethodType ?? '')?.authorized_payment_method
  if (apm?.number_of_days === undefined) {
    throw notAllowed('Extension of due date is not possible for this payment method')
  }
}

/** GET …/captures/{id}/extend-due-date-options */
export function dueDateOptions(domain: Domain, merchant: string, orderId: string, captureId: string) {
  const order = getOrder(domain, merchant, orderId)
  findCapture(order, captureId)
  assertInvoiceCapture(domain, order)
  return { currency: order.purchaseCurrency, options: dueDateFees.map((o) => ({ ...o })) }
}

/** PATCH …/captures/{id}/extend-due-date */
export function extendDueDate(
  domain: Domain,
  merchant: string,
  orderId: string,
  captureId: string,
  days: number,
): void {
  const order = getOrder(domain, merchant, orderId)
  const capture = findCapture(order, captureId)
  assertInvoiceCapture(domain, order)
  if (!dueDateFees.some((o) => o.number_of_days === days)) {
    const options = dueDateFees.map((o) => o.number_of_days).join(', ')
    throw notAllowed(`Extension of due date is not possible by ${days} days; options: ${options}`)
  }
  if (capture.dueDateExtendedDays !== undefined) {
    throw notAllowed('The due date of this capture was already extended')
  }
  capture.dueDateExtendedDays = days
  touch(domain, merchant, order)
}

/** POST …/captures/{id}/trigger-send-out */
export function triggerSendOut(domain: Domain, merchant: string, orderId: string, captureId: string): void {
  const order = getOrder(domain, merchant, orderId)
  if ((order.captures ?? []).length === 0) throw notAllowed('Order has no captures. Send out not possible')
  findCapture(order, captureId)
}

/** What a newly placed order needs for Order Management. */
export interface NewOrder {
  id: string
  source: OrderRecord['source']
  sourceId: string
  sessionId?: string | undefined
  orderAmount: number
  purchaseCurrency: string
  purchaseCountry: string
  locale?: string | undefined
  orderLines: OrderLine[]
  response: OrderRecord['response']
  confirmationUrl?: string | undefined
  paymentMethodType: string
  billingAddress?: Address | undefined
  shippingAddress?: Address | undefined
  customer?: OrderRecord['customer']
  merchantReference1?: string | number | undefined
  merchantReference2?: string | number | undefined
  merchantData?: string | undefined
  fraudDecision?: OrderRecord['fraudDecision']
  autoCapture?: boolean | undefined
}

/** Stores a placed order (from an authorization or a token); auto_capture captures it whole. */
export function placeOrder(domain: Domain, merchant: string, input: NewOrder): OrderRecord {
  const now = clockOf(domain, merchant).nowMs()
  const reference = (v: string | number | undefined) => (v === undefined ? undefined : String(v))
  const order: OrderRecord = {
    id: input.id,
    createdAtMs: now,
    source: input.source,
    sourceId: input.sourceId,
    ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
    orderAmount: input.orderAmount,
    purchaseCurrency: input.purchaseCurrency,
    orderLines: input.orderLines,
    response: input.response,
    ...(input.confirmationUrl === undefined ? {} : { confirmationUrl: input.confirmationUrl }),
    purchaseCountry: input.purchaseCountry,
    ...(input.locale === undefined ? {} : { locale: input.locale }),
    paymentMethodType: input.paymentMethodType,
    ...(input.billingAddress === undefined ? {} : { billingAddress: input.billingAddress }),
    ...(input.shippingAddress === undefined ? {} : { shippingAddress: input.shippingAddress }),
    ...(input.customer === undefined ? {} : { customer: input.customer }),
    ...(input.merchantReference1 === undefined
      ? {}
      : { merchantReference1: reference(input.merchantReference1) }),
    ...(input.merchantReference2 === undefined
      ? {}
      : { merchantReference2: reference(input.merchantReference2) }),
    ...(input.merchantData === undefined ? {} : { merchantData: input.merchantData }),
    expiresAtMs: orderExpiry(now),
    ...(input.fraudDecision === undefined ? {} : { fraudDecision: input.fraudDecision }),
  }
  if (input.autoCapture === true && order.response.fraud_status === 'ACCEPTED') {
    addCapture(now, order, { captured_amount: order.orderAmount })
  }
  domain.store.merchant(merchant).orders.set(order.id, order)
  return order
}

/** An Order Management answer without a body: its status and headers. */
export interface Reply {
  status: number
  headers: Record<string, string>
}

/**
 * Klarna-Idempotency-Key on Order Management calls: the first successful answer under a key is
 * kept 24 hours (virtual) and given again for the same key, whatever the body ("only the key
 * matters", the spec says). Errors are not kept: a retry after one is a new attempt.
 */
export function withIdempotency(
  domain: Domain,
  merchant: string,
  key: string | undefined,
  run: () => Reply,
): Reply & { replayed: boolean } {
  if (key === undefined) return { ...run(), replayed: false }
  if (key.trim() === '' || key.length > 255) throw errors.badValue({ fields: ['Klarna-Idempotency-Key'] })
  const now = clockOf(domain, merchant).nowMs()
  const seen = domain.store.find(merchant)?.replies.get(key)
  if (seen !== undefined && seen.expiresAtMs >= now) {
    return { status: seen.status, headers: { ...seen.headers }, replayed: true }
  }
  const reply = run()
  domain.store
    .merchant(merchant)
    .replies.set(key, { ...reply, expiresAtMs: now + domain.settings.idempotencyWindowSeconds * 1000 })
  return { ...reply, replayed: false }
}
