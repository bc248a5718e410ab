import { Type } from '../typebox.js'
import type { Static } from '@sinclair/typebox'
import { CaseInsensitiveEnum, Country, Currency, Locale } from './common.js'

/**
 * Klarna's request and response shapes (Payments API v1, Customer Token API v1), after the
 * OpenAPI specs Klarna publishes (copies in test/openapi/). Unknown request fields are tolerated,
 * as Klarna does; responses are serialized through these schemas, so nothing undeclared leaks.
 */

const S = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })
const Int = (opts: { minimum?: number; maximum?: number } = {}) => Type.Integer(opts)

/** An e-mail address, or empty: plugins send "" for a field they have no value for (klarna/sfcc-klarna-payments). */
const Email = Type.String({
  maxLength: 99,
  pattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  description: 'An e-mail address.',
  examples: ['customer@email.se'],
})

export const Address = Type.Object({
  attention: Type.Optional(S(99)),
  city: Type.Optional(S(99)),
  country: Type.Optional(
    Type.String({
      pattern: '^(?:[A-Za-z]{2})?$',
      description: 'ISO 3166 alpha-2 country (any case); empty means not given.',
    }),
  ),
  email: Type.Optional(Email),
  family_name: Type.Optional(S(99)),
  given_name: Type.Optional(S(99)),
  organization_name: Type.Optional(S(99)),
  phone: Type.Optional(S(99)),
  postal_code: Type.Optional(S(10)),
  region: Type.Optional(S(99)),
  street_address: Type.Optional(S(99)),
  street_address2: Type.Optional(S(99)),
  title: Type.Optional(S(20)),
})
export type Address = Static<typeof Address>

export const Customer = Type.Object({
  customer_token: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1024,
      description:
        'Account linking (intent buy_and_link): the customer_token of a returning, linked customer.',
    }),
  ),
  date_of_birth: Type.Optional(
    Type.String({ format: 'date', description: 'YYYY-MM-DD, a real date.', examples: ['1970-07-10'] }),
  ),
  gender: Type.Optional(Type.String()),
  last_four_ssn: Type.Optional(Type.String({ pattern: '^([0-9]{4}|[0-9]{9})$' })),
  national_identification_number: Type.Optional(Type.String()),
  organization_entity_type: Type.Optional(
    Type.Union(
      [
        'LIMITED_COMPANY',
        'PUBLIC_LIMITED_COMPANY',
        'ENTREPRENEURIAL_COMPANY',
        'LIMITED_PARTNERSHIP_LIMITED_COMPANY',
        'LIMITED_PARTNERSHIP',
        'GENERAL_PARTNERSHIP',
        'REGISTERED_SOLE_TRADER',
        'SOLE_TRADER',
        'CIVIL_LAW_PARTNERSHIP',
        'PUBLIC_INSTITUTION',
        'OTHER',
      ].map((v) => Type.Literal(v)),
    ),
  ),
  organization_registration_id: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  type: Type.Optional(Type.String({ pattern: '^(person|organization)$' })),
  vat_id: Type.Optional(Type.String()),
})
export type Customer = Static<typeof Customer>

export const CustomerRead = Type.Object({
  date_of_birth: Type.Optional(Type.String()),
  gender: Type.Optional(Type.String()),
  organization_entity_type: Type.Optional(Type.String()),
  organization_registration_id: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  vat_id: Type.Optional(Type.String()),
})

export const CustomerReadCreateToken = Type.Object({
  date_of_birth: Type.Optional(Type.String()),
  gender: Type.Optional(Type.String()),
})

export const ProductIdentifiers = Type.Object({
  brand: Type.Optional(S(70)),
  category_path: Type.Optional(S(750)),
  global_trade_item_number: Type.Optional(S(50)),
  manufacturer_part_number: Type.Optional(S(70)),
  color: Type.Optional(S(64)),
  size: Type.Optional(S(64)),
})

export const Subscription = Type.Object({
  name: S(255, 1),
  interval: Type.Union([
    Type.Literal('DAY'),
    Type.Literal('WEEK'),
    Type.Literal('MONTH'),
    Type.Literal('YEAR'),
  ]),
  interval_count: Int({ minimum: 1 }),
})

export const OrderLineTypes = [
  'physical',
  'discount',
  'shipping_fee',
  'sales_tax',
  'digital',
  'gift_card',
  'store_credit',
  'surcharge',
] as const

export const OrderLine = Type.Object({
  name: S(255, 1),
  quantity: Int({ minimum: 0 }),
  unit_price: Int({ maximum: 200000000 }),
  total_amount: Int({ maximum: 200000000 }),
  type: Type.Optional(Type.Union(OrderLineTypes.map((t) => Type.Literal(t)))),
  reference: Type.Optional(S(255)),
  tax_rate: Type.Optional(Int({ minimum: 0, maximum: 10000 })),
  total_tax_amount: Type.Optional(Int()),
  total_discount_amount: Type.Optional(Int({ minimum: 0 })),
  quantity_unit: Type.Optional(S(8, 1)),
  merchant_data: Type.Optional(S(1024)),
  image_url: Type.Optional(S(1024)),
  product_url: Type.Optional(S(1024)),
  product_identifiers: Type.Optional(ProductIdentifiers),
  subscription: Type.Optional(Subscription),
})
export type OrderLine = Static<typeof OrderLine>

/**
 * A merchant reference. A whole number is taken too, as Klarna's Jackson reads it: Klarna's
 * WooCommerce plugin sends the order id as a JSON number (krokedil/klarna-payments-for-woocommerce,
 * classes/requests/post/class-kp-create-recurring.php: merchant_reference2 = $order->get_id()).
 */
const MerchantReference = Type.Union([S(255), Type.Integer({ minimum: 0 })])

export const MerchantUrls = Type.Object({
  confirmation: Type.Optional(S(2000)),
  notification: Type.Optional(S(2000)),
  push: Type.Optional(S(2000)),
  authorization: Type.Optional(S(2000)),
})

const Color = Type.String({ pattern: '^#[A-Fa-f0-9]{6}$' })
const OptionsObject = Type.Object({
  color_border: Type.Optional(Color),
  color_border_selected: Type.Optional(Color),
  color_details: Type.Optional(Color),
  color_text: Type.Optional(Color),
  radius_border: Type.Optional(Type.String()),
})
/**
 * An empty JSON array stands for "no options": PHP's json_encode(array()) sends []
 * (krokedil/klarna-payments-for-woocommerce).
 */
export const Options = Type.Union([OptionsObject, Type.Array(Type.Unknown(), { maxItems: 0 })])

export const Attachment = Type.Object({
  content_type: Type.String(),
  body: Type.String(),
})

/**
 * The session's intent. The spec lists buy, tokenize, buy_and_tokenize; Klarna's "Initiate a
 * payment" page adds buy_and_default_tokenize (mixed payments) and buy_and_link (account linking),
 * and klarna/sfcc-klarna-payments sends buy_and_default_tokenize. What each allows: src/domain/rules.ts.
 */
export const intents = [
  'buy',
  'tokenize',
  'buy_and_tokenize',
  'buy_and_default_tokenize',
  'buy_and_link',
] as const
export const IntentSchema = Type.Union(intents.map((i) => Type.Literal(i)))
export type Intent = Static<typeof IntentSchema>

const sessionFields = {
  acquiring_channel: Type.Optional(CaseInsensitiveEnum(['ECOMMERCE', 'IN_STORE', 'TELESALES'])),
  attachment: Type.Optional(Attachment),
  billing_address: Type.Optional(Address),
  custom_payment_method_ids: Type.Optional(Type.Array(Type.String())),
  customer: Type.Optional(Customer),
  design: Type.Optional(Type.String()),
  intent: Type.Optional(IntentSchema),
  locale: Type.Optional(Locale),
  merchant_data: Type.Optional(S(6000)),
  merchant_reference1: Type.Optional(MerchantReference),
  merchant_reference2: Type.Optional(MerchantReference),
  merchant_urls: Type.Optional(MerchantUrls),
  options: Type.Optional(Options),
  order_amount: Int({ minimum: 0 }),
  order_lines: Type.Array(OrderLine, { minItems: 1, maxItems: 1000 }),
  order_tax_amount: Type.Optional(Int({ minimum: 0 })),
  purchase_country: Country,
  purchase_currency: Currency,
  shipping_address: Type.Optional(Address),
}

/** POST /payments/v1/sessions. Klarna reports purchase_currency, purchase_country first. */
const {
  purchase_currency: sessionCurrency,
  purchase_country: sessionCountry,
  ...otherSessionFields
} = sessionFields
export const SessionCreate = Type.Object({
  purchase_currency: sessionCurrency,
  purchase_country: sessionCountry,
  ...otherSessionFields,
  step_up_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Recovering a failed token charge: the step_up_id of the token order\'s 403 (Klarna\'s "Recover token charge failure").',
    }),
  ),
  customer_token: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'With step_up_id: the customer token being recovered.',
    }),
  ),
})
export type SessionCreate = Static<typeof SessionCreate>

/** POST /payments/v1/sessions/{id}: the same fields, none required. */
export const SessionUpdate = Type.Partial(Type.Object(sessionFields))
export type SessionUpdate = Static<typeof SessionUpdate>

export const PaymentMethodCategory = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  asset_urls: Type.Object({ descriptive: Type.String(), standard: Type.String() }),
})

export const MerchantSession = Type.Object({
  session_id: Type.String(),
  client_token: Type.String(),
  payment_method_categories: Type.Array(PaymentMethodCategory),
})

export const SessionRead = Type.Object({
  acquiring_channel: Type.Optional(Type.String()),
  attachment: Type.Optional(Attachment),
  authorization_token: Type.Optional(Type.String()),
  billing_address: Type.Optional(Address),
  client_token: Type.Optional(Type.String()),
  custom_payment_method_ids: Type.Optional(Type.Array(Type.String())),
  customer: Type.Optional(CustomerRead),
  design: Type.Optional(Type.String()),
  expires_at: Type.Optional(Type.String()),
  intent: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
  merchant_data: Type.Optional(Type.String()),
  merchant_reference1: Type.Optional(Type.String()),
  merchant_reference2: Type.Optional(Type.String()),
  merchant_urls: Type.Optional(MerchantUrls),
  options: Type.Optional(Options),
  order_amount: Type.Optional(Type.Integer()),
  order_lines: Type.Optional(Type.Array(OrderLine)),
  order_tax_amount: Type.Optional(Type.Integer()),
  payment_method_categories: Type.Optional(Type.Array(PaymentMethodCategory)),
  purchase_country: Type.Optional(Type.String()),
  purchase_currency: Type.Optional(Type.String()),
  shipping_address: Type.Optional(Address),
  status: Type.Optional(Type.Union([Type.Literal('complete'), Type.Literal('incomplete')])),
})

/** POST /payments/v1/authorizations/{token}/order */
export const CreateOrderRequest = Type.Object({
  purchase_currency: Currency,
  purchase_country: Country,
  order_amount: Int({ minimum: 0 }),
  order_lines: Type.Array(OrderLine, { minItems: 1, maxItems: 1000 }),
  locale: Type.Optional(Locale),
  order_tax_amount: Type.Optional(Int({ minimum: 0 })),
  auto_capture: Type.Optional(Type.Boolean()),
  billing_address: Type.Optional(Address),
  shipping_address: Type.Optional(Address),
  customer: Type.Optional(Customer),
  merchant_urls: Type.Optional(MerchantUrls),
  merchant_reference1: Type.Optional(MerchantReference),
  merchant_reference2: Type.Optional(MerchantReference),
  merchant_data: Type.Optional(S(6000)),
  custom_payment_method_ids: Type.Optional(Type.Array(Type.String())),
  attachment: Type.Optional(Attachment),
})
export type CreateOrderRequest = Static<typeof CreateOrderRequest>

export const AuthorizedPaymentMethod = Type.Object({
  type: Type.String(),
  number_of_days: Type.Optional(Type.Integer()),
  number_of_installments: Type.Optional(Type.Integer()),
})

export const Order = Type.Object({
  order_id: Type.String(),
  redirect_url: Type.Optional(Type.String()),
  fraud_status: Type.String(),
  authorized_payment_method: Type.Optional(AuthorizedPaymentMethod),
  customer_token: Type.Optional(
    Type.String({
      description: 'Account linking (intent buy_and_link): the customer_token to keep for this customer.',
    }),
  ),
})
export type Order = Static<typeof Order>

/** POST /payments/v1/authorizations/{token}/customer-token */
export const CustomerTokenCreationRequest = Type.Object({
  purchase_country: Country,
  purchase_currency: Currency,
  locale: Locale,
  description: S(255, 1),
  intended_use: CaseInsensitiveEnum(['SUBSCRIPTION']),
  billing_address: Type.Optional(Address),
  customer: Type.Optional(Customer),
})
export type CustomerTokenCreationRequest = Static<typeof CustomerTokenCreationRequest>

export const CustomerTokenCreationResponse = Type.Object({
  token_id: Type.String(),
  redirect_url: Type.Optional(Type.String()),
  payment_method_reference: Type.Optional(Type.String()),
  billing_address: Type.Optional(Address),
  customer: Type.Optional(CustomerReadCreateToken),
})
export type CustomerTokenCreationResponse = Static<typeof CustomerTokenCreationResponse>

export const Card = Type.Object({
  brand: Type.String(),
  expiry_date: Type.String(),
  masked_number: Type.String(),
})
export const DirectDebit = Type.Object({ masked_number: Type.String() })

/** GET /customer-token/v1/tokens/{token} */
export const CustomerTokenRead = Type.Object({
  status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('SUSPENDED'), Type.Literal('CANCELLED')]),
  payment_method_type: Type.String(),
  card: Type.Optional(Card),
  direct_debit: Type.Optional(DirectDebit),
})
export type CustomerTokenRead = Static<typeof CustomerTokenRead>

/** PATCH /customer-token/v1/tokens/{token}/status */
export const TokenStatusUpdate = Type.Object({
  status: CaseInsensitiveEnum(['CANCELLED']),
})

/** POST /customer-token/v1/tokens/{token}/order */
export const CustomerTokenOrder = Type.Object({
  purchase_currency: Currency,
  order_amount: Int({ minimum: 1 }),
  order_lines: Type.Array(OrderLine, { minItems: 1, maxItems: 1000 }),
  order_tax_amount: Int({ minimum: 0 }),
  auto_capture: Type.Optional(Type.Boolean()),
  merchant_reference1: Type.Optional(MerchantReference),
  merchant_reference2: Type.Optional(MerchantReference),
  merchant_data: Type.Optional(S(6000)),
  merchant_urls: Type.Optional(Type.Object({ confirmation: S(2000), push: Type.Optional(S(2000)) })),
  shipping_address: Type.Optional(Address),
  attachment: Type.Optional(Attachment),
  locale: Type.Optional(Locale),
  step_up: Type.Optional(
    Type.Union([Type.Literal('SUPPORTED'), Type.Literal('NOT_SUPPORTED')], {
      description:
        'SUPPORTED: the customer is present and can recover a failed charge in a new session (a step_up_id comes with the 403).',
    }),
  ),
})
export type CustomerTokenOrder = Static<typeof CustomerTokenOrder>
