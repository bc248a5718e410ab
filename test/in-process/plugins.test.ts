import t, { type Test } from 'tap'
import { build, call, createCustomerToken, errorOf, tokenRequest } from '../helpers/app.js'

/**
 * The request bodies Klarna's own e-commerce plugins build, replayed through the whole flow. Each
 * body follows the plugin's code (repository and path named); the values are a shop's.
 *  - WOO: krokedil/klarna-payments-for-woocommerce (Klarna's WooCommerce plugin)
 *  - SFCC: klarna/sfcc-klarna-payments (Klarna's Salesforce Commerce Cloud cartridge)
 */

/** A GB cart as WOO's KP_Order_Data::get_klarna_order_lines_array builds it (tax included, quantity_unit "pcs"). */
const wooLines = [
  {
    name: 'Hoodie',
    quantity: 2,
    quantity_unit: 'pcs',
    reference: 'woo-hoodie',
    tax_rate: 2000,
    total_amount: 9000,
    total_discount_amount: 0,
    total_tax_amount: 1500,
    type: 'physical',
    unit_price: 4500,
    image_url: null,
    product_url: null,
  },
  {
    name: 'Flat rate',
    quantity: 1,
    quantity_unit: 'pcs',
    reference: 'flat_rate:1',
    tax_rate: 2000,
    total_amount: 600,
    total_discount_amount: 0,
    total_tax_amount: 100,
    type: 'shipping_fee',
    unit_price: 600,
  },
]
const wooBilling = {
  given_name: 'Test',
  family_name: 'Person-uk',
  email: 'customer@email.uk',
  phone: '+447755564318',
  street_address: '10 New Burlington Street',
  street_address2: 'Apt. 214',
  postal_code: 'W1S3BE',
  city: 'London',
  region: '',
  country: 'GB',
}

/** WOO classes/requests/post/class-kp-create-session.php: get_request_body(). */
const wooSession = (intent?: string) => ({
  purchase_country: 'GB',
  purchase_currency: 'GBP',
  locale: 'en-GB',
  order_amount: 9600,
  order_tax_amount: 1600,
  order_lines: wooLines,
  customer: { type: 'person' },
  options: [], // json_encode(array()) when no colours are set
  merchant_urls: { authorization: 'https://shop.example/wc-api/KP_WC_AUTHORIZATION' },
  ...(intent === undefined ? {} : { intent }),
})

/** The customer-token request both plugins send for a GB subscription; what differs is given. */
const gbTokenRequest = (over: Record<string, unknown>) =>
  tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB', ...over })

/**
 * SFCC cartridges/int_klarna_payments/cartridge/scripts/payments/model/request/session.js and
 * requestBuilder/session.js.
 */
const sfccAddress = (over: Record<string, unknown> = {}) => ({
  title: '',
  given_name: 'Test',
  family_name: 'Person-uk',
  email: 'customer@email.uk',
  phone: '+447755564318',
  street_address: '10 New Burlington Street',
  street_address2: 'Apt. 214',
  postal_code: 'W1S 3BE',
  city: 'London',
  region: '',
  country: 'GB',
  ...over,
})
const sfccLine = {
  type: 'physical',
  name: 'Hoodie',
  reference: 'sfcc-hoodie',
  quantity: 2,
  merchant_data: '',
  unit_price: 4500,
  tax_rate: 2000,
  total_amount: 9000,
  total_tax_amount: 1500,
  total_discount_amount: 0,
  product_url: 'https://shop.example/hoodie',
  image_url: null,
}
const sfccShipping = {
  type: 'shipping_fee',
  name: 'Standard',
  reference: 'standard',
  quantity: 1,
  merchant_data: '',
  unit_price: 600,
  tax_rate: 2000,
  total_amount: 600,
  total_tax_amount: 100,
  total_discount_amount: 0,
  product_url: null,
  image_url: null,
}
const sfccSession = (intent: string) => ({
  purchase_country: 'GB',
  purchase_currency: 'GBP',
  locale: 'en-GB',
  billing_address: sfccAddress(),
  shipping_address: sfccAddress({ email: '' }),
  order_amount: 9600,
  order_tax_amount: 1600,
  order_lines: [sfccLine, sfccShipping],
  merchant_reference2: '',
  options: null,
  merchant_data: null,
  intent,
})

async function sessionAndAuthorization(t: Test, body: Record<string, unknown>) {
  const app = await build(t)
  const created = await call(app, 'POST', '/payments/v1/sessions', body)
  t.equal(created.statusCode, 200, `session: ${created.body}`)
  const sid = created.json().session_id as string
  const authorized = await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})
  t.equal(authorized.json().approved, true)
  return { app, sid, auth: authorized.json().authorization_token as string }
}

t.test(
  'WOO: session, customer token with customer {type: "person"}, then its renewal order (create-recurring)',
  async (t) => {
    const { app, auth } = await sessionAndAuthorization(t, wooSession('tokenize'))
    // classes/requests/post/class-kp-create-customer-token.php: get_body()
    const token = await createCustomerToken(
      app,
      auth,
      gbTokenRequest({
        billing_address: wooBilling,
        customer: { type: 'person' },
        description: 'Subscription',
      }),
    )
    t.equal(token.statusCode, 200, token.body)
    // classes/requests/post/class-kp-create-recurring.php: get_body()
    const renewal = await call(
      app,
      'POST',
      `/customer-token/v1/tokens/${token.json().token_id as string}/order`,
      {
        purchase_currency: 'GBP',
        order_amount: 9600,
        order_lines: wooLines,
        order_tax_amount: 1600,
        merchant_reference1: '1042',
        merchant_reference2: 1042, // the WooCommerce order id: PHP sends it as a number
      },
    )
    t.equal(renewal.statusCode, 200, renewal.body)
  },
)

t.test('WOO: a b2b customer token names customer type organization', async (t) => {
  const { app, auth } = await sessionAndAuthorization(t, wooSession('tokenize'))
  const token = await createCustomerToken(
    app,
    auth,
    gbTokenRequest({
      billing_address: { ...wooBilling, organization_name: 'Shop Ltd' },
      customer: { type: 'organization' },
      description: 'Subscription',
    }),
  )
  t.same(
    errorOf(token),
    { status: 409, code: 'BAD_VALUE', messages: ['Not matching fields: [customer.type]'] },
    'a person authorized, an organization claimed: a real mismatch',
  )
})

t.test(
  'SFCC: session with "" and null fields, customer token with type and title, order, recurring order',
  async (t) => {
    const { app, auth } = await sessionAndAuthorization(t, sfccSession('buy_and_tokenize'))
    // requestBuilder/customerToken.js: buildLocale, buildBilling, buildCustomer (type person, title), buildDescription
    const token = await createCustomerToken(
      app,
      auth,
      gbTokenRequest({
        billing_address: sfccAddress(),
        customer: { date_of_birth: '1970-07-10', title: 'Mr', type: 'person' },
        description: 'Subscription for 00001234',
      }),
    )
    t.equal(token.statusCode, 200, token.body)
    t.same(token.json().customer, { date_of_birth: '1970-07-10' })
    // model/request/order.js: KlarnaPaymentsOrderModel (merchant_urls with "", options and merchant_data null)
    const order = await call(app, 'POST', `/payments/v1/authorizations/${auth}/order`, {
      purchase_country: 'GB',
      purchase_currency: 'GBP',
      locale: 'en-GB',
      billing_address: sfccAddress(),
      shipping_address: sfccAddress({ email: '' }),
      order_amount: 9600,
      order_tax_amount: 1600,
      order_lines: [sfccLine, sfccShipping],
      merchant_reference1: '00001234',
      merchant_reference2: '',
      options: null,
      merchant_urls: {
        confirmation: 'https://shop.example/confirm',
        notification: 'https://shop.example/notify',
      },
      merchant_data: null,
    })
    t.equal(order.statusCode, 200, order.body)
    // The recurring order: the same model without billing_address (isRecurringOrder).
    const recurring = await call(
      app,
      'POST',
      `/customer-token/v1/tokens/${token.json().token_id as string}/order`,
      {
        purchase_country: 'GB',
        purchase_currency: 'GBP',
        locale: 'en-GB',
        shipping_address: sfccAddress({ email: '' }),
        order_amount: 9600,
        order_tax_amount: 1600,
        order_lines: [sfccLine, sfccShipping],
        merchant_reference1: '00001299',
        merchant_reference2: '',
        options: null,
        merchant_urls: { confirmation: 'https://shop.example/confirm', notification: '' },
        merchant_data: null,
      },
    )
    t.equal(recurring.statusCode, 200, recurring.body)
  },
)

t.test('SFCC: a guest customer token: billing address of empty strings but the e-mail', async (t) => {
  const { app, auth } = await sessionAndAuthorization(t, sfccSession('tokenize'))
  const empty = {
    title: '',
    given_name: '',
    family_name: '',
    email: 'customer@email.uk',
    phone: '',
    street_address: '',
    street_address2: '',
    postal_code: '',
    city: '',
    region: '',
    country: '',
  }
  const token = await createCustomerToken(
    app,
    auth,
    gbTokenRequest({
      billing_address: empty,
      customer: {},
      description: 'Subscription for 00001235',
    }),
  )
  t.equal(token.statusCode, 200, token.body)
})

t.test(
  'SFCC: mixed payments session (intent buy_and_default_tokenize) with the cartridge helpers',
  async (t) => {
    // scripts/payments/requestBuilder/session.js sets the intent from the basket's subscription data.
    const { app, auth } = await sessionAndAuthorization(t, sfccSession('buy_and_default_tokenize'))
    const token = await createCustomerToken(
      app,
      auth,
      gbTokenRequest({
        billing_address: sfccAddress(),
        customer: { type: 'person' },
        description: 'Subscription for 00001236',
      }),
    )
    t.equal(token.statusCode, 200, token.body)
  },
)
