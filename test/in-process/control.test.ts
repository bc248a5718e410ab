import t from 'tap'
import { build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'

t.test('mint defaults: SE, SEK, sv-SE, intent tokenize, pay_later', async (t) => {
  const app = await build(t)
  const minted = await mint(app)
  const session = (await call(app, 'GET', `/payments/v1/sessions/${minted.session_id}`)).json()
  t.match(session, {
    purchase_country: 'SE',
    purchase_currency: 'SEK',
    locale: 'sv-SE',
    intent: 'tokenize',
    status: 'incomplete',
    authorization_token: minted.authorization_token,
  })
  const token = (await createCustomerToken(app, minted.authorization_token)).json().token_id as string
  t.equal(
    (await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().payment_method_type,
    'INVOICE',
    'pay_later tokenizes as invoice',
  )
})

t.test('mint takes its currency and locale from the market', async (t) => {
  const app = await build(t)
  const minted = await mint(app, { purchase_country: 'us' })
  const session = (await call(app, 'GET', `/payments/v1/sessions/${minted.session_id}`)).json()
  t.match(session, { purchase_country: 'US', purchase_currency: 'USD', locale: 'en-US' })
})

t.test('mint refuses bad input naming the field', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ purchase_country: 'XX' }, 'Bad value: purchase_country'],
    [{ purchase_country: 'Sweden' }, 'Bad value: purchase_country'],
    [{ intent: 'donate' }, 'Bad value: intent'],
    [{ purchase_currency: 'EUR' }, 'Bad value: purchase_currency'],
    [{ locale: 'de-DE' }, 'Bad value: locale'],
    [{ payment_method_category: 'crypto' }, 'Bad value: payment_method_category'],
    [{ payment_method_type: 'GOLD' }, 'Bad value: payment_method_type'],
  ]
  for (const [body, message] of cases) {
    t.same(
      errorOf(await call(app, 'POST', '/_mock/authorizations', body)),
      { status: 400, code: 'BAD_VALUE', messages: [message] },
      JSON.stringify(body),
    )
  }
})

t.test('the clock reads, advances and refuses to go back', async (t) => {
  const app = await build(t, { now: () => Date.parse('2030-05-01T00:00:00.000Z') })
  t.same((await call(app, 'GET', '/_mock/clock')).json(), { now: '2030-05-01T00:00:00.000Z' })
  t.same((await call(app, 'POST', '/_mock/clock', { advance_seconds: 90 })).json(), {
    now: '2030-05-01T00:01:30.000Z',
  })
  t.same(errorOf(await call(app, 'POST', '/_mock/clock', { advance_seconds: -5 })), {
    status: 400,
    code: 'BAD_VALUE',
    messages: ['Bad value: advance_seconds'],
  })
  t.same(errorOf(await call(app, 'POST', '/_mock/clock', {})), {
    status: 400,
    code: 'BAD_VALUE',
    messages: ['Bad value: advance_seconds'],
  })
  t.same(errorOf(await call(app, 'POST', '/_mock/clock', { advance_seconds: '60' })), {
    status: 400,
    code: 'BAD_VALUE',
    messages: ['Bad value: advance_seconds'],
  })
  t.equal(
    (await call(app, 'GET', '/_mock/clock')).json().now,
    '2030-05-01T00:01:30.000Z',
    'refused moves changed nothing',
  )
})

t.test("reset forgets the caller's state and clock offset; another merchant keeps its own", async (t) => {
  const app = await build(t, { now: () => Date.parse('2030-05-01T00:00:00.000Z') })
  const a = await mint(app)
  const b = await mint(app, {}, 'merchant-b')
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 60 })
  const res = await call(app, 'POST', '/_mock/reset')
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.equal((await createCustomerToken(app, a.authorization_token)).statusCode, 404)
  t.equal(
    (await createCustomerToken(app, b.authorization_token, undefined, 'merchant-b')).statusCode,
    200,
    "B's authorization survived A's reset",
  )
  t.equal((await call(app, 'GET', '/_mock/clock')).json().now, '2030-05-01T00:00:00.000Z')
})
