import type { Address, Customer, OrderLine } from '../schemas/klarna.js'
import { authorize } from './authorizations.js'
import type { Domain } from './context.js'
import { badValue, KlarnaError } from './errors.js'
import { expectedOrderAmount, expectedOrderTax, findMarket, type Intent } from './rules.js'
import { createSession } from './sessions.js'

/**
 * The control API's one-call mint (POST /_mock/authorizations): a payment session and its
 * authorization, exactly as POST /payments/v1/sessions followed by the widget's authorize().
 */

export interface MintInput {
  purchase_country?: string | undefined
  purchase_currency?: string | undefined
  locale?: string | undefined
  intent?: Intent | undefined
  payment_method_category?: string | undefined
  payment_method_type?: string | undefined
  billing_address?: Address | undefined
  shipping_address?: Address | undefined
  customer?: Customer | undefined
  order_amount?: number | undefined
  order_tax_amount?: number | undefined
  order_lines?: OrderLine[] | undefined
  merchant_urls?:
    { confirmation?: string; notification?: string; push?: string; authorization?: string } | undefined
  scenario?: string | undefined
}

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
  if (market === undefined) throw badValue(['purchase_country'])
  const lines = input.order_lines ?? defaultOrderLines
  const session = createSession(
    domain,
    merchant,
    {
      purchase_country: country,
      purchase_currency: input.purchase_currency ?? market.currency,
      locale: input.locale ?? market.locales[0],
      intent: input.intent ?? 'tokenize',
      order_amount: input.order_amount ?? expectedOrderAmount(lines),
      order_tax_amount: input.order_tax_amount ?? expectedOrderTax(lines),
      order_lines: lines,
      ...(input.merchant_urls === undefined ? {} : { merchant_urls: input.merchant_urls }),
    },
    baseUrl,
  )
  const { result, authorization } = authorize(domain, merchant, session.id, input)
  if (authorization === undefined) {
    throw new KlarnaError(403, 'REJECTED', [
      `Rejected: the authorization was declined (${result.approved ? '' : result.reason})`,
    ])
  }
  return {
    authorization_token: authorization.token,
    session_id: session.id,
    expires_at: new Date(authorization.expiresAtMs).toISOString(),
  }
}
