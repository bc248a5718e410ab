import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fixturesDir } from '../paths.js'

/** Data Klarna's rules are made of, loaded from fixtures/ (markets, payment methods, tokenization). */

export interface Market {
  country: string
  name: string
  currency: string
  locales: string[]
  region: string
}

export interface PaymentMethodCategory {
  name: string
  payment_method_type: string
  markets: '*' | string[]
}

export interface AuthorizedPaymentMethod {
  type: string
  number_of_days?: number
  number_of_installments?: number
}

export interface PaymentMethodType {
  authorized_payment_method: AuthorizedPaymentMethod
  card?: { brand: string, expiry_date: string, masked_number: string }
  direct_debit?: { masked_number: string }
}

export interface TokenizationRules {
  default: Record<string, boolean>
  countries: Record<string, Record<string, boolean>>
}

export interface Catalog {
  sampleAddresses: { generic: Record<string, string>, countries: Record<string, Record<string, string>> }
  markets: Map<string, Market>
  categories: Record<string, PaymentMethodCategory>
  types: Record<string, PaymentMethodType>
  tokenization: TokenizationRules
}

export interface CatalogFiles {
  markets?: string
  paymentMethods?: string
  tokenizationRules?: string
}

function readJson (file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`)
  }
}

function assertObject (value: unknown, file: string, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: ${field} must be an object`)
  return value as Record<string, unknown>
}

export function loadTokenizationRules (file: string): TokenizationRules {
  const doc = assertObject(readJson(file), file, '(root)')
  const def = assertObject(doc.default ?? {}, file, 'default')
  const countries = assertObject(doc.countries ?? {}, file, 'countries')
  const check = (rec: Record<string, unknown>, where: string): Record<string, boolean> => {
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v !== 'boolean') throw new Error(`${file}: ${where}.${k} must be true or false`)
    }
    return rec as Record<string, boolean>
  }
  const byCountry: Record<string, Record<string, boolean>> = {}
  for (const [country, rec] of Object.entries(countries)) {
    byCountry[country.toUpperCase()] = check(assertObject(rec, file, `countries.${country}`), `countries.${country}`)
  }
  return { default: check(def, 'default'), countries: byCountry }
}

export function loadCatalog (files: CatalogFiles = {}): Catalog {
  const marketsFile = files.markets ?? join(fixturesDir, 'markets.json')
  const methodsFile = files.paymentMethods ?? join(fixturesDir, 'payment-methods.json')
  const rulesFile = files.tokenizationRules ?? join(fixturesDir, 'tokenization-rules.json')
  const marketsDoc = readJson(marketsFile) as { markets: Market[] }
  const methodsDoc = readJson(methodsFile) as { categories: Record<string, PaymentMethodCategory>, types: Record<string, PaymentMethodType> }
  const markets = new Map(marketsDoc.markets.map(m => [m.country.toUpperCase(), m]))
  const samples = readJson(join(fixturesDir, 'sample-customers.json')) as Catalog['sampleAddresses']
  return {
    sampleAddresses: samples,
    markets,
    categories: methodsDoc.categories,
    types: methodsDoc.types,
    tokenization: loadTokenizationRules(rulesFile)
  }
}
