import type { CustomerTokenOrder, CustomerTokenRead, Order } from '../schemas/klarna.js'
import { clockOf } from './context.js'
import { canonicalJson } from './canonical.js'
import type { Domain } from './context.js'
import { type KlarnaError, errors } from './errors.js'
import { newId } from './ids.js'
import { orderOutcome, type OrderCallOptions } from './authorization-orders.js'
import { redirectUrl } from './links.js'
import { placeOrder } from './order-management.js'
import { amountProblems, marketProblems, normaliseAddress } from './rules.js'
import { stepUpError } from './step-up.js'
import type { CustomerToken, TokenStatus } from './store.js'

/**
 * Customer tokens: read, cancel (final), suspend and reinstate (as Klarna can), and charge with
 * an order. Tokens never expire. An unknown token answers as Klarna documents per call.
 */

export function getToken(
  domain: Domain,
  merchant: string,
  tokenId: string,
  unknown: () => KlarnaError = errors.invalidCustomerToken,
): CustomerToken {
  const token = domain.store.find(merchant)?.tokens.get(tokenId)
  if (token === undefined) throw unknown()
  return token
}

/**
 * GET …/tokens/{t}. An unknown token: recorded TOKEN_NOT_FOUND "Customer token not found"
 * (klarna/kco_rest_php#57); documented NOT_FOUND "Invalid customer-token ID".
 */
export function readToken(domain: Domain, merchant: string, tokenId: string): CustomerTokenRead {
  // The two fields it answers, read alone: the hottest read of a suite need not build the record.
  const tokens = domain.store.find(merchant)?.tokens
  const status = tokens?.field(tokenId, 'status')
  const paymentMethodType = tokens?.field(tokenId, 'paymentMethodType')
  if (status === undefined || paymentMethodType === undefined) {
    throw domain.settings.fidelity === 'recorded' ? errors.tokenNotFound() : errors.invalidCustomerToken()
  }
  const type = domain.catalog.types.get(paymentMethodType)
  return {
    status,
    payment_method_type: paymentMethodType,
    ...(type?.card === undefined ? {} : { card: { ...type.card } }),
    ...(type?.direct_debit === undefined ? {} : { direct_debit: { ...type.direct_debit } }),
  }
}

/** PATCH …/status {"status":"CANCELLED"} (any case). Cancelling is final. */
export function cancelToken(domain: Domain, merchant: string, tokenId: string): void {
  const token = getToken(domain, merchant, tokenId, errors.invalidTokenId)
  token.status = 'CANCELLED'
  domain.store.merchant(merchant).tokens.touch(tokenId, token)
}

/** Control API: Klarna may suspend a token and lift the suspension; a cancelled token stays cancelled. */
export function setTokenStatus(
  domain: Domain,
  merchant: string,
  tokenId: string,
  status: TokenStatus,
): CustomerToken {
  const token = getToken(domain, merchant, tokenId)
  if (token.status === 'CANCELLED' && status !== 'CANCELLED') {
    throw errors.tokenNotReinstatable()
  }
  token.status = status
  domain.store.merchant(merchant).tokens.touch(tokenId, token)
  return token
}

export interface TokenOrderResult {
  body: Order
  replayed: boolean
}

/** POST /customer-token/v1/tokens/{token}/order, with Klarna-Idempotency-Key (24 hours). */
export function createTokenOrder(
  domain: Domain,
  merchant: string,
  tokenId: string,
  body: CustomerTokenOrder,
  { baseUrl, patch, idempotencyKey }: OrderCallOptions & { idempotencyKey?: string | undefined },
): TokenOrderResult {
  const now = clockOf(domain, merchant).nowMs()
  const bodyHash = canonicalJson({ tokenId, body })
  if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > 255)) {
    throw errors.badValue({ fields: ['Klarna-Idempotency-Key'] })
  }
  if (idempotencyKey !== undefined) {
    const seen = domain.store.find(merchant)?.idempotency.get(idempotencyKey)
    if (seen !== undefined && seen.expiresAtMs >= now) {
      if (seen.bodyHash !== bodyHash) {
        throw errors.idempotencyKeyReused({ key: idempotencyKey })
      }
      return { body: seen.body, replayed: true }
    }
  }
  const token = getToken(domain, merchant, tokenId, errors.tokenNotFound)
  if (token.status === 'CANCELLED') throw errors.tokenCancelled()
  if (token.status === 'SUSPENDED') throw errors.tokenSuspended()
  if (token.stepUpRequired === true) throw stepUpError(domain, merchant, token, body.step_up === 'SUPPORTED')
  const bad = [
    ...amountProblems(body, { allowZero: false }),
    ...marketProblems(domain.catalog, { purchase_country: token.purchaseCountry, locale: body.locale }),
  ]
  if (bad.length > 0) throw errors.badValue({ fields: bad })
  // The token's payment method works in the currency of the market it was made in. Klarna
  // Payments' docs: UNAVAILABLE_PAYMENT_METHOD; KCO's docs: PAYMENT_METHOD_CURRENCY_MISMATCH
  // (scenario payment-method-currency-mismatch). docs/fidelity.md.
  if (body.purchase_currency.toUpperCase() !== token.purchaseCurrency) {
    throw errors.currencyMismatch()
  }
  const state = domain.store.merchant(merchant)
  const orderId = newId()
  const confirmation = body.merchant_urls?.confirmation ?? token.merchantUrls?.confirmation
  const response: Order = {
    order_id: orderId,
    redirect_url: redirectUrl(domain.links, baseUrl, {
      s: token.sessionId,
      o: orderId,
      c: confirmation,
      w: 'order placed with a customer token',
    }),
    ...orderOutcome(domain, { kind: 'approved', fraudStatus: 'ACCEPTED' }, token.paymentMethodType),
    ...patch,
  }
  placeOrder(domain, merchant, {
    id: orderId,
    source: 'customer_token',
    sourceId: token.id,
    orderAmount: body.order_amount,
    purchaseCurrency: body.purchase_currency.toUpperCase(),
    purchaseCountry: token.purchaseCountry,
    locale: body.locale,
    orderLines: body.order_lines,
    response,
    confirmationUrl: confirmation,
    paymentMethodType: token.paymentMethodType,
    billingAddress: token.billingAddress,
    shippingAddress: normaliseAddress(body.shipping_address),
    customer: token.customer,
    merchantReference1: body.merchant_reference1,
    merchantReference2: body.merchant_reference2,
    merchantData: body.merchant_data,
    autoCapture: body.auto_capture,
  })
  if (idempotencyKey !== undefined) {
    state.idempotency.set(idempotencyKey, {
      bodyHash,
      expiresAtMs: now + domain.settings.idempotencyWindowSeconds * 1000,
      body: response,
    })
  }
  return { body: response, replayed: false }
}
