import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Type, Value } from '../typebox.js'
import type { Static, TSchema } from '@sinclair/typebox'
import { fixturesDir } from '../paths.js'

/**
 * Data Klarna's rules are made of, loaded from fixtures/ (markets, payment methods, tokenization,
 * sample customers). Each file is checked against its schema at start: a wrong field stops
 * start-up with the file and the path. Everything looked up by a caller's value is a Map, so
 * that `constructor` or `__proto__` is just an unknown name.
 */

const CountryCode = Type.String({ pattern: '^[A-Z]{2}$' })
const MarketSchema = Type.Object({
  country: CountryCode,
  name: Type.String(),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  locales: Type.Array(Type.String({ pattern: '^[a-z]{2}-[A-Z]{2}$' }), { minItems: 1 }),
  region: Type.String(),
})
export type Market = Static<typeof MarketSchema>
const MarketsFile = Type.Object(
  { $comment: Type.Optional(Type.String()), markets: Type.Array(MarketSchema, { minItems: 1 }) },
  { additionalProperties: false },
)

const CategoryName = Type.String({ pattern: '^[a-z][a-z0-9_]*$' })
const CategorySchema = Type.Object(
  {
    name: Type.String(),
    payment_method_type: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
    markets: Type.Union([Type.Literal('*'), Type.Array(CountryCode)]),
  },
  { additionalProperties: false },
)
export type PaymentMethodCategory = Static<typeof CategorySchema>

const AuthorizedPaymentMethodSchema = Type.Object(
  {
    type: Type.String(),
    number_of_days: Type.Optional(Type.Integer({ minimum: 0 })),
    number_of_installments: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
)
export type AuthorizedPaymentMethod = Static<typeof AuthorizedPaymentMethodSchema>

const TypeSchema = Type.Object(
  {
    authorized_payment_method: AuthorizedPaymentMethodSchema,
    mixed_payments_token: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
    initial_payment_method: Type.Object(
      {
        type: Type.String(),
        description: Type.String(),
        number_of_installments: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false },
    ),
    card: Type.Optional(
      Type.Object(
        { brand: Type.String(), expiry_date: Type.String(), masked_number: Type.String() },
        { additionalProperties: false },
      ),
    ),
    direct_debit: Type.Optional(
      Type.Object({ masked_number: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
)
export type PaymentMethodType = Static<typeof TypeSchema>

const MethodsFile = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    categories: Type.Record(CategoryName, CategorySchema),
    types: Type.Record(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }), TypeSchema),
  },
  { additionalProperties: false },
)

const RulesFile = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    default: Type.Record(Type.String(), Type.Boolean()),
    countries: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Boolean()))),
  },
  { additionalProperties: false },
)

const AddressFields = Type.Record(Type.String({ pattern: '^[a-z_0-9]+$' }), Type.String())
const SamplesFile = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    generic: AddressFields,
    countries: Type.Record(CountryCode, AddressFields),
  },
  { additionalProperties: false },
)

export interface TokenizationRules {
  default: ReadonlyMap<string, boolean>
  countries: ReadonlyMap<string, ReadonlyMap<string, boolean>>
}

export interface Catalog {
  sampleAddresses: { generic: Record<string, string>; countries: ReadonlyMap<string, Record<string, string>> }
  markets: ReadonlyMap<string, Market>
  categories: ReadonlyMap<string, PaymentMethodCategory>
  types: ReadonlyMap<string, PaymentMethodType>
  tokenization: TokenizationRules
}

export interface CatalogFiles {
  markets?: string
  paymentMethods?: string
  tokenizationRules?: string
}

export class CatalogFileError extends Error {
  override name = 'CatalogFileError'
}

/** Reads a JSON file and checks it against its schema; the error names the file and the field. */
function readChecked<T extends TSchema>(file: string, schema: T): Static<T> {
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new CatalogFileError(`cannot read ${file}: ${(err as Error).message}`)
  }
  const first = Value.Errors(schema, doc).First()
  if (first !== undefined) {
    const path = first.path === '' ? '(root)' : first.path.slice(1).replace(/\//g, '.')
    throw new CatalogFileError(`${file}: ${path}: ${first.message}`)
  }
  return doc as Static<T>
}

const entries = <V>(record: Record<string, V>): Map<string, V> => new Map(Object.entries(record))

/**
 * A tokenization rules file (--tokenization-rules): every country must be a market and every
 * category a known one, so that a typo is an error and not a rule that silently never applies.
 */
export function loadTokenizationRules(
  file: string,
  markets: ReadonlyMap<string, Market>,
  categories: ReadonlyMap<string, PaymentMethodCategory>,
): TokenizationRules {
  const doc = readChecked(file, RulesFile)
  const checkCategories = (record: Record<string, boolean>, where: string): Map<string, boolean> => {
    for (const category of Object.keys(record)) {
      if (!categories.has(category)) {
        throw new CatalogFileError(
          `${file}: ${where}.${category}: unknown payment method category (known: ${[...categories.keys()].join(', ')})`,
        )
      }
    }
    return entries(record)
  }
  const countries = new Map<string, ReadonlyMap<string, boolean>>()
  for (const [country, record] of Object.entries(doc.countries ?? {})) {
    if (!markets.has(country)) {
      throw new CatalogFileError(
        `${file}: countries.${country}: not a market of markets.json (write the country code in capitals)`,
      )
    }
    countries.set(country, checkCategories(record, `countries.${country}`))
  }
  return { default: checkCategories(doc.default, 'default'), countries }
}

export function loadCatalog(files: CatalogFiles = {}): Catalog {
  const marketsFile = files.markets ?? join(fixturesDir, 'markets.json')
  const methodsFile = files.paymentMethods ?? join(fixturesDir, 'payment-methods.json')
  const rulesFile = files.tokenizationRules ?? join(fixturesDir, 'tokenization-rules.json')
  const markets = new Map(readChecked(marketsFile, MarketsFile).markets.map((m) => [m.country, m]))
  const methods = readChecked(methodsFile, MethodsFile)
  const categories = entries(methods.categories)
  const types = entries(methods.types)
  for (const [id, category] of categories) {
    if (!types.has(category.payment_method_type)) {
      throw new CatalogFileError(
        `${methodsFile}: categories.${id}.payment_method_type: no type ${category.payment_method_type} in types`,
      )
    }
  }
  for (const [id, type] of types) {
    if (!types.has(type.mixed_payments_token)) {
      throw new CatalogFileError(
        `${methodsFile}: types.${id}.mixed_payments_token: no type ${type.mixed_payments_token} in types`,
      )
    }
  }
  const samples = readChecked(join(fixturesDir, 'sample-customers.json'), SamplesFile)
  return {
    sampleAddresses: { generic: samples.generic, countries: entries(samples.countries) },
    markets,
    categories,
    types,
    tokenization: loadTokenizationRules(rulesFile, markets, categories),
  }
}
