import type {
  Address,
  CreateOrderRequest,
  Customer,
  CustomerTokenCreationRequest,
  CustomerTokenCreationResponse,
  Order,
  OrderLine,
} from '../schemas/klarna.js'
import { clockOf } from './context.js'
import { canonicalJson, differingFields } from './canonical.js'
import type { Domain } from './context.js'
import {
  badRequest,
  badValue,
  conflict,
  invalidOperation,
  messages,
  notFound,
  notMatching,
} from './errors.js'
import { newId } from './ids.js'
import { redirectUrl } from './links.js'
import { outcomeForEmail } from './playground.js'
import { linkCustomer } from './linking.js'
import { amountProblems, intentRules, isTokenizable, marketProblems, normaliseAddress } from './rules.js'
import { placeOrder } from './order-management.js'
import { recoverToken } from './step-up.js'
import { assertOpen, getSession } from './sessions.js'
import type { Authorization, CustomerToken, Outcome, Session } from './store.js'

/**
 * Authorizations: what Klarna's browser widget authorize() creates, and what the server API does
 * with the token: a customer token, an order, or a cancel. An authorization token lives 60
 * minutes (configurable), and is valid up to the last second of its lifetime.
 */

export interface AuthorizeInput {
  payment_method_category?: string | undefined
  /** Mock extension: the token's payment method type, e.g. PAY_BY_CARD for a card token. */
  payment_method_type?: string | undefined
  billing_address?: Address | undefined
  shipping_address?: Address | undefined
  customer?: Customer | undefined
  /** Name of a scenario that sticks to the token. */
  scenario?: string | undefined
}

export type AuthorizeResult =
  | { approved: true; show_form: true; authorization_token: string; finalize_required: false }
  | { approved: false; show_form: false; reason: string }

/** The approved playground customer of a market: Klarna's sample data, with the market's test e-mail. */
function sampleAddress(domain: Domain, country: string): Address {
  const samples = domain.catalog.sampleAddresses
  const cc = country.toLowerCase() === 'gb' ? 'uk' : country.toLowerCase()
  return { ...samples.generic, email: `customer@email.${cc}`, ...samples.countries.get(country), country }
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
    throw badValue(['payment_method_category'])
  }
  const type = input.payment_method_type?.toUpperCase() ?? known.payment_method_type
  if (!domain.catalog.types.has(type)) throw badValue(['payment_method_type'])
  const billing: Address = {
    ...sampleAddress(domain, country),
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
    authorized: {
      purchase_country: session.data.purchase_country,
      purchase_currency: session.data.purchase_currency,
      order_amount: session.data.order_amount,
      order_tax_amount: session.data.order_tax_amount,
      order_lines: session.data.order_lines,
    },
    scenario: input.scenario,
  }
  const state = domain.store.merchant(merchant)
  state.authorizations.set(authorization.token, authorization)
  session.authorizationToken = authorization.token
  state.sessions.touch(session.id)
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
    throw notFound(messages.invalidAuthorizationToken)
  }
  return { authorization, session }
}

/** Looks the token up without the lifetime check (for scenarios sticky to a token). */
export function peekAuthorization(
  domain: Domain,
  merchant: string,
  token: string,
): Authorization | undefined {
  return domain.store.find(merchant)?.authorizations.get(token)
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

/** POST /payments/v1/authorizations/{token}/customer-token */
export function createCustomerToken(
  domain: Domain,
  merchant: string,
  token: string,
  body: CustomerTokenCreationRequest,
  baseUrl: string,
): CustomerTokenCreationResponse {
  const { authorization: auth, session } = getAuthorization(domain, merchant, token)
  if (!intentRules[session.intent].customerToken) {
    throw invalidOperation(messages.intentNotAllowed(session.intent, 'create customer tokens'))
  }
  if (auth.customerTokenId !== undefined) throw invalidOperation(messages.authorizationConsumed)
  const country = session.data.purchase_country
  const billing = normaliseAddress(body.billing_address)
  if (
    body.purchase_country.toUpperCase() !== country ||
    (billing?.country !== undefined && billing.country !== country)
  ) {
    throw badValue(['purchase_country'])
  }
  const bad = marketProblems(domain.catalog, body)
  if (bad.length > 0) throw badValue(bad)
  // Mixed payments tokenize a fallback of the chosen method, whatever the tokenization rules say.
  const mixed = session.intent === 'buy_and_default_tokenize'
  if (!mixed && !isTokenizable(domain.catalog, country, auth.paymentMethodCategory)) {
    throw badRequest(messages.notTokenizable(auth.paymentMethodCategory, country))
  }
  const tokenType = mixed
    ? (domain.catalog.types.get(auth.paymentMethodType)?.mixed_payments_token ?? auth.paymentMethodType)
    : auth.paymentMethodType
  const mismatch = customerMismatch(auth.customer, body.customer)
  if (mismatch.length > 0) throw notMatching(mismatch)

  const customer = { ...body.customer, ...auth.customer }
  const tokenRecord: CustomerToken = {
    id: newId(),
    createdAtMs: clockOf(domain, merchant).nowMs(),
    status: 'ACTIVE',
    paymentMethodCategory: auth.paymentMethodCategory,
    paymentMethodType: tokenType,
    paymentMethodReference: newId(),
    purchaseCountry: country,
    purchaseCurrency: session.data.purchase_currency,
    description: body.description,
    billingAddress: { ...billing, ...auth.billingAddress },
    customer,
    sessionId: session.id,
    authorizationToken: auth.token,
    merchantUrls: session.data.merchant_urls,
    ...(auth.outcome.kind === 'approved' && auth.outcome.stepUp !== undefined
      ? { stepUpRequired: true }
      : {}),
  }
  const state = domain.store.merchant(merchant)
  state.tokens.set(tokenRecord.id, tokenRecord)
  auth.customerTokenId = tokenRecord.id
  state.authorizations.touch(auth.token)
  const response: CustomerTokenCreationResponse = {
    token_id: tokenRecord.id,
    redirect_url: redirectUrl(domain.links, baseUrl, {
      s: session.id,
      c: session.data.merchant_urls?.confirmation,
      w: 'customer token created',
    }),
    payment_method_reference: tokenRecord.paymentMethodReference,
    billing_address: tokenRecord.billingAddress,
  }
  if (customer.date_of_birth !== undefined || customer.gender !== undefined) {
    response.customer = { date_of_birth: customer.date_of_birth, gender: customer.gender }
  }
  return response
}

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
  const { authorization: auth, session } = getAuthorization(domain, merchant, token)
  if (!intentRules[session.intent].order) {
    throw invalidOperation(messages.intentNotAllowed(session.intent, 'create orders'))
  }
  const request: CreateOrderRequest = {
    ...body,
    purchase_country: body.purchase_country.toUpperCase(),
    purchase_currency: body.purchase_currency.toUpperCase(),
    billing_address: normaliseAddress(body.billing_address),
    shipping_address: normaliseAddress(body.shipping_address),
  }
  const canonical = canonicalJson(request)
  if (auth.order !== undefined) {
    if (auth.order.body === canonical) return auth.order.response
    throw conflict(messages.orderDifferentBody)
  }
  assertOpen(session)
  const bad = [...marketProblems(domain.catalog, request), ...amountProblems(request, { allowZero: false })]
  if (bad.length > 0) throw badValue(bad)
  const authorized = auth.authorized
  const mismatch = [
    ...differingFields('purchase_country', authorized.purchase_country, request.purchase_country),
    ...differingFields('purchase_currency', authorized.purchase_currency, request.purchase_currency),
    ...differingFields('order_amount', authorized.order_amount, request.order_amount),
    ...(authorized.order_tax_amount === undefined
      ? []
      : differingFields('order_tax_amount', authorized.order_tax_amount, request.order_tax_amount)),
    ...orderLineMismatch(authorized.order_lines, request.order_lines),
    ...differingFields('billing_address', auth.billingAddress ?? {}, request.billing_address),
    ...differingFields('shipping_address', auth.shippingAddress ?? {}, request.shipping_address),
    ...customerMismatch(auth.customer, request.customer),
  ]
  if (mismatch.length > 0) throw notMatching(mismatch)

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
    ...orderOutcome(domain, auth.outcome, auth.paymentMethodType),
    ...(session.intent === 'buy_and_link' ? { customer_token: linkCustomer(domain, merchant, session) } : {}),
    ...patch,
  }
  const state = domain.store.merchant(merchant)
  if (session.stepUpId !== undefined) recoverToken(domain, merchant, session.stepUpId, auth)
  const outcome = auth.outcome
  const now = clockOf(domain, merchant).nowMs()
  placeOrder(domain, merchant, {
    id: orderId,
    source: 'authorization',
    sourceId: auth.token,
    sessionId: session.id,
    orderAmount: request.order_amount,
    purchaseCurrency: request.purchase_currency,
    purchaseCountry: request.purchase_country,
    locale: request.locale ?? session.data.locale,
    orderLines: request.order_lines,
    response,
    confirmationUrl: confirmation,
    paymentMethodType: auth.paymentMethodType,
    billingAddress: request.billing_address ?? auth.billingAddress,
    shippingAddress: request.shipping_address ?? auth.shippingAddress,
    customer: auth.customer ?? request.customer,
    merchantReference1: request.merchant_reference1,
    merchantReference2: request.merchant_reference2,
    merchantData: request.merchant_data,
    autoCapture: request.auto_capture,
    ...(outcome.kind === 'approved' && outcome.resolvesTo !== undefined && response.fraud_status === 'PENDING'
      ? { fraudDecision: { status: outcome.resolvesTo, atMs: now + (outcome.pendingMinutes ?? 0) * 60_000 } }
      : {}),
  })
  auth.order = { body: canonical, response }
  state.authorizations.touch(auth.token)
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
  state.sessions.touch(session.id)
  return response
}

/** DELETE /payments/v1/authorizations/{token}: the token is unknown to every call after it. */
export function cancelAuthorization(domain: Domain, merchant: string, token: string): void {
  getAuthorization(domain, merchant, token)
  domain.store.merchant(merchant).authorizations.delete(token)
}
