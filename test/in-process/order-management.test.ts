import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'
import { gbOrder, gbSession, seTokenOrder } from '../helpers/data.js'

const om = '/ordermanagement/v1/orders'

/** A token order of 99.00 SEK (19.80 tax), placed with a fresh SE token. */
async function tokenOrder(
  app: FastifyInstance,
  over: Record<string, unknown> = {},
  user?: string,
): Promise<string> {
  const { authorization_token: auth } = await mint(app, {}, user)
  const token = (await createCustomerToken(app, auth, undefined, user)).json().token_id as string
  const res = await call(
    app,
    'POST',
    `/customer-token/v1/tokens/${token}/order`,
    seTokenOrder({ merchant_reference1: 'SUB-1', ...over }),
    user === undefined ? {} : { user },
  )
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().order_id as string
}

const read = async (app: FastifyInstance, id: string) => (await call(app, 'GET', `${om}/${id}`)).json()
const capture = async (
  app: FastifyInstance,
  id: string,
  amount: number,
  headers: Record<string, string> = {},
) =>
  await call(
    app,
    'POST',
    `${om}/${id}/captures`,
    { captured_amount: amount, description: 'Shipped' },
    { headers },
  )

t.test(
  'the subscription walk: mint → customer token → token order → capture → partial refund → read',
  async (t) => {
    const app = await build(t)
    const id = await tokenOrder(app)
    t.match(await read(app, id), {
      order_id: id,
      status: 'AUTHORIZED',
      fraud_status: 'ACCEPTED',
      order_amount: 9900,
      original_order_amount: 9900,
      captured_amount: 0,
      remaining_authorized_amount: 9900,
      purchase_currency: 'SEK',
      purchase_country: 'SE',
      merchant_reference1: 'SUB-1',
      initial_payment_method: { type: 'INVOICE' },
    })

    const captured = await capture(app, id, 9900)
    t.equal(captured.statusCode, 201)
    t.equal(captured.body, '', 'no body')
    const captureId = captured.headers['capture-id'] as string
    t.match(captureId, /^[0-9a-f-]{36}$/)
    t.equal(
      captured.headers.location,
      `${om}/${id}/captures/${captureId}`,
      'a Location on this host (relative: Klarna SDKs prefix their base URL)',
    )

    const refunded = await call(app, 'POST', `${om}/${id}/refunds`, {
      refunded_amount: 1900,
      description: 'Partial refund',
    })
    t.equal(refunded.statusCode, 201)
    const refundId = refunded.headers['refund-id'] as string
    t.equal(refunded.headers.location, `${om}/${id}/refunds/${refundId}`)

    const order = await read(app, id)
    t.match(order, {
      status: 'CAPTURED',
      captured_amount: 9900,
      refunded_amount: 1900,
      remaining_authorized_amount: 0,
    })
    t.match(order.captures, [
      { capture_id: captureId, captured_amount: 9900, refunded_amount: 1900, description: 'Shipped' },
    ])
    t.match(order.refunds, [{ refund_id: refundId, refunded_amount: 1900 }])
    t.match((await call(app, 'GET', `${om}/${id}/captures/${captureId}`)).json(), {
      capture_id: captureId,
      captured_amount: 9900,
    })
    t.match((await call(app, 'GET', `${om}/${id}/captures`)).json(), [{ capture_id: captureId }])
    t.match((await call(app, 'GET', `${om}/${id}/refunds/${refundId}`)).json(), {
      refund_id: refundId,
      refunded_amount: 1900,
      description: 'Partial refund',
    })
  },
)

t.test('partial captures, the limits, cancel and release', async (t) => {
  const app = await build(t)
  const id = await tokenOrder(app)
  t.equal((await capture(app, id, 4000)).statusCode, 201)
  t.match(await read(app, id), {
    status: 'PART_CAPTURED',
    captured_amount: 4000,
    remaining_authorized_amount: 5900,
  })
  t.same(
    errorOf(await capture(app, id, 6000)),
    { status: 403, code: 'CAPTURE_NOT_ALLOWED', messages: ['Capture not allowed'] },
    'above the remaining amount',
  )
  t.same(errorOf(await call(app, 'POST', `${om}/${id}/cancel`)), {
    status: 403,
    code: 'CANCEL_NOT_ALLOWED',
    messages: ['Order has previous captures. Cancel not possible'],
  })
  t.same(
    errorOf(await call(app, 'POST', `${om}/${id}/refunds`, { refunded_amount: 4001 })).code,
    'REFUND_NOT_ALLOWED',
    'above what was captured',
  )
  t.equal((await call(app, 'POST', `${om}/${id}/release-remaining-authorization`)).statusCode, 204)
  t.match(await read(app, id), { status: 'CLOSED', captured_amount: 4000, remaining_authorized_amount: 0 })
  t.same(
    errorOf(await capture(app, id, 100)).code,
    'CAPTURE_NOT_ALLOWED',
    'nothing left to capture once released',
  )
  t.equal(
    (await call(app, 'POST', `${om}/${id}/refunds`, { refunded_amount: 4000 })).statusCode,
    201,
    'a closed order can still be refunded',
  )

  const other = await tokenOrder(app)
  t.same(errorOf(await call(app, 'POST', `${om}/${other}/refunds`, { refunded_amount: 100 })), {
    status: 403,
    code: 'REFUND_NOT_ALLOWED',
    messages: ['Order has no captures. Refund not possible'],
  })
  t.same(
    errorOf(await call(app, 'POST', `${om}/${other}/release-remaining-authorization`)).code,
    'NOT_ALLOWED',
    'nothing captured, nothing to release',
  )
  t.equal((await call(app, 'POST', `${om}/${other}/cancel`)).statusCode, 204)
  t.match(await read(app, other), { status: 'CANCELLED', remaining_authorized_amount: 0 })
  t.same(errorOf(await capture(app, other, 100)).code, 'CAPTURE_NOT_ALLOWED', 'a cancelled order')
  t.same(
    errorOf(await call(app, 'PATCH', `${om}/${other}/merchant-references`, { merchant_reference1: 'x' })),
    { status: 403, code: 'NOT_ALLOWED', messages: ['Can not update a cancelled order'] },
  )
})

t.test('auto_capture captures the token order at once', async (t) => {
  const app = await build(t)
  const id = await tokenOrder(app, { auto_capture: true })
  t.match(await read(app, id), {
    status: 'CAPTURED',
    captured_amount: 9900,
    captures: [{ captured_amount: 9900 }],
  })
})

t.test(
  'time: the authorization expires after 28 days; extending moves it 28 days from now, up to 180 days',
  async (t) => {
    const start = Date.parse('2030-03-01T12:00:00.000Z')
    const app = await build(t, { now: () => start })
    const id = await tokenOrder(app)
    const created = Date.parse((await read(app, id)).created_at)
    t.equal(Date.parse((await read(app, id)).expires_at) - created, 28 * 86400_000)
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 20 * 86400 })
    t.equal((await call(app, 'POST', `${om}/${id}/extend-authorization-time`)).statusCode, 204)
    t.equal(
      Date.parse((await read(app, id)).expires_at) - created,
      48 * 86400_000,
      'twenty days in, it now expires 28 days later',
    )
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 28 * 86400 + 1 })
    t.match(await read(app, id), { status: 'EXPIRED', remaining_authorized_amount: 0 })
    t.same(errorOf(await capture(app, id, 100)), {
      status: 403,
      code: 'CAPTURE_NOT_ALLOWED',
      messages: ['Capture not allowed'],
    })
    t.same(errorOf(await call(app, 'POST', `${om}/${id}/extend-authorization-time`)), {
      status: 403,
      code: 'NOT_ALLOWED',
      messages: ['Order is expired. Authorization time cannot be extended.'],
    })

    const late = await tokenOrder(app)
    for (let day = 0; day < 160; day += 20) {
      await call(app, 'POST', '/_mock/clock', { advance_seconds: 20 * 86400 })
      t.equal(
        (await call(app, 'POST', `${om}/${late}/extend-authorization-time`)).statusCode,
        204,
        `extended on day ${day + 20}`,
      )
    }
    const lateOrder = await read(app, late)
    t.equal(
      Date.parse(lateOrder.expires_at) - Date.parse(lateOrder.created_at),
      180 * 86400_000,
      'never past 180 days from the order',
    )
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 20 * 86400 })
    t.equal(errorOf(await call(app, 'POST', `${om}/${late}/extend-authorization-time`)).code, 'NOT_ALLOWED')

    const { authorization_token: cardAuth } = await mint(app, { payment_method_type: 'PAY_BY_CARD' })
    const cardToken = (await createCustomerToken(app, cardAuth)).json().token_id as string
    const cardOrder = (
      await call(app, 'POST', `/customer-token/v1/tokens/${cardToken}/order`, seTokenOrder())
    ).json().order_id as string
    t.same(errorOf(await call(app, 'POST', `${om}/${cardOrder}/extend-authorization-time`)).messages, [
      'Orders paid with Pay Now by card cannot be extended.',
    ])
  },
)

t.test('a pending order: no capture until the fraud decision; a rejection cancels it', async (t) => {
  const app = await build(t)
  const place = async (email: string) => {
    const sid = (await call(app, 'POST', '/payments/v1/sessions', gbSession())).json().session_id as string
    const auth = (
      await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, { billing_address: { email } })
    ).json().authorization_token as string
    return (
      await call(
        app,
        'POST',
        `/payments/v1/authorizations/${auth}/order`,
        gbOrder({ billing_address: { email } }),
      )
    ).json().order_id as string
  }
  const accepted = await place('customer+pend-accept-10@email.uk')
  const rejected = await place('customer+pend-reject-10@email.uk')
  t.match(await read(app, accepted), { status: 'AUTHORIZED', fraud_status: 'PENDING' })
  t.same(errorOf(await capture(app, accepted, 100)).code, 'CAPTURE_NOT_ALLOWED', 'pending fraud review')
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 10 * 60 })
  t.match(await read(app, accepted), { status: 'AUTHORIZED', fraud_status: 'ACCEPTED' })
  t.equal((await capture(app, accepted, 10000)).statusCode, 201)
  t.match(await read(app, rejected), { status: 'CANCELLED', fraud_status: 'REJECTED' })
})

t.test(
  'updates: authorization amount, merchant references, customer details, shipping info, acknowledge',
  async (t) => {
    const app = await build(t)
    const id = await tokenOrder(app)
    t.equal((await capture(app, id, 5000)).statusCode, 201)
    t.same(errorOf(await call(app, 'PATCH', `${om}/${id}/authorization`, { order_amount: 4000 })), {
      status: 403,
      code: 'NOT_ALLOWED',
      messages: [
        'Resulting authorization amount 4000 cannot be less than the captured amount 5000 for order. Order authorization cannot be updated',
      ],
    })
    t.same(
      errorOf(
        await call(app, 'PATCH', `${om}/${id}/authorization`, {
          order_amount: 12000,
          order_lines: seTokenOrder().order_lines,
        }),
      ).messages,
      ['Bad value: order_amount'],
      'lines must add up',
    )
    t.equal((await call(app, 'PATCH', `${om}/${id}/authorization`, { order_amount: 12000 })).statusCode, 204)
    t.match(await read(app, id), {
      order_amount: 12000,
      original_order_amount: 9900,
      remaining_authorized_amount: 7000,
    })
    t.equal(
      (
        await call(app, 'PATCH', `${om}/${id}/merchant-references`, {
          merchant_reference1: 'ORDER-9',
          merchant_reference2: 'ERP-1',
        })
      ).statusCode,
      204,
    )
    t.equal(
      (
        await call(app, 'PATCH', `${om}/${id}/customer-details`, {
          shipping_address: { street_address: '1 Oxford Street', city: 'Stockholm' },
        })
      ).statusCode,
      204,
    )
    t.equal(
      (
        await call(app, 'POST', `${om}/${id}/shipping-info`, {
          shipping_info: [{ shipping_company: 'PostNord', tracking_number: 'PN1' }],
        })
      ).statusCode,
      204,
    )
    t.equal((await call(app, 'POST', `${om}/${id}/acknowledge`)).statusCode, 204)
    const order = await read(app, id)
    t.match(order, {
      merchant_reference1: 'ORDER-9',
      merchant_reference2: 'ERP-1',
      shipping_address: { street_address: '1 Oxford Street', city: 'Stockholm' },
      shipping_info: [{ shipping_company: 'PostNord' }],
    })
    const captureId = order.captures[0].capture_id as string
    t.equal(
      (
        await call(app, 'POST', `${om}/${id}/captures/${captureId}/shipping-info`, {
          shipping_info: [{ tracking_number: 'PN2' }],
        })
      ).statusCode,
      204,
    )
    t.equal((await call(app, 'POST', `${om}/${id}/captures/${captureId}/trigger-send-out`)).statusCode, 204)
    t.same((await call(app, 'GET', `${om}/${id}/captures/${captureId}/extend-due-date-options`)).json(), {
      currency: 'SEK',
      options: [
        { number_of_days: 7, amount: 195 },
        { number_of_days: 14, amount: 295 },
        { number_of_days: 28, amount: 395 },
      ],
    })
    t.equal(
      errorOf(
        await call(app, 'PATCH', `${om}/${id}/captures/${captureId}/extend-due-date`, { number_of_days: 10 }),
      ).code,
      'NOT_ALLOWED',
      'not an offered option',
    )
    t.equal(
      (await call(app, 'PATCH', `${om}/${id}/captures/${captureId}/extend-due-date`, { number_of_days: 14 }))
        .statusCode,
      204,
    )
    t.equal(
      errorOf(
        await call(app, 'PATCH', `${om}/${id}/captures/${captureId}/extend-due-date`, { number_of_days: 7 }),
      ).code,
      'NOT_ALLOWED',
      'once',
    )
  },
)

t.test('not found: unknown and foreign orders, captures and refunds answer alike', async (t) => {
  const app = await build(t)
  const id = await tokenOrder(app)
  t.same(errorOf(await call(app, 'GET', `${om}/nope`)), {
    status: 404,
    code: 'NO_SUCH_ORDER',
    messages: ['Order nope cannot be found'],
  })
  t.same(errorOf(await call(app, 'GET', `${om}/${id}`, undefined, { user: 'merchant-b' })), {
    status: 404,
    code: 'NO_SUCH_ORDER',
    messages: [`Order ${id} cannot be found`],
  })
  t.equal((await capture(app, id, 100)).statusCode, 201)
  t.same(
    errorOf(await call(app, 'POST', `${om}/${id}/captures`, { captured_amount: 100 }, { user: 'merchant-b' }))
      .code,
    'NO_SUCH_ORDER',
    "B cannot capture A's order",
  )
  t.equal((await read(app, id)).captured_amount, 100, "A's order is untouched")
  t.same(errorOf(await call(app, 'GET', `${om}/${id}/captures/nope`)), {
    status: 404,
    code: 'NO_SUCH_CAPTURE',
    messages: [`Capture nope cannot be found for order ${id}`],
  })
  t.same(errorOf(await call(app, 'GET', `${om}/${id}/refunds/nope`)), {
    status: 404,
    code: 'NOT_FOUND',
    messages: [`Refund nope cannot be found for order ${id}`],
  })
  t.same(errorOf(await call(app, 'POST', `${om}/${id}/captures`, {})).messages, [
    'Bad value: captured_amount',
  ])
})

t.test('Klarna-Idempotency-Key: the same key answers the same capture, whatever the body', async (t) => {
  const app = await build(t)
  const id = await tokenOrder(app)
  const first = await capture(app, id, 3000, { 'klarna-idempotency-key': 'cap-1' })
  const again = await capture(app, id, 5000, { 'klarna-idempotency-key': 'cap-1' })
  t.equal(again.statusCode, 201)
  t.equal(again.headers['capture-id'], first.headers['capture-id'])
  t.equal(again.headers['klarna-idempotent-replayed'], 'true')
  t.equal((await read(app, id)).captured_amount, 3000, 'captured once')
  t.equal(
    (await capture(app, id, 3000, { 'klarna-idempotency-key': 'cap-1' })).headers['capture-id'],
    first.headers['capture-id'],
  )
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 24 * 3600 + 1 })
  t.not(
    (await capture(app, id, 1000, { 'klarna-idempotency-key': 'cap-1' })).headers['capture-id'],
    first.headers['capture-id'],
    'a new capture after 24 hours',
  )
})

t.test('an order from an authorization is managed the same way', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, {
    purchase_country: 'GB',
    intent: 'buy',
    order_amount: 10000,
    order_tax_amount: 2000,
    order_lines: gbSession().order_lines,
  })
  const id = (
    await call(
      app,
      'POST',
      `/payments/v1/authorizations/${auth}/order`,
      gbOrder({ merchant_urls: undefined, merchant_reference1: 'WEB-1', auto_capture: false }),
    )
  ).json().order_id as string
  t.match(await read(app, id), {
    status: 'AUTHORIZED',
    purchase_country: 'GB',
    locale: 'en-GB',
    order_lines: [{ name: 'Tomatoes' }, { name: 'Bananas' }],
    billing_address: { country: 'GB' },
    merchant_reference1: 'WEB-1',
  })
  t.equal((await capture(app, id, 6000)).statusCode, 201)
  t.match(await read(app, id), { status: 'PART_CAPTURED' })
})

t.test('forced Order Management errors by scenario', async (t) => {
  const app = await build(t)
  const id = await tokenOrder(app)
  const forced = async (name: string, method: 'POST' | 'GET', path: string, body?: unknown) =>
    errorOf(
      await call(app, method, `${om}/${id}${path}`, body, { headers: { 'klarna-mock-scenario': name } }),
    )
  t.same(await forced('capture-not-allowed', 'POST', '/captures', { captured_amount: 100 }), {
    status: 403,
    code: 'CAPTURE_NOT_ALLOWED',
    messages: ['Capture not allowed'],
  })
  t.same(await forced('refund-not-allowed', 'POST', '/refunds', { refunded_amount: 100 }), {
    status: 403,
    code: 'REFUND_NOT_ALLOWED',
    messages: ['Order has no captures. Refund not possible'],
  })
  t.same(await forced('cancel-not-allowed', 'POST', '/cancel'), {
    status: 403,
    code: 'CANCEL_NOT_ALLOWED',
    messages: ['Order has previous captures. Cancel not possible'],
  })
  t.same(await forced('no-such-order', 'GET', ''), {
    status: 404,
    code: 'NO_SUCH_ORDER',
    messages: [`Order ${id} cannot be found`],
  })
  t.equal((await forced('temporarily-unavailable', 'GET', '')).status, 503)
  t.match(await read(app, id), { status: 'AUTHORIZED', captured_amount: 0 }, 'forced errors changed nothing')
})
