import t from 'tap'
import { advance, build, call, createCustomerToken, errorOf, mint, tokenRequest } from '../helpers/app.js'

t.test('a minted authorization becomes a customer token that the Customer Token API knows', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  const res = await createCustomerToken(app, auth)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.token_id, /^[0-9a-f-]{36}$/)
  t.match(body.payment_method_reference, /^[0-9a-f-]{36}$/)
  t.match(
    body.redirect_url,
    /^http:\/\/localhost(:\d+)?\/_mock\/redirect\?s=[\w-]+&w=[\w%]+(&c=[\w%.~*'()!-]+)?&tag=[\w-]{43}$/,
  )
  t.equal(body.billing_address.country, 'SE')
  t.equal(body.billing_address.email, 'customer@email.se')
  const read = await call(app, 'GET', `/customer-token/v1/tokens/${body.token_id as string}`)
  t.equal(read.statusCode, 200)
  t.same(read.json(), { status: 'ACTIVE', payment_method_type: 'INVOICE' })
})

t.test('codes are accepted in any letter case, and unknown fields are ignored', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, { purchase_country: 'GB' })
  const res = await createCustomerToken(app, auth, {
    purchase_country: 'gb',
    purchase_currency: 'gbp',
    locale: 'en-gb',
    description: 'Subscription',
    intended_use: 'subscription',
    merchant_urls: { confirmation: 'https://shop.example/done' },
    something_new: { nested: true },
  })
  t.equal(res.statusCode, 200, res.body)
})

t.test('the billing address sent is kept where the authorization had none of that field', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, {
    billing_address: { given_name: 'Alice', email: 'alice@example.com' },
  })
  const res = await createCustomerToken(
    app,
    auth,
    tokenRequest({ billing_address: { country: 'se', attention: 'Finance', given_name: 'Mallory' } }),
  )
  t.equal(res.statusCode, 200, res.body)
  const address = res.json().billing_address
  t.equal(address.given_name, 'Alice', 'the authorized name wins')
  t.equal(address.attention, 'Finance', 'a field the authorization lacked is added')
})

t.test('body validation names every bad field in one BAD_VALUE message', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  const empty = errorOf(await createCustomerToken(app, auth, {}))
  t.same(empty, {
    status: 400,
    code: 'BAD_VALUE',
    messages: ['Bad value: purchase_country, purchase_currency, locale, description, intended_use'],
  })
  const noBody = errorOf(
    await call(app, 'POST', `/payments/v1/authorizations/${auth}/customer-token`, '', {
      headers: { 'content-type': 'application/json' },
    }),
  )
  t.same(
    noBody.messages,
    ['Bad value: purchase_country, purchase_currency, locale, description, intended_use'],
    'an empty body is no body',
  )
  const wrong = errorOf(
    await createCustomerToken(
      app,
      auth,
      tokenRequest({ purchase_currency: 'SEKK', description: '', intended_use: 'ONE_OFF', locale: 42 }),
    ),
  )
  t.same(wrong, {
    status: 400,
    code: 'BAD_VALUE',
    messages: ['Bad value: purchase_currency, locale, description, intended_use'],
  })
  const nested = errorOf(
    await createCustomerToken(
      app,
      auth,
      tokenRequest({ billing_address: { postal_code: '12345678901', country: 'Sweden' } }),
    ),
  )
  t.same(nested.messages, ['Bad value: billing_address.country, billing_address.postal_code'])
  t.equal((await createCustomerToken(app, auth)).statusCode, 200, 'failed attempts did not consume the token')
})

t.test('currency and locale must be those of the market', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  t.same(
    errorOf(
      await createCustomerToken(app, auth, tokenRequest({ purchase_currency: 'EUR', locale: 'de-DE' })),
    ),
    { status: 400, code: 'BAD_VALUE', messages: ['Bad value: purchase_currency, locale'] },
  )
})

t.test('unknown authorization token: 404 NOT_FOUND', async (t) => {
  const app = await build(t)
  t.same(errorOf(await createCustomerToken(app, '00000000-0000-4000-8000-000000000000')), {
    status: 404,
    code: 'NOT_FOUND',
    messages: ['Invalid authorization token'],
  })
})

t.test(
  'the token lives 60 minutes by default: valid a second before the end, gone a second after',
  async (t) => {
    const app = await build(t)
    const first = await mint(app)
    const second = await mint(app)
    await advance(app, 3599)
    t.equal((await createCustomerToken(app, first.authorization_token)).statusCode, 200, 'at 59:59')
    await advance(app, 2)
    t.same(
      errorOf(await createCustomerToken(app, second.authorization_token)),
      { status: 404, code: 'NOT_FOUND', messages: ['Invalid authorization token'] },
      'at 60:01',
    )
  },
)

t.test('the token is valid up to the last second of its lifetime', async (t) => {
  const frozen = Date.parse('2030-01-01T12:00:00.000Z')
  const app = await build(t, { now: () => frozen })
  const { authorization_token: auth, expires_at: expiresAt } = await mint(app)
  const other = await mint(app)
  t.equal(expiresAt, '2030-01-01T13:00:00.000Z', 'expires_at is 60 minutes on')
  await advance(app, 3600)
  t.equal((await call(app, 'GET', '/_mock/clock')).json().now, '2030-01-01T13:00:00.000Z')
  t.equal((await createCustomerToken(app, auth)).statusCode, 200, 'at exactly 60:00')
  await advance(app, 0.001)
  t.equal((await createCustomerToken(app, other.authorization_token)).statusCode, 404, 'a millisecond later')
})

t.test('the lifetime is configurable', async (t) => {
  const app = await build(t, { authorizationLifetimeSeconds: 120 })
  const a = await mint(app)
  const b = await mint(app)
  await advance(app, 119)
  t.equal((await createCustomerToken(app, a.authorization_token)).statusCode, 200)
  await advance(app, 2)
  t.equal((await createCustomerToken(app, b.authorization_token)).statusCode, 404)
})

t.test(
  'purchase country or billing country other than the session country: BAD_VALUE purchase_country',
  async (t) => {
    const app = await build(t)
    const { authorization_token: auth } = await mint(app, { purchase_country: 'DE' })
    const expected = { status: 400, code: 'BAD_VALUE', messages: ['Bad value: purchase_country'] }
    t.same(
      errorOf(
        await createCustomerToken(
          app,
          auth,
          tokenRequest({ purchase_country: 'SE', purchase_currency: 'SEK', locale: 'sv-SE' }),
        ),
      ),
      expected,
    )
    t.same(
      errorOf(
        await createCustomerToken(
          app,
          auth,
          tokenRequest({
            purchase_country: 'DE',
            purchase_currency: 'EUR',
            locale: 'de-DE',
            billing_address: { country: 'AT' },
          }),
        ),
      ),
      expected,
    )
    t.same(
      errorOf(await createCustomerToken(app, auth, tokenRequest({ purchase_country: 'XX' }))),
      expected,
      'unknown country',
    )
    t.equal(
      (
        await createCustomerToken(
          app,
          auth,
          tokenRequest({
            purchase_country: 'de',
            purchase_currency: 'EUR',
            locale: 'de-DE',
            billing_address: { country: 'de' },
          }),
        )
      ).statusCode,
      200,
    )
  },
)

t.test('methods that cannot be tokenized in the country: 400 BAD_REQUEST', async (t) => {
  const app = await build(t)
  for (const category of ['pay_over_time', 'direct_bank_transfer']) {
    const { authorization_token: auth } = await mint(app, { payment_method_category: category })
    t.same(errorOf(await createCustomerToken(app, auth)), {
      status: 400,
      code: 'BAD_REQUEST',
      messages: [`${category} is not valid for creating customer tokens in SE`],
    })
  }
  for (const category of ['pay_later', 'pay_now', 'direct_debit', 'klarna']) {
    const { authorization_token: auth } = await mint(app, { payment_method_category: category })
    t.equal((await createCustomerToken(app, auth)).statusCode, 200, `${category} tokenizes`)
  }
})

t.test('the tokenization rules file can change the matrix per country', async (t) => {
  const { writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const dir = t.testdir()
  const file = join(dir, 'rules.json')
  writeFileSync(
    file,
    JSON.stringify({
      default: { pay_later: true, pay_over_time: false },
      countries: { DE: { pay_over_time: true }, SE: { pay_later: false } },
    }),
  )
  const app = await build(t, { catalogFiles: { tokenizationRules: file } })
  const de = await mint(app, { purchase_country: 'DE', payment_method_category: 'pay_over_time' })
  t.equal(
    (
      await createCustomerToken(
        app,
        de.authorization_token,
        tokenRequest({ purchase_country: 'DE', purchase_currency: 'EUR', locale: 'de-DE' }),
      )
    ).statusCode,
    200,
  )
  const se = await mint(app, { payment_method_category: 'pay_later' })
  t.same(errorOf(await createCustomerToken(app, se.authorization_token)).messages, [
    'pay_later is not valid for creating customer tokens in SE',
  ])
  const pn = await mint(app, { payment_method_category: 'pay_now' })
  t.equal(
    errorOf(await createCustomerToken(app, pn.authorization_token)).code,
    'BAD_REQUEST',
    'a category in neither list is not tokenizable',
  )
})

t.test('intent buy: 403 INVALID_OPERATION', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, { intent: 'buy' })
  t.same(errorOf(await createCustomerToken(app, auth)), {
    status: 403,
    code: 'INVALID_OPERATION',
    messages: ['Not allowed to create customer tokens for intent buy.'],
  })
  const both = await mint(app, { intent: 'buy_and_tokenize' })
  t.equal((await createCustomerToken(app, both.authorization_token)).statusCode, 200, 'buy_and_tokenize may')
})

t.test('single use: a second customer token from one authorization is refused', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  t.equal((await createCustomerToken(app, auth)).statusCode, 200)
  t.same(errorOf(await createCustomerToken(app, auth)), {
    status: 403,
    code: 'INVALID_OPERATION',
    messages: ['Authorization token already consumed'],
  })
})

t.test('the customer sent must match the authorized one', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, {
    customer: { date_of_birth: '1970-07-10', gender: 'male' },
  })
  t.same(
    errorOf(
      await createCustomerToken(
        app,
        auth,
        tokenRequest({ customer: { date_of_birth: '1980-01-01', gender: 'male' } }),
      ),
    ),
    { status: 409, code: 'BAD_VALUE', messages: ['Not matching fields: [customer.date_of_birth]'] },
  )
  const ok = await createCustomerToken(app, auth, tokenRequest({ customer: { date_of_birth: '1970-07-10' } }))
  t.equal(ok.statusCode, 200)
  t.same(ok.json().customer, { date_of_birth: '1970-07-10', gender: 'male' })
  const none = await mint(app)
  const taken = await createCustomerToken(
    app,
    none.authorization_token,
    tokenRequest({ customer: { date_of_birth: '1980-01-01', gender: 'female' } }),
  )
  t.equal(taken.statusCode, 200, 'no customer was authorized: the one sent is taken as entered')
  t.same(taken.json().customer, { date_of_birth: '1980-01-01', gender: 'female' })
})

t.test('card tokens carry card details', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, {
    payment_method_category: 'pay_now',
    payment_method_type: 'PAY_BY_CARD',
  })
  const token = (await createCustomerToken(app, auth)).json().token_id as string
  const read = (await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json()
  t.equal(read.payment_method_type, 'PAY_BY_CARD')
  t.match(read.card, { brand: 'VISA', masked_number: /1111$/ })
  const dd = await mint(app, { payment_method_category: 'direct_debit' })
  const ddToken = (await createCustomerToken(app, dd.authorization_token)).json().token_id as string
  t.match((await call(app, 'GET', `/customer-token/v1/tokens/${ddToken}`)).json(), {
    payment_method_type: 'DIRECT_DEBIT',
    direct_debit: { masked_number: /\d{4}$/ },
  })
})
