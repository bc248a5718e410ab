import type { TSchema } from '@sinclair/typebox'

/**
 * Realistic examples for the documentation page (/_mock/docs), one per request body: Klarna's own
 * GB example cart (docs.klarna.com, "Initiate a payment": tomatoes and bananas, 25 % VAT, a
 * discount) and the playground's approved GB customer ("Sample customer data"). Each is accepted
 * by the mock as it stands (test/in-process/docs.test.ts sends every one).
 */

const billingAddress = {
  given_name: 'Test',
  family_name: 'Person-uk',
  email: 'customer@email.uk',
  street_address: '10 New Burlington Street',
  street_address2: 'Apt. 214',
  postal_code: 'W1S 3BE',
  city: 'London',
  phone: '+447755564318',
  country: 'GB',
}

/** Klarna's own example cart (GB, 25 % VAT, one discounted line); test/helpers/data.ts uses it too. */
export const orderLines = [
  {
    type: 'physical',
    reference: '123050',
    name: 'Tomatoes',
    quantity: 10,
    quantity_unit: 'kg',
    unit_price: 600,
    tax_rate: 2500,
    total_amount: 6000,
    total_tax_amount: 1200,
  },
  {
    type: 'physical',
    reference: '543670',
    name: 'Bananas',
    quantity: 1,
    quantity_unit: 'bag',
    unit_price: 5000,
    tax_rate: 2500,
    total_amount: 4000,
    total_discount_amount: 1000,
    total_tax_amount: 800,
  },
]

const cart = {
  purchase_country: 'GB',
  purchase_currency: 'GBP',
  locale: 'en-GB',
  order_amount: 10000,
  order_tax_amount: 2000,
  order_lines: orderLines,
}

/** The payment session an example names (test/in-process/docs.test.ts puts a live one in its place). */
export const exampleSessionId = '0b1d9815-165e-42e2-8867-35bc03789e00'

export const examples = {
  session: {
    ...cart,
    intent: 'buy_and_tokenize',
    merchant_urls: {
      confirmation: 'https://shop.example/confirmation?sid={session.id}&oid={order.id}',
      authorization: 'https://shop.example/klarna/authorization',
    },
  },
  sessionUpdate: { merchant_reference1: '45aa52f387871e3a210645d4', merchant_reference2: 'CART-1042' },
  order: {
    ...cart,
    billing_address: billingAddress,
    merchant_reference1: '45aa52f387871e3a210645d4',
    merchant_urls: { confirmation: 'https://shop.example/confirmation?oid={order.id}' },
  },
  customerToken: {
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    description: 'Fruit box, delivered monthly',
    intended_use: 'SUBSCRIPTION',
    billing_address: billingAddress,
    customer: { type: 'person' },
  },
  tokenStatus: { status: 'CANCELLED' },
  tokenOrder: {
    purchase_currency: 'GBP',
    order_amount: 2500,
    order_tax_amount: 500,
    auto_capture: false,
    merchant_reference1: 'SUB-1042-2030-02',
    order_lines: [
      {
        type: 'physical',
        reference: 'fruit-box',
        name: 'Fruit box',
        quantity: 1,
        unit_price: 2500,
        tax_rate: 2500,
        total_amount: 2500,
        total_tax_amount: 500,
        subscription: { name: 'Fruit box', interval: 'MONTH', interval_count: 1 },
      },
    ],
  },
  mint: {
    purchase_country: 'GB',
    intent: 'tokenize',
    payment_method_category: 'pay_later',
    billing_address: { email: 'customer@email.uk' },
  },
  authorize: {
    payment_method_category: 'pay_later',
    billing_address: { email: 'customer+pend-accept-05@email.uk' },
  },
  clock: { advance_seconds: 3600 },
  tokenStatusControl: { status: 'SUSPENDED' },
  arm: { name: 'token-suspended', times: 1, operation: 'createTokenOrder' },
  capture: {
    captured_amount: 1300,
    description: 'Shipped the rest of the fruit box',
    reference: 'SHIP-1042-2',
    shipping_info: [
      {
        shipping_company: 'DHL UK',
        shipping_method: 'Home',
        tracking_number: '63456415674545679874',
        tracking_uri: 'https://dhl.example/track/63456415674545679874',
      },
    ],
  },
  refund: { refunded_amount: 1200, description: 'The first half arrived bruised', reference: 'RMA-1042-1' },
  updateAuthorization: {
    order_amount: 10600,
    description: 'Added a bag of bananas',
    order_lines: [
      ...orderLines,
      {
        type: 'physical',
        reference: '543671',
        name: 'Bananas',
        quantity: 1,
        unit_price: 600,
        tax_rate: 2500,
        total_amount: 600,
        total_tax_amount: 120,
      },
    ],
  },
  merchantReferences: { merchant_reference1: 'ORDER-1042', merchant_reference2: 'ERP-9981' },
  customerDetails: {
    shipping_address: {
      ...billingAddress,
      street_address: '1 Oxford Street',
      street_address2: '',
      postal_code: 'W1D 1AN',
    },
  },
  shippingInfo: {
    shipping_info: [
      { shipping_company: 'DHL UK', shipping_method: 'Home', tracking_number: '63456415674545679874' },
    ],
  },
  extendDueDate: { number_of_days: 14 },
  hppSession: {
    payment_session_url: `https://api.klarna.com/payments/v1/sessions/${exampleSessionId}`,
    merchant_urls: {
      success: 'https://shop.example/success?hpp={{session_id}}&token={{authorization_token}}',
      cancel: 'https://shop.example/cancel?hpp={{session_id}}',
      back: 'https://shop.example/cart',
      failure: 'https://shop.example/failed?hpp={{session_id}}',
      error: 'https://shop.example/error?hpp={{session_id}}',
      status_update: 'https://shop.example/klarna/hpp-status?hpp={{session_id}}',
    },
    options: {
      place_order_mode: 'NONE',
      payment_method_categories: ['PAY_LATER', 'PAY_OVER_TIME'],
      page_title: 'Pay for your fruit box',
    },
  },
  hppDistribution: { method: 'email', contact_information: { email: 'customer@email.uk' } },
  widgetAuthorize: {
    client_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtsYXJuYS1tb2NrIn0.…',
    payment_method_category: 'pay_later',
    billing_address: { email: 'customer@email.uk' },
  },
  hppDecision: { action: 'approve', payment_method_category: 'pay_later', email: 'customer@email.uk' },
} as const

/** The schema with its example (shown on the documentation page as the request body's example). */
export function withExample<T extends TSchema>(schema: T, example: unknown): T {
  return { ...schema, examples: [example] }
}
