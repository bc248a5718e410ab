import type { CreateOrderRequest, Order, OrderLine } from '../schemas/klarna.js'
import { clockOf } from './context.js'
import { canonicalJson, differingFields } from './canonical.js'
import type { Domain } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { redirectUrl } from './links.js'
import { linkCustomer } from './linking.js'
import { amountProblems, intentRules, marketProblems, normaliseAddress } from './rules.js'
import { placeOrder } from './order-management.js'
import { recoverToken } from './step-up.js'
import { assertOpen } from './sessions.js'
import type { Outcome } from './store.js'

import { customerMismatch, getAuthorization } from './authorizations.js'

/**
 * The order of an authorization (POST /payments/v1/authorizations/{token}/order): the cart and
 * addresses must be the authorized ones; the same body again answers the same order.
 */

function orderLineMismatch(authorized: OrderLine[], requested: OrderLine[]): string[] {
  if (authorized.length !== requested.length) {
    return [
      `Incorrect number of items in the cart. Expected: ${authorized.length}, Actual: ${requested.length}`,
    ]
  }
  return requested.flatMap((line, i) => differingFields(`order_lines[${i}]`, authorized[i], line))
}

/** Order response fields every order shares: fraud status and the authorized payment method. */
export function orderOutcome(
  domain: Domain,
  outcome: Outcome,
  paymentMethodType: string,
): Pick<Order, 'fraud_status' | 'authorized_payment_method'> {
  const apm = domain.catalog.types.get(paymentMethodType)?.authorized_payment_method
  return {
    fraud_status: outcome.kind === 'approved' ? outcome.fraudStatus : 'REJECTED',
    ...(apm === undefined ? {} : { authorized_payment_method: { ...apm } }),
  }
}

/** POST /payments/v1/authorizations/{token}/order */
export interface OrderCallOptions {
  /** Base of the redirect_url links. */
  baseUrl: string
  /** A scenario's success variant (e.g. {fraud_status: PENDING}): the order is placed so. */
  patch?: Record<string, unknown> | undefined
}

export function createOrderFromAuthorization(
  domain: Domain,
  merchant: string,
  token: string,
  body: CreateOrderRequest,
  { baseUrl, patch }: OrderCallOptions,
): Order {
  const { authorization, session } = getAuthorization(domain, merchant, token)
  if (!intentRules[session.intent].order) {
    throw errors.intentNotAllowed({ intent: session.intent, operation: 'create orders' })
  }
  const request: CreateOrderRequest = {
    ...body,
    purchase_country: body.purchase_country.toUpperCase(),
    purchase_currency: body.purchase_currency.toUpperCase(),
    billing_address: normaliseAddress(body.billing_address),
    shipping_address: normaliseAddress(body.shipping_address),
  }
  const canonical = canonicalJson(request)
  if (authorization.order !== undefined) {
    if (authorization.order.body === canonical) return authorization.order.response
    throw errors.orderDifferentBody()
  }
  assertOpen(session)
  const bad = [...marketProblems(domain.catalog, request), ...amountProblems(request, { allowZero: false })]
  if (bad.length > 0) throw errors.badValue({ fields: bad })
  const authorized = authorization.authorized
  const mismatch = [
    ...differingFields('purchase_country', authorized.purchase_country, request.purchase_country),
    ...differingFields('purchase_currency', authorized.purchase_currency, request.purchase_currency),
    ...differingFields('order_amount', authorized.order_amount, request.order_amount),
    ...(authorized.order_tax_amount === undefined
      ? []
      : differingFields('order_tax_amount', authorized.order_tax_amount, request.order_tax_amount)),
    ...orderLineMismatch(authorized.order_lines, request.order_lines),
    ...differingFields('billing_address', authorization.billingAddress ?? {}, request.billing_address),
    ...differingFields('shipping_address', authorization.shippingAddress ?? {}, request.shipping_address),
    ...customerMismatch(authorization.customer, request.customer),
  ]
  if (mismatch.length > 0) throw errors.notMatching({ fields: mismatch })

  const orderId = newId()
  const confirmation = request.merchant_urls?.confirmation ?? session.data.merchant_urls?.confirmation
  const response: Order = {
    order_id: orderId,
    ...(confirmation === undefined
      ? {}
      : {
          redirect_url: redirectUrl(domain.links, baseUrl, {
            s: session.id,
            o: orderId,
            c: confirmation,
            w: 'order placed',
          }),
        }),
    ...orderOutcome(domain, authorization.outcome, authorization.paymentMethodType),
    ...(session.intent === 'buy_and_link' ? { customer_token: linkCustomer(domain, merchant, session) } : {}),
    ...patch,
  }
  const state = domain.store.merchant(merchant)
  if (session.stepUpId !== undefined) recoverToken(domain, merchant, session.stepUpId, authorization)
  const outcome = authorization.outcome
  const now = clockOf(domain, merchant).nowMs()
  placeOrder(domain, merchant, {
    id: orderId,
    source: 'authorization',
    sourceId: authorization.token,
    sessionId: session.id,
    orderAmount: request.order_amount,
    purchaseCurrency: request.purchase_currency,
    purchaseCountry: request.purchase_country,
    locale: request.locale ?? session.data.locale,
    orderLines: request.order_lines,
    response,
    confirmationUrl: confirmation,
    paymentMethodType: authorization.paymentMethodType,
    billingAddress: request.billing_address ?? authorization.billingAddress,
    shippingAddress: request.shipping_address ?? authorization.shippingAddress,
    customer: authorization.customer ?? request.customer,
    merchantReference1: request.merchant_reference1,
    merchantReference2: request.merchant_reference2,
    merchantData: request.merchant_data,
    autoCapture: request.auto_capture,
    ...(outcome.kind === 'approved' && outcome.resolvesTo !== undefined && response.fraud_status === 'PENDING'
      ? { fraudDecision: { status: outcome.resolvesTo, atMs: now + (outcome.pendingMinutes ?? 0) * 60_000 } }
      : {}),
  })
  authorization.order = { body: canonical, response }
  state.authorizations.touch(authorization.token, authorization)
  const notification = request.merchant_urls?.notification ?? session.data.merchant_urls?.notification
  if (
    outcome.kind === 'approved' &&
    outcome.resolvesTo !== undefined &&
    notification !== undefined &&
    notification !== ''
  ) {
    domain.outbox.enqueue({
      merchant,
      kind: 'fraud_decision',
      url: notification,
      dueAtMs: clockOf(domain, merchant).nowMs() + (outcome.pendingMinutes ?? 0) * 60_000,
      body: {
        order_id: orderId,
        event_type: outcome.resolvesTo === 'ACCEPTED' ? 'FRAUD_RISK_ACCEPTED' : 'FRAUD_RISK_REJECTED',
      },
    })
  }
  session.status = 'complete'
  session.orderId = orderId
  state.sessions.touch(session.id, session)
  return response
}
