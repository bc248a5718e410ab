import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { advance, build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'
import { seTokenOrder } from '../helpers/data.js'

async function newToken(
  app: FastifyInstance,
  mintBody: Record<string, unknown> = {},
  user?: string,
): Promise<string> {
  const { authorization_token: auth } = await mint(app, mintBody, user)
  const res = await createCustomerToken(app, auth, undefined, user)
  return res.json().token_id as string
}

const order = async (
  app: FastifyInstance,
  token: string,
  body: Record<string, unknown> = seTokenOrder(),
  headers: Record<string, string> = {},
  user?: string,
) =>
  await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, body, {
    headers,
    ...(user === undefined ? {} : { user }),
  })

t.test(
  'read a token; unknown and foreign tokens are 404 TOKEN_NOT_FOUND, as recorded (NOT_FOUND as documented)',
  async (t) => {
    for (const [fidelity, notFound] of [
      ['recorded', { status: 404, code: 'TOKEN_NOT_FOUND', messages: ['Customer token not found'] }],
      ['documented', { status: 404, code: 'NOT_FOUND', messages: ['Invalid customer-token ID'] }],
    ] as const) {
      const app = await build(t, { fidelity })
      const token = await newToken(app)
      t.same((await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json(), {
        status: 'ACTIVE',
        payment_method_type: 'INVOICE',
      })
      t.same(errorOf(await call(app, 'GET', '/customer-token/v1/tokens/nope')), notFound, fidelity)
      t.same(
        errorOf(
          await call(app, 'GET', `/customer-token/v1/tokens/${token}`, undefined, { user: 'merchant-b' }),
        ),
        notFound,
        `${fidelity}: foreign`,
      )
    }
  },
)

t.test('cancel: 202 with an empty body, final, any letter case', async (t) => {
  const app = await build(t)
  const token = await newToken(app)
  t.same(
    errorOf(await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'ACTIVE' })),
    { status: 400, code: 'BAD_VALUE', messages: ['Bad value: status'] },
  )
  t.same(errorOf(await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, {})).messages, [
    'Bad value: status',
  ])
  const res = await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'cancelled' })
  t.equal(res.statusCode, 202)
  t.equal(res.body, '')
  t.equal((await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status, 'CANCELLED')
  t.equal(
    (await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' }))
      .statusCode,
    202,
    'cancelling again is harmless',
  )
  t.same(
    errorOf(await call(app, 'POST', `/_mock/tokens/${token}/status`, { status: 'ACTIVE' })).code,
    'INVALID_OPERATION',
    'not even the control API revives it',
  )
  t.same(
    errorOf(await call(app, 'PATCH', '/customer-token/v1/tokens/nope/status', { status: 'CANCELLED' })),
    { status: 404, code: 'NOT_FOUND', messages: ['Invalid token ID'] },
  )
})

t.test('charge a token', async (t) => {
  const app = await build(t)
  const token = await newToken(app)
  const res = await order(app, token)
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), {
    order_id: /^[0-9a-f-]{36}$/,
    fraud_status: 'ACCEPTED',
    redirect_url:
      /^http:\/\/localhost(:\d+)?\/_mock\/redirect\?s=[\w-]+&w=order%20placed%20with%20a%20customer%20token&o=[\w-]+&tag=[\w-]{43}$/,
    authorized_payment_method: { type: 'invoice' },
  })
  const link = new URL(res.json().redirect_url)
  const page = await app.inject({ url: link.pathname + link.search })
  t.equal(page.statusCode, 200, 'the link leads somewhere')
  const second = await order(app, token)
  t.not(second.json().order_id, res.json().order_id, 'without an idempotency key each call is a new order')
})

t.test('token order errors', async (t) => {
  const app = await build(t)
  const token = await newToken(app)
  t.same(errorOf(await order(app, 'nope')), {
    status: 404,
    code: 'TOKEN_NOT_FOUND',
    messages: ['Customer token not found'],
  })
  t.same(
    errorOf(await order(app, token, undefined, {}, 'merchant-b')).code,
    'TOKEN_NOT_FOUND',
    'foreign token',
  )
  t.same(errorOf(await order(app, token, seTokenOrder({ purchase_currency: 'EUR' }))), {
    status: 403,
    code: 'UNAVAILABLE_PAYMENT_METHOD',
    messages: ["The payment method can't be used for orders in the specified currency"],
  })
  const { order_tax_amount: _t, ...noTax } = seTokenOrder()
  t.same(
    errorOf(await order(app, token, noTax)),
    { status: 400, code: 'BAD_REQUEST', messages: ['Bad value: order_tax_amount'] },
    'a bad field is BAD_REQUEST here, as recorded',
  )
  t.same(
    errorOf(
      await order(
        app,
        token,
        seTokenOrder({ order_lines: [{ ...(seTokenOrder().order_lines as object[])[0], name: '' }] }),
      ),
    ),
    { status: 400, code: 'BAD_REQUEST', messages: ['Bad value: order_lines[0].name'] },
    'an empty name (krokedil/klarna-checkout-for-woocommerce#139)',
  )
  t.same(
    errorOf(
      await order(
        app,
        token,
        seTokenOrder({
          order_amount: 0,
          order_tax_amount: 0,
          order_lines: [{ name: 'Free', quantity: 1, unit_price: 0, total_amount: 0 }],
        }),
      ),
    ).messages,
    ['Bad value: order_amount'],
  )
  t.same(
    errorOf(await order(app, token, seTokenOrder({ order_tax_amount: 2100 }))),
    { status: 400, code: 'BAD_VALUE', messages: ['Bad value: order_tax_amount'] },
    'a broken amount rule stays BAD_VALUE (krokedil/klarna-checkout-for-woocommerce#177)',
  )

  t.equal((await call(app, 'POST', `/_mock/tokens/${token}/status`, { status: 'SUSPENDED' })).statusCode, 200)
  t.equal((await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status, 'SUSPENDED')
  t.same(errorOf(await order(app, token)), {
    status: 403,
    code: 'TOKEN_SUSPENDED',
    messages: ['Customer token has been suspended'],
  })
  t.equal(
    (await call(app, 'POST', `/_mock/tokens/${token}/status`, { status: 'ACTIVE' })).statusCode,
    200,
    'reinstated',
  )
  t.equal((await order(app, token)).statusCode, 200)
  await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' })
  t.same(errorOf(await order(app, token)), {
    status: 403,
    code: 'TOKEN_CANCELLED',
    messages: ['Customer token has been cancelled'],
  })
})

t.test(
  'Klarna-Idempotency-Key: same key and body, same order; different body, 409; forgotten after 24 hours',
  async (t) => {
    const app = await build(t)
    const token = await newToken(app)
    const key = { 'klarna-idempotency-key': 'a9b6f2de-0000-4000-8000-000000000001' }
    const first = await order(app, token, seTokenOrder(), key)
    const replay = await order(app, token, seTokenOrder(), key)
    t.equal(replay.statusCode, 200)
    t.same(replay.json(), first.json(), 'the very same response')
    t.equal(replay.headers['klarna-idempotent-replayed'], 'true')
    t.same(errorOf(await order(app, token, seTokenOrder({ merchant_reference1: 'x' }), key)).status, 409)
    t.equal(
      errorOf(await order(app, token, seTokenOrder({ merchant_reference1: 'x' }), key)).code,
      'IDEMPOTENCY_KEY_REUSED',
    )
    t.same(
      errorOf(await order(app, token, seTokenOrder(), { 'klarna-idempotency-key': 'k'.repeat(256) }))
        .messages,
      ['Bad value: Klarna-Idempotency-Key'],
    )
    const otherMerchantToken = await newToken(app, {}, 'merchant-b')
    t.not(
      (await order(app, otherMerchantToken, seTokenOrder(), key, 'merchant-b')).json().order_id,
      first.json().order_id,
      'keys are per merchant',
    )
    await advance(app, 24 * 3600 + 1)
    const later = await order(app, token, seTokenOrder(), key)
    t.not(later.json().order_id, first.json().order_id, 'after 24 hours the key is new')
  },
)

t.test(
  'a whole subscription: session, authorize, token, three monthly charges, cancel, refused fourth',
  async (t) => {
    const app = await build(t, { now: () => Date.parse('2030-01-15T09:00:00.000Z') })
    const session = await call(app, 'POST', '/payments/v1/sessions', {
      purchase_country: 'SE',
      purchase_currency: 'SEK',
      locale: 'sv-SE',
      intent: 'tokenize',
      order_amount: 0,
      order_tax_amount: 0,
      order_lines: [
        {
          type: 'digital',
          name: 'Monthly box',
          quantity: 1,
          unit_price: 0,
          total_amount: 0,
          subscription: { name: 'Monthly box', interval: 'MONTH', interval_count: 1 },
        },
      ],
    })
    t.equal(session.statusCode, 200, session.body)
    const sid = session.json().session_id as string
    const auth = (
      await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, { payment_method_category: 'pay_later' })
    ).json()
    t.equal(auth.approved, true)
    const ct = await createCustomerToken(app, auth.authorization_token)
    t.equal(ct.statusCode, 200)
    const token = ct.json().token_id as string
    const orders = new Set<string>()
    for (let month = 1; month <= 3; month++) {
      await advance(app, 30 * 24 * 3600)
      const res = await order(app, token, seTokenOrder({ merchant_reference1: `2030-${month}` }), {
        'klarna-idempotency-key': `charge-${month}`,
      })
      t.equal(res.statusCode, 200, `month ${month}`)
      orders.add(res.json().order_id)
    }
    t.equal(orders.size, 3)
    t.equal(
      (await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status,
      'ACTIVE',
      'tokens do not expire',
    )
    t.equal(
      (await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' }))
        .statusCode,
      202,
    )
    await advance(app, 30 * 24 * 3600)
    t.same(
      errorOf(await order(app, token, seTokenOrder(), { 'klarna-idempotency-key': 'charge-4' })).code,
      'TOKEN_CANCELLED',
    )
  },
)
