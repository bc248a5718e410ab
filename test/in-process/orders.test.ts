import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, call, createCustomerToken, errorOf, tokenRequest } from '../helpers/app.js'
import { gbOrder, gbSession } from '../helpers/data.js'

async function sessionAndAuth(
  app: FastifyInstance,
  session: Record<string, unknown> = gbSession(),
  authorize: Record<string, unknown> = {},
  user?: string,
) {
  const opts = user === undefined ? {} : { user }
  const sid = (await call(app, 'POST', '/payments/v1/sessions', session, opts)).json().session_id as string
  const res = await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, authorize, opts)
  return { sid, res, token: res.json().authorization_token as string }
}

const gbToken = tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' })

t.test('authorize answers like Klarna.Payments.authorize()', async (t) => {
  const app = await build(t)
  const { res, sid, token } = await sessionAndAuth(app)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { approved: true, show_form: true, authorization_token: /^[0-9a-f-]{36}$/ })
  t.equal((await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json().authorization_token, token)
  t.same(errorOf(await call(app, 'POST', '/_mock/sessions/unknown/authorize', {})), {
    status: 404,
    code: 'NOT_FOUND',
    messages: ['Invalid session id'],
  })
})

t.test('playground e-mails: denied, rejected with a reason, pending', async (t) => {
  const app = await build(t)
  const denied = await sessionAndAuth(app, gbSession(), {
    billing_address: { email: 'customer+denied@email.uk' },
  })
  t.same(denied.res.json(), { approved: false, show_form: false, reason: 'denied' })
  const reason = await sessionAndAuth(app, gbSession(), {
    billing_address: { email: 'customer+reject_reason_credit_limit_exceeded@email.us' },
  })
  t.same(reason.res.json(), { approved: false, show_form: false, reason: 'credit_limit_exceeded' })
  const minted = await call(app, 'POST', '/_mock/authorizations', {
    billing_address: { email: 'customer+denied@email.se' },
  })
  t.equal(errorOf(minted).code, 'REJECTED', 'the one-call mint uses the same rules')

  const pending = await sessionAndAuth(app, gbSession(), {
    billing_address: { email: 'customer+pend-accept-05@email.uk' },
  })
  t.equal(pending.res.json().approved, true)
  const order = await call(
    app,
    'POST',
    `/payments/v1/authorizations/${pending.token}/order`,
    gbOrder({ billing_address: { email: 'customer+pend-accept-05@email.uk' } }),
  )
  t.equal(order.statusCode, 200, order.body)
  t.equal(order.json().fraud_status, 'PENDING')
})

t.test('an order from an authorization', async (t) => {
  const app = await build(t)
  const { sid, token } = await sessionAndAuth(app)
  const res = await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())
  t.equal(res.statusCode, 200, res.body)
  const order = res.json()
  t.match(order, {
    order_id: /^[0-9a-f-]{36}$/,
    fraud_status: 'ACCEPTED',
    authorized_payment_method: { type: 'invoice' },
    redirect_url: /\/_mock\/redirect\?s=[\w-]+&w=order%20placed&o=[\w-]+&c=[\w%.-]+&tag=[\w-]{43}$/,
  })
  t.equal((await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json().status, 'complete')
  t.same(errorOf(await call(app, 'POST', `/payments/v1/sessions/${sid}`, { order_amount: 10000 })), {
    status: 404,
    code: 'SESSION_COMPLETED',
    messages: ['Session has already been completed'],
  })
  t.same(errorOf(await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).code, 'SESSION_COMPLETED')

  const again = await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())
  t.same(again.json(), order, 'the same body again returns the same order')
  t.same(
    errorOf(
      await call(
        app,
        'POST',
        `/payments/v1/authorizations/${token}/order`,
        gbOrder({ merchant_reference1: 'other' }),
      ),
    ),
    {
      status: 409,
      code: 'BAD_VALUE',
      messages: ['The order has been already completed with different request body'],
    },
  )
})

t.test('the redirect leads to the confirmation URL with placeholders filled, or to a page', async (t) => {
  const app = await build(t)
  const { sid, token } = await sessionAndAuth(app)
  const order = (await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())).json()
  const link = new URL(order.redirect_url)
  const r = await app.inject({ url: link.pathname + link.search })
  t.equal(r.statusCode, 302, 'no credentials needed')
  t.equal(r.headers.location, `https://shop.example/confirm?sid=${sid}&oid=${order.order_id as string}`)
  const plain = await sessionAndAuth(app, gbSession({ intent: 'buy_and_tokenize', merchant_urls: undefined }))
  const ct = (await createCustomerToken(app, plain.token, gbToken)).json()
  const ctLink = new URL(ct.redirect_url)
  const page = await app.inject({ url: ctLink.pathname + ctLink.search })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /customer token created/)
  t.equal((await app.inject({ url: '/_mock/redirect?link=nope' })).statusCode, 404)
  t.equal((await app.inject({ url: '/_mock/redirect' })).statusCode, 404, 'no link at all')
  const changed = async (name: string, value: string | undefined): Promise<number> => {
    const forged = new URL(link)
    if (value === undefined) forged.searchParams.delete(name)
    else forged.searchParams.set(name, value)
    return (await app.inject({ url: forged.pathname + forged.search })).statusCode
  }
  t.equal(await changed('c', 'https://evil.example/'), 404, 'a confirmation URL changed without the secret')
  t.equal(await changed('s', ctLink.searchParams.get('s') ?? ''), 404, 'another session')
  t.equal(await changed('o', undefined), 404, 'the order left out')
  t.equal(await changed('w', 'x'), 404, 'what happened changed')
  t.equal(await changed('tag', ctLink.searchParams.get('tag') ?? ''), 404, "another link's tag")
  t.equal(await changed('tag', undefined), 404, 'no tag')
  t.equal(await changed('unknown', 'x'), 302, 'a parameter the link does not use changes nothing')
  const noConfirmation = (
    await call(app, 'POST', `/payments/v1/authorizations/${plain.token}/order`, gbOrder())
  ).json()
  t.notOk(
    'redirect_url' in noConfirmation,
    'Klarna sends redirect_url only when a confirmation URL was given',
  )
})

t.test('the public base URL is configurable', async (t) => {
  const app = await build(t, { publicBaseUrl: 'http://klarna-mock:4545/' })
  const { token } = await sessionAndAuth(app)
  const order = (await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())).json()
  t.match(
    order.redirect_url,
    /^http:\/\/klarna-mock:4545\/_mock\/redirect\?s=[\w-]+&w=order%20placed&o=[\w-]+&c=[\w%.-]+&tag=[\w-]{43}$/,
  )
})

t.test('the order must match what was authorized', async (t) => {
  const app = await build(t)
  const { token } = await sessionAndAuth(app, gbSession(), {
    billing_address: { postal_code: 'W1S 3BE', given_name: 'Test' },
    customer: { date_of_birth: '1970-07-10' },
  })
  const lines = gbOrder().order_lines as Array<Record<string, unknown>>
  const mismatch = async (body: Record<string, unknown>) =>
    errorOf(await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, body))
  t.same(await mismatch(gbOrder({ billing_address: { postal_code: 'EC1A 1BB' } })), {
    status: 409,
    code: 'BAD_VALUE',
    messages: ['Not matching fields: [billing_address.postal_code]'],
  })
  t.same((await mismatch(gbOrder({ customer: { date_of_birth: '1980-01-01' } }))).messages, [
    'Not matching fields: [customer.date_of_birth]',
  ])
  t.same(
    (
      await mismatch(
        gbOrder({ order_lines: [...lines, { name: 'Extra', quantity: 1, unit_price: 0, total_amount: 0 }] }),
      )
    ).messages,
    ['Not matching fields: [Incorrect number of items in the cart. Expected: 2, Actual: 3]'],
  )
  t.same(
    (await mismatch(gbOrder({ order_lines: [lines[0], { ...lines[1], name: 'Plantains' }] }))).messages,
    ['Not matching fields: [order_lines[1].name]'],
  )
  const cheaper = [{ ...lines[0], quantity: 5, total_amount: 3000, total_tax_amount: 600 }, lines[1]]
  t.same(
    (await mismatch(gbOrder({ order_lines: cheaper, order_amount: 7000, order_tax_amount: 1400 }))).messages,
    [
      'Not matching fields: [order_amount, order_tax_amount, order_lines[0].quantity, order_lines[0].total_amount, order_lines[0].total_tax_amount]',
    ],
  )
  t.same(
    (await mismatch(gbOrder({ order_amount: 1 }))).messages,
    ['Bad value: order_amount'],
    'amount rules are checked first (400)',
  )
  const ok = await call(
    app,
    'POST',
    `/payments/v1/authorizations/${token}/order`,
    gbOrder({
      billing_address: { postal_code: 'W1S 3BE', country: 'gb' },
      customer: { date_of_birth: '1970-07-10' },
    }),
  )
  t.equal(ok.statusCode, 200, 'a refused attempt changed nothing; matching fields pass')
})

t.test('intents decide what an authorization may produce', async (t) => {
  const app = await build(t)
  const tok = await sessionAndAuth(app, gbSession({ intent: 'tokenize' }))
  t.same(errorOf(await call(app, 'POST', `/payments/v1/authorizations/${tok.token}/order`, gbOrder())), {
    status: 403,
    code: 'INVALID_OPERATION',
    messages: ['Not allowed to create orders for intent tokenize.'],
  })
  t.equal((await createCustomerToken(app, tok.token, gbToken)).statusCode, 200)

  const buy = await sessionAndAuth(app, gbSession({ intent: 'buy' }))
  t.equal(errorOf(await createCustomerToken(app, buy.token, gbToken)).code, 'INVALID_OPERATION')
  t.equal(
    (await call(app, 'POST', `/payments/v1/authorizations/${buy.token}/order`, gbOrder())).statusCode,
    200,
  )

  const first = await sessionAndAuth(app, gbSession({ intent: 'buy_and_tokenize' }))
  t.equal((await createCustomerToken(app, first.token, gbToken)).statusCode, 200, 'token first')
  t.equal(
    (await call(app, 'POST', `/payments/v1/authorizations/${first.token}/order`, gbOrder())).statusCode,
    200,
    'then order',
  )
  const second = await sessionAndAuth(app, gbSession({ intent: 'buy_and_tokenize' }))
  t.equal(
    (await call(app, 'POST', `/payments/v1/authorizations/${second.token}/order`, gbOrder())).statusCode,
    200,
    'order first',
  )
  t.equal((await createCustomerToken(app, second.token, gbToken)).statusCode, 200, 'then token')
  t.equal(
    errorOf(await createCustomerToken(app, second.token, gbToken)).messages[0],
    'Authorization token already consumed',
  )
})

t.test('a second authorization of a completed session cannot place another order', async (t) => {
  const app = await build(t)
  const sid = (await call(app, 'POST', '/payments/v1/sessions', gbSession())).json().session_id as string
  const a = (await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).json()
    .authorization_token as string
  const b = (await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).json()
    .authorization_token as string
  t.equal((await call(app, 'POST', `/payments/v1/authorizations/${a}/order`, gbOrder())).statusCode, 200)
  t.same(
    errorOf(await call(app, 'POST', `/payments/v1/authorizations/${b}/order`, gbOrder())).code,
    'SESSION_COMPLETED',
  )
})

t.test('orders from an expired authorization: 404', async (t) => {
  const app = await build(t)
  const { token } = await sessionAndAuth(app)
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 3601 })
  t.same(errorOf(await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())), {
    status: 404,
    code: 'NOT_FOUND',
    messages: ['Invalid authorization token'],
  })
})

t.test('cancel an authorization: 204, then unknown to every call', async (t) => {
  const app = await build(t)
  const { token } = await sessionAndAuth(app, gbSession({ intent: 'buy_and_tokenize' }))
  const foreign = await call(app, 'DELETE', `/payments/v1/authorizations/${token}`, undefined, {
    user: 'merchant-b',
  })
  t.equal(foreign.statusCode, 404, 'another merchant cannot cancel it')
  const del = await call(app, 'DELETE', `/payments/v1/authorizations/${token}`)
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  const gone = { status: 404, code: 'NOT_FOUND', messages: ['Invalid authorization token'] }
  t.same(errorOf(await call(app, 'DELETE', `/payments/v1/authorizations/${token}`)), gone)
  t.same(errorOf(await call(app, 'POST', `/payments/v1/authorizations/${token}/order`, gbOrder())), gone)
  t.same(errorOf(await createCustomerToken(app, token, gbToken)), gone)
})
