import type { Intent, OrderLine as KlarnaOrderLine } from '../schemas/klarna.js'
import type { Catalog, Market } from './catalog.js'
import { inCatalogMarkets, sharedPerCatalog } from './shared-values.js'

/**
 * Klarna's validation rules that a JSON schema cannot express: markets (country, currency,
 * locale), tokenization per (country, category), and amounts and tax. Each returns the paths of
 * the bad fields, so that callers can report them all in one "Bad value: …" message.
 */

export type { Intent } from '../schemas/klarna.js'

/**
 * What each intent lets the merchant do with an authorization (Klarna's "Initiate a payment",
 * "Mixed payments" and "Account linking" pages): place the order, create a customer token.
 * buy_and_default_tokenize tokenizes a Pay Now fallback of the chosen method (see
 * `mixed_payments_token` in fixtures/payment-methods.json), whatever the tokenization rules say;
 * buy_and_link answers the order with a customer_token that identifies the customer.
 */
export const intentRules: Readonly<Record<Intent, { order: boolean; customerToken: boolean }>> = {
  buy: { order: true, customerToken: false },
  tokenize: { order: false, customerToken: true },
  buy_and_tokenize: { order: true, customerToken: true },
  buy_and_default_tokenize: { order: true, customerToken: true },
  buy_and_link: { order: true, customerToken: false },
}

export function findMarket(catalog: Catalog, country: string | undefined): Market | undefined {
  return country === undefined ? undefined : catalog.markets.get(country.toUpperCase())
}

export interface MarketInput {
  purchase_country?: string | undefined
  purchase_currency?: string | undefined
  locale?: string | undefined
}

/** Country must be a Klarna market; currency its local one; locale one of its locales (any case). */
export function marketProblems(catalog: Catalog, input: MarketInput): string[] {
  const bad: string[] = []
  const market = findMarket(catalog, input.purchase_country)
  if (input.purchase_country !== undefined && market === undefined) bad.push('purchase_country')
  if (market === undefined) return bad
  if (input.purchase_currency !== undefined && input.purchase_currency.toUpperCase() !== market.currency) {
    bad.push('purchase_currency')
  }
  if (
    input.locale !== undefined &&
    !market.locales.some((l) => l.toLowerCase() === input.locale?.toLowerCase())
  ) {
    bad.push('locale')
  }
  return bad
}

/** Normalised spelling of a locale: "en-gb" -> "en-GB". */
export function normaliseLocale(locale: string): string {
  const [lang = '', ...rest] = locale.split('-')
  return [lang.toLowerCase(), ...rest.map((r) => r.toUpperCase())].join('-')
}

/**
 * An address as Klarna reads it: the country code upper-cased ("se" -> "SE") and empty fields
 * left out (plugins send "" for what they do not have, e.g. klarna/sfcc-klarna-payments' address
 * model; "" is no value, so it neither fails a check nor differs from the authorized address).
 */
export function normaliseAddress<A extends Record<string, unknown> & { country?: string | undefined }>(
  address: A | undefined,
): A | undefined {
  if (address === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(address)) {
    if (value === '' || value === undefined) continue
    out[key] = key === 'country' && typeof value === 'string' ? value.toUpperCase() : value
  }
  return out as A
}

const categories = sharedPerCatalog<readonly string[]>(inCatalogMarkets)

/** The categories a market offers: one shared frozen list per country (sessions keep a reference). */
export function categoriesFor(catalog: Catalog, country: string): readonly string[] {
  const c = country.toUpperCase()
  return categories(catalog, c, () =>
    [...catalog.categories]
      .filter(([, cat]) => cat.markets === '*' || cat.markets.includes(c))
      .map(([id]) => id),
  )
}

export function isTokenizable(catalog: Catalog, country: string, category: string): boolean {
  const override = catalog.tokenization.countries.get(country.toUpperCase())?.get(category)
  return override ?? catalog.tokenization.default.get(category) ?? false
}

// ---------------------------------------------------------------- amounts and tax

/** The parts of an order line (src/schemas/klarna.ts) the amount rules read. */
export type OrderLine = Pick<
  KlarnaOrderLine,
  | 'type'
  | 'quantity'
  | 'unit_price'
  | 'total_amount'
  | 'tax_rate'
  | 'total_tax_amount'
  | 'total_discount_amount'
>

export interface OrderAmounts {
  order_amount: number
  order_tax_amount?: number | undefined
  order_lines: OrderLine[]
}

/** The line tax Klarna expects: total − total × 10000 / (10000 + rate), prices including tax. */
export function expectedLineTax(totalAmount: number, taxRate: number): number {
  return totalAmount - (totalAmount * 10000) / (10000 + taxRate)
}

/** The order tax Klarna expects: line taxes, a US `sales_tax` line counting with its total. */
export function expectedOrderTax(lines: readonly OrderLine[]): number {
  return lines.reduce(
    (sum, l) => sum + (l.type === 'sales_tax' ? l.total_amount : (l.total_tax_amount ?? 0)),
    0,
  )
}

/** The order amount Klarna expects: the sum of the lines' totals. */
export function expectedOrderAmount(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, l) => sum + l.total_amount, 0)
}

/** Tolerance of the line tax check (Klarna: "within ±1"). */
export const LINE_TAX_TOLERANCE = 1

/**
 * Klarna's amount rules (docs.klarna.com, "Order lines" and the Payments API reference's order_lines;
 * docs/fidelity.md): each line's total, each line's tax within
 * ±1, the order amount as the sum of line totals, the order tax as the sum of line taxes
 * (a US `sales_tax` line counts with its total; within ±1 per line as the docs' tolerance), a
 * `sales_tax` line excluding tax on the other lines, and a zero amount only where allowed.
 */
export function amountProblems(order: OrderAmounts, opts: { allowZero: boolean }): string[] {
  const bad: string[] = []
  const lines = order.order_lines
  const hasSalesTaxLine = lines.some((l) => l.type === 'sales_tax')
  lines.forEach((line, i) => {
    const p = `order_lines[${i}]`
    const discount = line.total_discount_amount ?? 0
    if (line.total_amount !== line.quantity * line.unit_price - discount) bad.push(`${p}.total_amount`)
    if (line.type !== 'sales_tax') {
      const tax = line.total_tax_amount ?? 0
      if (hasSalesTaxLine && (tax !== 0 || (line.tax_rate ?? 0) !== 0)) {
        bad.push(`${p}.${tax !== 0 ? 'total_tax_amount' : 'tax_rate'}`)
      } else if (
        line.tax_rate !== undefined &&
        line.total_tax_amount !== undefined &&
        Math.abs(line.total_tax_amount - expectedLineTax(line.total_amount, line.tax_rate)) >
          LINE_TAX_TOLERANCE
      ) {
        bad.push(`${p}.total_tax_amount`)
      }
    }
  })
  if (order.order_amount !== expectedOrderAmount(lines)) bad.push('order_amount')
  else if (order.order_amount === 0 && !opts.allowZero) bad.push('order_amount')
  if (
    order.order_tax_amount !== undefined &&
    Math.abs(order.order_tax_amount - expectedOrderTax(lines)) > lines.length
  ) {
    bad.push('order_tax_amount')
  }
  return bad
}
