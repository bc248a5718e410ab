import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { basic, build, call } from '../helpers/app.js'
import { gbSession } from '../helpers/data.js'

/**
 * The Hosted Payment Page API v1 and its hosted page, through inject(); the browser flow is in
 * test/in-browser/checkout.test.ts.
 */

async function hpp(app: FastifyInstance, body: Record<string, unknown> = {}, user?: string) {
  const opts = user === undefined ? {} : { user }
  const sid = (await call(app, 'POST', '/payments/v1/sessions', gbSession(), opts)).json()
    .session_id as string
  const res = await call(
    app,
    'POST',
    '/hpp/v1/sessions',
    { payment_session_url: `https://api.klarna.com/payments/v1/sessions/${sid}`, ...body },
    opts,
  )
  return { sid, res, created: res.json() as Record<string, string> }
}

const pathOf = (url: string) => {
  const u = new URL(url)
  return u.pathname + u.search
}

t.test('create: 201 with the links Klarna gives, expiring with the payment session', async (t) => {
  const app = await build(t)
  const { res, created, sid } = await hpp(app)
  t.equal(res.statusCode, 201)
  t.match(created, {
    session_id: String,
    session_url: `http://localhost:80/hpp/v1/sessions/${created.session_id}`,
    distribution_url: `http://localhost:80/hpp/v1/sessions/${created.session_id}/distribution`,
    redirect_url: /\/_mock\/hpp\?m=merchant-a&id=.+&sig=/,
    qr_code_url: /\/_mock\/hpp\/qr\?/,
  })
  const session = (await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json()
  t.equal(created.expires_at, session.expires_at)
  const read = await call(app, 'GET', `/hpp/v1/sessions/${created.session_id}`)
  t.match(read.json(), { session_id: created.session_id, status: 'WAITING', expires_at: created.expires_at })
  t.notOk('authorization_token' in read.json())
  const qr = await app.inject({ method: 'GET', url: pathOf(created.qr_code_url ?? '') })
  t.equal(qr.statusCode, 200)
  t.match(qr.headers['content-type'], 'image/svg+xml')
})

t.test('create: bad payment_session_url, unknown or expired session, KCO orders', async (t) => {
  const app = await build(t)
  const bad = await call(app, 'POST', '/hpp/v1/sessions', {
    payment_session_url: 'https://api.klarna.com/somewhere/else',
  })
  t.match(bad.json(), { error_code: 'BAD_VALUE', error_messages: ['Bad value: payment_session_url'] })
  const unknown = await call(app, 'POST', '/hpp/v1/sessions', {
    payment_session_url: 'https://api.klarna.com/payments/v1/sessions/nope',
  })
  t.equal(unknown.statusCode, 404)
  const kco = await call(app, 'POST', '/hpp/v1/sessions', {
    payment_session_url: 'https://api.klarna.com/checkout/v3/orders/abc',
  })
  t.equal(kco.statusCode, 400)
  t.match(kco.json().error_messages[0], /Klarna Checkout orders are not supported/)
  const missing = await call(app, 'POST', '/hpp/v1/sessions', {})
  t.equal(missing.statusCode, 400)
  const { created } = await hpp(app, { options: { payment_method_categories: ['DIRECT_DEBIT'] } })
  t.match(
    created,
    { error_code: 'BAD_VALUE', error_messages: ['Bad value: options.payment_method_categories'] },
    'GB offers no direct debit',
  )
  // Expired with its payment session: 48 hours on the merchant's clock.
  const { created: live } = await hpp(app)
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 48 * 3600 + 1 })
  t.equal((await call(app, 'GET', `/hpp/v1/sessions/${live.session_id}`)).statusCode, 404)
})

t.test('another merchant cannot read, disable, distribute or open a session', async (t) => {
  const app = await build(t)
  const { created } = await hpp(app)
  const other = { user: 'merchant-b' }
  t.equal(
    (await call(app, 'GET', `/hpp/v1/sessions/${created.session_id}`, undefined, other)).statusCode,
    404,
  )
  t.equal(
    (await call(app, 'DELETE', `/hpp/v1/sessions/${created.session_id}`, undefined, other)).statusCode,
    404,
  )
  t.equal(
    (
      await call(
        app,
        'POST',
        `/hpp/v1/sessions/${created.session_id}/distribution`,
        { method: 'email', contact_information: { email: 'a@b.se' } },
        other,
      )
    ).statusCode,
    404,
  )
  // The page link is signed: changing the merchant or the id in it leads nowhere.
  const link = new URL(created.redirect_url ?? '')
  link.searchParams.set('m', 'merchant-b')
  const forged = await app.inject({ method: 'GET', url: link.pathname + link.search })
  t.equal(forged.statusCode, 404)
  t.match(forged.json(), { error_code: 'NOT_FOUND', correlation_id: String })
  t.equal(
    (await call(app, 'GET', `/hpp/v1/sessions/${created.session_id}`)).json().status,
    'WAITING',
    'untouched',
  )
})

t.test(
  'the page: IN_PROGRESS once opened, approve completes with the authorization (and the order when asked)',
  async (t) => {
    const app = await build(t)
    const { created, sid } = await hpp(app, {
      options: { place_order_mode: 'CAPTURE_ORDER', page_title: 'Pay <Fruit>' },
      merchant_urls: {
        success: 'https://shop.example/ok/{{session_id}}/{{authorization_token}}/{{order_id}}',
      },
    })
    const page = await app.inject({ method: 'GET', url: pathOf(created.redirect_url ?? '') })
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], 'text/html')
    t.match(page.body, 'Pay &#60;Fruit&#62;', 'the title is escaped')
    t.match(page.body, 'data-testid="klarna-mock-approve"')
    t.equal((await call(app, 'GET', `/hpp/v1/sessions/${created.session_id}`)).json().status, 'IN_PROGRESS')
    const decision = `/_mock/hpp/decision${new URL(created.redirect_url ?? '').search}`
    const badCategory = await app.inject({
      method: 'POST',
      url: decision,
      payload: { action: 'approve', payment_method_category: 'direct_debit' },
    })
    t.equal(badCategory.statusCode, 400)
    const approved = await app.inject({
      method: 'POST',
      url: decision,
      payload: { action: 'approve', payment_method_category: 'pay_later' },
    })
    const read = (await call(app, 'GET', `/hpp/v1/sessions/${created.session_id}`)).json()
    t.match(read, { status: 'COMPLETED', authorization_token: String, order_id: String })
    t.same(approved.json(), {
      status: 'COMPLETED',
      location: `https://shop.example/ok/${created.session_id}/${read.authorization_token as string}/${read.order_id as string}`,
    })
    const order = (await call(app, 'GET', `/ordermanagement/v1/orders/${read.order_id as string}`)).json()
    t.match(order, { status: 'CAPTURED', captured_amount: order.order_amount }, 'CAPTURE_ORDER captured it')
    t.equal((await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json().status, 'complete')
    // Final: a second decision, disabling, and distribution are refused.
    t.equal(
      (await app.inject({ method: 'POST', url: decision, payload: { action: 'cancel' } })).statusCode,
      400,
    )
    const disable = await call(app, 'DELETE', `/hpp/v1/sessions/${created.session_id}`)
    t.equal(disable.statusCode, 400)
    t.match(disable.json().error_messages, ['HPP session has already been successfully completed'])
    t.equal(
      (
        await call(app, 'POST', `/hpp/v1/sessions/${created.session_id}/distribution`, {
          method: 'sms',
          contact_information: { phone: '07000212345', phone_country: 'SE' },
        })
      ).statusCode,
      400,
    )
  },
)

t.test(
  'the page: a denied e-mail fails to the failure URL; back goes back; without URLs the page answers the status',
  async (t) => {
    const app = await build(t)
    const { created } = await hpp(app, {
      merchant_urls: {
        failure: 'https://shop.example/fail?id={{session_id}}',
        back: 'https://shop.example/back',
      },
    })
    const decision = `/_mock/hpp/decision${new URL(created.redirect_url ?? '').search}`
    const failed = await app.inject({
      method: 'POST',
      url: decision,
      payload: { action: 'approve', email: 'customer+denied@email.uk' },
    })
    t.same(failed.json(), {
      status: 'FAILED',
      location: `https://shop.example/fail?id=${created.session_id}`,
    })
    const { created: second } = await hpp(app, { merchant_urls: { back: 'https://shop.example/back' } })
    const back = await app.inject({
      method: 'POST',
      url: `/_mock/hpp/decision${new URL(second.redirect_url ?? '').search}`,
      payload: { action: 'back' },
    })
    t.same(back.json(), { status: 'BACK', location: 'https://shop.example/back' })
    const { created: third } = await hpp(app)
    const none = await app.inject({
      method: 'POST',
      url: `/_mock/hpp/decision${new URL(third.redirect_url ?? '').search}`,
      payload: { action: 'approve' },
    })
    t.same(none.json(), { status: 'COMPLETED' })
    t.notOk(
      (await call(app, 'GET', `/hpp/v1/sessions/${third.session_id}`)).json().order_id,
      'place_order_mode NONE: no order',
    )
  },
)

t.test('distribution: checked and recorded, nothing sent', async (t) => {
  const app = await build(t)
  const { created } = await hpp(app)
  const url = `/hpp/v1/sessions/${created.session_id}/distribution`
  t.equal(
    (await call(app, 'POST', url, { method: 'email', contact_information: { email: 'customer@email.uk' } }))
      .statusCode,
    201,
  )
  t.match((await call(app, 'POST', url, { method: 'email', contact_information: {} })).json(), {
    error_code: 'BAD_VALUE',
    error_messages: ['Bad value: contact_information.email'],
  })
  t.match((await call(app, 'POST', url, { method: 'sms', contact_information: { phone: '0700' } })).json(), {
    error_messages: ['Bad value: contact_information.phone_country'],
  })
  t.equal((await call(app, 'POST', url, { method: 'fax', contact_information: {} })).statusCode, 400)
  t.equal(
    (await call(app, 'POST', url, { method: 'token', contact_information: { access_id: '278352' } }))
      .statusCode,
    201,
  )
  t.equal(app.domain.store.find('merchant-a')?.hpp.get(created.session_id ?? '')?.distributions.length, 2)
  t.equal((await call(app, 'DELETE', `/hpp/v1/sessions/${created.session_id}`)).statusCode, 204)
  t.equal(
    (await call(app, 'POST', url, { method: 'email', contact_information: { email: 'customer@email.uk' } }))
      .statusCode,
    400,
    'disabled',
  )
})

t.test(
  "the widget endpoints: a token from another mock (other secret) is refused; CORS for the SDK's post",
  async (t) => {
    const app = await build(t, { linkSecret: 'one' })
    const other = await build(t, { linkSecret: 'two' })
    const token = (await call(other, 'POST', '/payments/v1/sessions', gbSession())).json()
      .client_token as string
    const page = await app.inject({
      method: 'GET',
      url: `/_mock/widget?category=pay_later&client_token=${token}`,
    })
    t.equal(page.statusCode, 400)
    t.match(page.json(), { error_code: 'BAD_REQUEST', error_messages: ['Invalid client_token'] })
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/_mock/widget/authorize',
      headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST' },
    })
    t.equal(preflight.statusCode, 204)
    t.equal(preflight.headers['access-control-allow-origin'], '*')
    const own = (await call(app, 'POST', '/payments/v1/sessions', gbSession())).json().client_token as string
    const [, body] = own.split('.')
    t.match(JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), {
      session_id: String,
      base_url: 'http://localhost:80',
      merchant: 'merchant-a',
      purchase_country: 'GB',
    })
    const review = await app.inject({ method: 'GET', url: `/_mock/widget/review?client_token=${own}` })
    t.equal(review.statusCode, 200)
    t.equal(
      (
        await app.inject({
          method: 'GET',
          url: `/_mock/widget?category=pay_later&client_token=${own}&m=merchant-b`,
        })
      ).statusCode,
      400,
      "m must be the token's merchant",
    )
    const sdk = await app.inject({ method: 'GET', url: '/kp/lib/v1/api.js' })
    t.match(sdk.headers['content-type'], 'application/javascript')
    t.match(sdk.body, 'Klarna.Payments')
    t.equal(
      (
        await app.inject({
          method: 'GET',
          url: '/kp/lib/v1/api.js',
          headers: { authorization: basic('x', 'y') },
        })
      ).statusCode,
      200,
      'no credentials needed, any are ignored',
    )
  },
)
