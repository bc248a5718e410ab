import type { Static } from '@sinclair/typebox'
import type { MintRequest } from '../schemas/mock.js'
import type { OrderLine } from '../schemas/klarna.js'
import { authorize } from './authorizations.js'
import type { Domain } from './context.js'
import { errors } from './errors.js'
import { expectedOrderAmount, expectedOrderTax, findMarket } from './rules.js'
import { createSession } from './sessions.js'

/**
 * The control API's one-call mint (POST /_mock/authorizations): a payment session and its
 * authorization, exactly as POST /payments/v1/sessions followed by the widget's authorize().
 */

/** The request of POST /_mock/authorizations (src/schemas/mock.ts), also the library's authorize(). */
export type MintInput = Static<typeof MintRequest> & { scenario?: string | undefined }

/** The cart a minted session holds when the caller sends none: one tax-free item of 100.00. */
export const defaultOrderLines: OrderLine[] = [
  {
    type: 'digital',
    reference: 'klarna-mock-1',
    name: 'klarna-mock test item',
    quantity: 1,
    unit_price: 10000,
    tax_rate: 0,
    total_amount: 10000,
    total_discount_amount: 0,
    total_tax_amount: 0,
  },
]

/** `baseUrl`: where a browser finds the mock (it goes into the session's client_token). */
export function mintAuthorization(domain: Domain, merchant: string, input: MintInput, baseUrl: string) {
  if (input.scenario !== undefined) domain.scenarios.sticky(input.scenario)
  const country = (input.purchase_country ?? 'SE').toUpperCase()
  const market = findMarket(domain.catalog, country)
  if (market === undefined) throw errors.badValue({ fields: ['purchase_country'] })
  const lines = input.order_lines ?? defaultOrderLines
  const cart = {
    purchase_country: country,
    purchase_currency: input.purchase_currency ?? market.currency,
    locale: input.locale ?? market.locales[0],
    intent: input.intent ?? 'tokenize',
    order_amount: input.order_amount ?? expectedOrderAmount(lines),
    order_tax_amount: input.order_tax_amount ?? expectedOrderTax(lines),
    order_lines: lines,
  }
  // The default cart is shared by every session minted with it (sessions.ts, sharedData), named by
  // all it holds but its lines (the default ones), so that no field can be left out of the name.
  const { order_lines: _defaultLines, ...named } = cart
  const shareKey =
    lines === defaultOrderLines && input.merchant_urls === undefined ? JSON.stringify(named) : undefined
  const session = createSession(
    domain,
    merchant,
    input.merchant_urls === undefined ? cart : { ...cart, merchant_urls: input.merchant_urls },
    baseUrl,
    { shareKey },
  )
  const { result, authorization } = authorize(domain, merchant, session.id, input)
  if (authorization === undefined) {
    throw errors.mintDeclined({ reason: result.approved ? '' : result.reason })
  }
  return {
    authorization_token: authorization.token,
    session_id: session.id,
    expires_at: new Date(authorization.expiresAtMs).toISOString(),
  }
}
