import type {
  Customer,
  CustomerTokenCreationRequest,
  CustomerTokenCreationResponse,
} from '../schemas/klarna.js'
import { clockOf } from './context.js'
import type { Domain } from './context.js'
import { errors } from './errors.js'
import { newId } from './ids.js'
import { redirectUrl } from './links.js'
import { intentRules, isTokenizable, marketProblems, normaliseAddress } from './rules.js'
import type { CustomerToken } from './store.js'
import { customerMismatch, getAuthorization } from './authorizations.js'

/**
 * Tokenization: an authorization becomes a customer token (POST
 * /payments/v1/authorizations/{token}/customer-token), once, within the authorization's lifetime,
 * for intents that allow it and where the market's rules let the payment method be tokenized.
 */

/** A token made without customer details shares this one empty object (records are never changed in place). */
const noCustomer: Customer = Object.freeze({})

/** POST /payments/v1/authorizations/{token}/customer-token */
export function createCustomerToken(
  domain: Domain,
  merchant: string,
  token: string,
  body: CustomerTokenCreationRequest,
  baseUrl: string,
): CustomerTokenCreationResponse {
  const { authorization, session } = getAuthorization(domain, merchant, token)
  if (!intentRules[session.intent].customerToken) {
    throw errors.intentNotAllowed({ intent: session.intent, operation: 'create customer tokens' })
  }
  if (authorization.customerTokenId !== undefined) throw errors.authorizationConsumed()
  const country = session.data.purchase_country
  const billing = normaliseAddress(body.billing_address)
  if (
    body.purchase_country.toUpperCase() !== country ||
    (billing?.country !== undefined && billing.country !== country)
  ) {
    throw errors.badValue({ fields: ['purchase_country'] })
  }
  const bad = marketProblems(domain.catalog, body)
  if (bad.length > 0) throw errors.badValue({ fields: bad })
  // Mixed payments tokenize a fallback of the chosen method, whatever the tokenization rules say.
  const mixed = session.intent === 'buy_and_default_tokenize'
  if (!mixed && !isTokenizable(domain.catalog, country, authorization.paymentMethodCategory)) {
    throw errors.notTokenizable({
      payment_method_category: authorization.paymentMethodCategory,
      purchase_country: country,
    })
  }
  const tokenType = mixed
    ? (domain.catalog.types.get(authorization.paymentMethodType)?.mixed_payments_token ??
      authorization.paymentMethodType)
    : authorization.paymentMethodType
  const mismatch = customerMismatch(authorization.customer, body.customer)
  if (mismatch.length > 0) throw errors.notMatching({ fields: mismatch })

  const customer =
    body.customer === undefined && authorization.customer === undefined
      ? noCustomer
      : { ...body.customer, ...authorization.customer }
  const tokenRecord: CustomerToken = {
    id: newId(),
    createdAtMs: clockOf(domain, merchant).nowMs(),
    status: 'ACTIVE',
    paymentMethodCategory: authorization.paymentMethodCategory,
    paymentMethodType: tokenType,
    paymentMethodReference: newId(),
    purchaseCountry: country,
    purchaseCurrency: session.data.purchase_currency,
    description: body.description,
    billingAddress:
      billing === undefined ? authorization.billingAddress : { ...billing, ...authorization.billingAddress },
    customer,
    sessionId: session.id,
    authorizationToken: authorization.token,
    merchantUrls: session.data.merchant_urls,
    ...(authorization.outcome.kind === 'approved' && authorization.outcome.stepUp !== undefined
      ? { stepUpRequired: true }
      : {}),
  }
  const state = domain.store.merchant(merchant)
  state.tokens.set(tokenRecord.id, tokenRecord)
  state.authorizations.update(authorization.token, 'customerTokenId', tokenRecord.id)
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
