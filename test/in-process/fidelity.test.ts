import t from 'tap'
import { build, call, createCustomerToken, errorOf, mint, tokenRequest } from '../helpers/app.js'
import { gbOrder, gbSession, seTokenOrder } from '../helpers/data.js'
import { listen, raw } from '../helpers/socket.js'
import { basic } from '../helpers/app.js'

const gbToken = tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' })

t.test(
  'mixed payments (buy_and_default_tokenize): an order and a token, the token a Pay Now fallback of the chosen method',
  async (t) => {
    const app = await build(t)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ payment_method_category: 'pay_over_time' }, 'DIRECT_DEBIT'], // financing backed by direct debit; not tokenizable otherwise
      [{ payment_method_category: 'pay_later' }, 'INVOICE'], // no funding source: Pay Later 30
      [{ payment_method_category: 'pay_later', payment_method_type: 'PAY_LATER_BY_CARD' }, 'PAY_BY_CARD'],
      [{ payment_method_category: 'direct_bank_transfer' }, 'INVOICE'],
    ]
    for (const [method, tokenType] of cases) {
      const { authorization_token: auth } = await mint(app, { intent: 'buy_and_default_tokenize', ...method })
      const made = await createCustomerToken(app, auth)
      t.equal(made.statusCode, 200, made.body)
      const read = (
        await call(app, 'GET', `/customer-token/v1/tokens/${made.json().token_id as string}`)
      ).json()
      t.equal(read.payment_method_type, tokenType, `${JSON.stringify(method)} → ${tokenType}`)
    }
    const { authorization_token: auth } = await mint(app, {
      purchase_country: 'GB',
      intent: 'buy_and_default_tokenize',
      order_amount: 10000,
      order_tax_amount: 2000,
      order_lines: gbSession().order_lines,
    })
    t.equal(
      (
        await call(
          app,
          'POST',
          `/payments/v1/authorizations/${auth}/order`,
          gbOrder({ merchant_urls: undefined }),
        )
      ).statusCode,
      200,
      'the order, from the same authorization',
    )
    t.equal((await createCustomerToken(app, auth, gbToken)).statusCode, 200, 'and the token')
    const plain = await mint(app, { intent: 'buy_and_tokenize', payment_method_category: 'pay_over_time' })
    t.same(
      errorOf(await createCustomerToken(app, plain.authorization_token)).messages,
      ['pay_over_time is not valid for creating customer tokens in SE'],
      'buy_and_tokenize still follows the tokenization rules',
    )
  },
)

t.test(
  'account linking (buy_and_link): the order answers a customer_token; a returning customer gets it back; no customer token',
  async (t) => {
    const app = await build(t)
    const session = (customer?: Record<string, unknown>) =>
      gbSession({ intent: 'buy_and_link', ...(customer === undefined ? {} : { customer }) })
    const place = async (body: Record<string, unknown>) => {
      const sid = (await call(app, 'POST', '/payments/v1/sessions', body)).json().session_id as string
      const auth = (await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).json()
        .authorization_token as string
      return { auth, order: await call(app, 'POST', `/payments/v1/authorizations/${auth}/order`, gbOrder()) }
    }
    const first = await place(session())
    t.equal(first.order.statusCode, 200)
    const link = first.order.json().customer_token as string
    t.match(link, /^krn:partner:eu1:test:identity:customer-token:[0-9a-f-]{36}$/)
    t.same(errorOf(await createCustomerToken(app, first.auth, gbToken)), {
      status: 403,
      code: 'INVALID_OPERATION',
      messages: ['Not allowed to create customer tokens for intent buy_and_link.'],
    })
    const again = await place(session({ customer_token: link }))
    t.equal(again.order.json().customer_token, link, 'a returning, linked customer keeps its token')
    const rotated = await place(
      session({ customer_token: 'krn:partner:eu1:test:identity:customer-token:unknown' }),
    )
    t.not(rotated.order.json().customer_token, link, 'an unknown token is replaced by a new one')
    const other = await mint(
      app,
      {
        purchase_country: 'GB',
        intent: 'buy_and_link',
        order_amount: 10000,
        order_tax_amount: 2000,
        order_lines: gbSession().order_lines,
        customer: { customer_token: link },
      },
      'merchant-b',
    )
    const foreign = await call(
      app,
      'POST',
      `/payments/v1/authorizations/${other.authorization_token}/order`,
      gbOrder({ merchant_urls: undefined }),
      { user: 'merchant-b' },
    )
    t.not(foreign.json().customer_token, link, "another merchant's token is unknown there")
  },
)

t.test(
  'recovering a failed token charge: 403 with a step_up_id, a session with it, the customer authorizes, the token works again',
  async (t) => {
    const app = await build(t)
    // The playground's authentication-flow e-mail: the token needs the customer to be charged.
    const { authorization_token: auth } = await mint(app, {
      billing_address: { email: 'customer+auth_otp_email@email.se' },
    })
    const token = (await createCustomerToken(app, auth)).json().token_id as string
    const charge = async (over: Record<string, unknown> = {}) =>
      await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(over))

    const absent = await charge()
    t.same(
      absent.json(),
      {
        error_code: 'UNAVAILABLE_PAYMENT_METHOD',
        error_messages: ['The customer token cannot be charged without the customer: a step-up is required'],
        fraud_status: 'REJECTED',
        reason: 'STEP_UP_REQUIRED',
        authorized_payment_method: { type: 'invoice', number_of_days: 30 },
        correlation_id: absent.headers['klarna-correlation-id'],
      },
      'without step_up SUPPORTED: no step_up_id',
    )
    const present = await charge({ step_up: 'SUPPORTED' })
    t.equal(present.statusCode, 403)
    const stepUpId = present.json().step_up_id as string
    t.match(stepUpId, /^[0-9a-f-]{36}$/)

    t.same(
      errorOf(await call(app, 'POST', '/payments/v1/sessions', { ...sessionBody(), step_up_id: 'nope' }))
        .messages,
      ['Bad value: step_up_id'],
    )
    t.same(
      errorOf(
        await call(app, 'POST', '/payments/v1/sessions', {
          ...sessionBody(),
          step_up_id: stepUpId,
          customer_token: 'other',
        }),
      ).messages,
      ['Bad value: customer_token'],
    )
    t.same(
      errorOf(
        await call(
          app,
          'POST',
          '/payments/v1/sessions',
          { ...sessionBody(), step_up_id: stepUpId },
          { user: 'merchant-b' },
        ),
      ).messages,
      ['Bad value: step_up_id'],
      "another merchant's step_up_id is unknown",
    )
    const sid = (
      await call(app, 'POST', '/payments/v1/sessions', {
        ...sessionBody(),
        step_up_id: stepUpId,
        customer_token: token,
      })
    ).json().session_id as string
    const recovery = (
      await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, { payment_method_category: 'pay_now' })
    ).json().authorization_token as string
    t.equal((await charge()).statusCode, 403, 'not recovered before the order')
    t.equal(
      (
        await call(app, 'POST', `/payments/v1/authorizations/${recovery}/order`, {
          ...sessionBody(),
          intent: undefined,
        })
      ).statusCode,
      200,
      'the recovery order',
    )
    const ok = await charge()
    t.equal(ok.statusCode, 200, 'the token is recovered')
    t.same(
      ok.json().authorized_payment_method,
      { type: 'direct_debit' },
      'with the method the customer chose',
    )
    t.equal(
      (await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().payment_method_type,
      'DIRECT_DEBIT',
    )
  },
)

const sessionBody = () => ({
  purchase_country: 'SE',
  purchase_currency: 'SEK',
  locale: 'sv-SE',
  intent: 'buy',
  order_amount: 9900,
  order_tax_amount: 1980,
  order_lines: seTokenOrder().order_lines,
})

t.test('the step-up scenario gives a real step_up_id: the same recovery works for any token', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  const token = (await createCustomerToken(app, auth)).json().token_id as string
  const failed = await call(
    app,
    'POST',
    `/customer-token/v1/tokens/${token}/order`,
    seTokenOrder({ step_up: 'SUPPORTED' }),
    { headers: { 'klarna-mock-scenario': 'token-step-up-required' } },
  )
  t.match(failed.json(), {
    error_code: 'UNAVAILABLE_PAYMENT_METHOD',
    fraud_status: 'REJECTED',
    reason: 'STEP_UP_REQUIRED',
    authorized_payment_method: { type: 'invoice' },
    step_up_id: /^[0-9a-f-]{36}$/,
  })
  const sid = (
    await call(app, 'POST', '/payments/v1/sessions', {
      ...sessionBody(),
      step_up_id: failed.json().step_up_id,
      customer_token: token,
    })
  ).json().session_id as string
  t.equal(
    (await call(app, 'GET', `/payments/v1/sessions/${sid}`)).statusCode,
    200,
    'the recovery session opens',
  )
})

t.test(
  'a session shows the customer and addresses only once it is authorized, as the customer entered them',
  async (t) => {
    const app = await build(t)
    const sid = (
      await call(
        app,
        'POST',
        '/payments/v1/sessions',
        gbSession({
          billing_address: { given_name: 'Merchant', country: 'GB' },
          customer: { date_of_birth: '1970-07-10' },
        }),
      )
    ).json().session_id as string
    const before = (await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json()
    t.notOk(
      'billing_address' in before || 'shipping_address' in before || 'customer' in before,
      'nothing before authorization',
    )
    await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {
      billing_address: { email: 'customer@email.uk' },
      customer: { date_of_birth: '1970-07-10', gender: 'male' },
    })
    const after = (await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json()
    t.match(after.billing_address, {
      given_name: 'Merchant',
      family_name: 'Person-uk',
      email: 'customer@email.uk',
      country: 'GB',
    })
    t.same(after.shipping_address, after.billing_address, 'no separate shipping address: the billing one')
    t.same(after.customer, { date_of_birth: '1970-07-10', gender: 'male', type: 'person' })
  },
)

t.test('only a category the session offers can be authorized', async (t) => {
  const app = await build(t)
  t.same(
    errorOf(
      await call(app, 'POST', '/_mock/authorizations', {
        purchase_country: 'GB',
        payment_method_category: 'pay_now',
      }),
    ),
    { status: 400, code: 'BAD_VALUE', messages: ['Bad value: payment_method_category'] },
  )
  t.equal(
    (
      await call(app, 'POST', '/_mock/authorizations', {
        purchase_country: 'DE',
        payment_method_category: 'pay_now',
      })
    ).statusCode,
    200,
    'DE offers pay_now',
  )
})

t.test('formats are checked as Klarna does, with the exact path', async (t) => {
  const app = await build(t)
  t.same(
    errorOf(
      await call(
        app,
        'POST',
        '/payments/v1/sessions',
        gbSession({ customer: { date_of_birth: '3895-16-02' } }),
      ),
    ).messages,
    ['Bad value: customer.date_of_birth'],
  )
  t.same(
    errorOf(
      await call(app, 'POST', '/payments/v1/sessions', gbSession({ billing_address: { email: 'string' } })),
    ).messages,
    ['Bad value: billing_address.email'],
  )
  t.equal(
    (
      await call(
        app,
        'POST',
        '/payments/v1/sessions',
        gbSession({
          customer: { date_of_birth: '1970-07-10' },
          billing_address: { email: 'customer@email.uk' },
        }),
      )
    ).statusCode,
    200,
  )
})

t.test('JSON is sent as application/json without a charset, as the real service does', async (t) => {
  const { port } = await listen(t)
  const r = await raw(port, 'GET', '/customer-token/v1/tokens/x', { authorization: basic() })
  t.equal(r.headers['content-type'], 'application/json')
  const ok = await raw(
    port,
    'POST',
    '/_mock/authorizations',
    { authorization: basic(), 'content-type': 'application/json' },
    ['{}'],
  )
  t.equal(ok.headers['content-type'], 'application/json')
})

t.test('forced errors quote the request: country, method and the fields that were sent', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, { purchase_country: 'GB', intent: 'tokenize' })
  const forced = (scenario: string, body: unknown) =>
    call(app, 'POST', `/payments/v1/authorizations/${auth}/customer-token`, body, {
      headers: { 'klarna-mock-scenario': scenario },
    })
  t.same(errorOf(await forced('not-tokenizable', gbToken)).messages, [
    'pay_later is not valid for creating customer tokens in GB',
  ])
  t.same(
    errorOf(
      await forced('not-matching-fields', {
        ...gbToken,
        billing_address: { city: 'Leeds', given_name: 'Ann' },
      }),
    ).messages,
    ['Not matching fields: [billing_address.city, billing_address.given_name]'],
  )
})

t.test(
  'rate limits, opt-in: 5 session creations a second on the playground, headers on every answer',
  async (t) => {
    let now = Date.parse('2030-01-01T00:00:00.000Z')
    const app = await build(t, { rateLimits: 'playground', now: () => now })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await call(app, 'POST', '/payments/v1/sessions', gbSession())
      statuses.push(res.statusCode)
      if (i === 0) {
        t.match(res.headers, {
          'x-ratelimit-limit': '5, 5;w=1',
          'x-ratelimit-remaining': '4',
          'x-ratelimit-reset': '1',
        })
      }
    }
    t.same(statuses, [200, 200, 200, 200, 200, 429])
    const limited = await call(app, 'POST', '/payments/v1/sessions', gbSession())
    t.match(limited.json(), { error_code: 'TOO_MANY_REQUESTS' })
    t.equal(limited.headers['retry-after'], '1')
    t.equal(
      (await call(app, 'GET', '/customer-token/v1/tokens/x')).headers['x-ratelimit-limit'],
      '50, 50;w=1',
      'other operations: 50 a second',
    )
    t.equal(
      (await call(app, 'POST', '/payments/v1/sessions', gbSession(), { user: 'merchant-b' })).statusCode,
      200,
      'per merchant',
    )
    now += 1000
    t.equal(
      (await call(app, 'POST', '/payments/v1/sessions', gbSession())).statusCode,
      200,
      'the next second',
    )
    t.notOk('x-ratelimit-limit' in (await call(app, 'GET', '/_mock/clock')).headers, 'not on the control API')
    const off = await build(t)
    t.notOk(
      'x-ratelimit-limit' in (await call(off, 'GET', '/customer-token/v1/tokens/x')).headers,
      'off by default',
    )
  },
)
