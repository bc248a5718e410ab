import { orderLines } from '../../dist/schemas/examples.js'

/** Basic credentials, as a merchant's client sends them. */
export function basic(user = 'merchant-a', pass = 'secret'): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
}

/** A customer-token request body (SE), valid for a minted authorization. */
export function tokenRequest(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    purchase_country: 'SE',
    purchase_currency: 'SEK',
    locale: 'sv-SE',
    description: 'Monthly box',
    intended_use: 'SUBSCRIPTION',
    ...over,
  }
}

/** Klarna's own example cart (GB, 25 % VAT, one discounted line), valid under every amount rule. */
export function gbSession(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    intent: 'buy',
    order_amount: 10000,
    order_tax_amount: 2000,
    order_lines: structuredClone(orderLines),
    merchant_urls: { confirmation: 'https://shop.example/confirm?sid={session.id}&oid={order.id}' },
    ...over,
  }
}

/** A session update to one tomato (GB, 25 % VAT): a new cart for a gbSession(). */
export function gbCartUpdate(): Record<string, unknown> {
  return {
    order_amount: 600,
    order_tax_amount: 120,
    order_lines: [
      {
        name: 'Tomato',
        quantity: 1,
        unit_price: 600,
        tax_rate: 2500,
        total_amount: 600,
        total_tax_amount: 120,
      },
    ],
  }
}

/** The order request matching gbSession(). */
export function gbOrder(over: Record<string, unknown> = {}): Record<string, unknown> {
  const { intent: _intent, merchant_urls: _urls, ...order } = gbSession()
  return { ...order, ...over }
}

/** A monthly subscription charge in SEK for a token made in SE. */
export function seTokenOrder(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    purchase_currency: 'SEK',
    order_amount: 9900,
    order_tax_amount: 1980,
    order_lines: [
      {
        type: 'digital',
        reference: 'sub-1',
        name: 'Monthly box',
        quantity: 1,
        unit_price: 9900,
        tax_rate: 2500,
        total_amount: 9900,
        total_tax_amount: 1980,
        subscription: { name: 'Monthly box', interval: 'MONTH', interval_count: 1 },
      },
    ],
    ...over,
  }
}
