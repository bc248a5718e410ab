import t from 'tap'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { packageRoot } from '../../dist/paths.js'
import { basic, call, createCustomerToken, mint, tokenRequest } from '../helpers/app.js'
import { gbCartUpdate, gbOrder, gbSession, seTokenOrder } from '../helpers/data.js'
import { listen } from '../helpers/socket.js'
import { withoutCoverageLoader } from '../helpers/spawn.js'

/**
 * Klarna clients that no one on this project wrote, unmodified, each in its own process, against
 * the mock on a real port. Assertions are on what the client returns and what the mock received.
 */

const run = promisify(execFile)
const clients = join(packageRoot, 'test', 'clients')
const creds = { username: 'merchant-a', password: 'secret' }

async function drive(driver: string, plan: unknown, env: Record<string, string>, preload?: string) {
  const args = [
    ...(preload === undefined ? [] : ['-r', join(clients, preload)]),
    join(clients, driver),
    JSON.stringify(plan),
  ]
  const { stdout, stderr } = await run(...withoutCoverageLoader(args), {
    env: { ...process.env, ...env },
    cwd: packageRoot,
    timeout: 60000,
  })
  return { out: JSON.parse(stdout) as Record<string, any>, stderr }
}

t.test('@crystallize/node-klarna: token orders before and after cancel, unknown tokens', async (t) => {
  const { app, port } = await listen(t)
  const { authorization_token: auth } = await mint(app)
  const token = (await createCustomerToken(app, auth)).json().token_id as string
  const body = seTokenOrder()
  const first = await drive(
    'crystallize-driver.cjs',
    {
      ...creds,
      steps: [
        { name: 'charge', token, body },
        { name: 'unknown', token: 'no-such-token', body },
      ],
    },
    { MOCK_PORT: String(port) },
    'https-to-http.cjs',
  )
  t.equal(first.out.charge.statusCode, 200)
  t.match(first.out.charge.response, { order_id: /^[0-9a-f-]{36}$/, fraud_status: 'ACCEPTED' })
  t.equal(first.out.unknown.statusCode, 404)
  t.match(first.out.unknown.error, { error_code: 'TOKEN_NOT_FOUND', correlation_id: String })
  t.notMatch(first.stderr, /correlation id/, 'the client found Klarna-Correlation-Id on every answer')

  t.equal(
    (await call(app, 'PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' }))
      .statusCode,
    202,
  )
  const after = await drive(
    'crystallize-driver.cjs',
    { ...creds, steps: [{ name: 'charge', token, body }] },
    { MOCK_PORT: String(port) },
    'https-to-http.cjs',
  )
  t.equal(after.out.charge.statusCode, 403)
  t.equal(after.out.charge.error.error_code, 'TOKEN_CANCELLED')

  const received = (await call(app, 'GET', '/_mock/requests?path=/order')).json()
  t.equal(received.length, 3)
  t.match(received[2], {
    method: 'POST',
    merchant: 'merchant-a',
    status: 200,
    request_headers: { 'content-type': 'application/json' },
    request_body: body,
  })
})

t.test('@agoransson/klarna-payments: sessions, customer token, order bug, cancel, errors', async (t) => {
  const { app, url } = await listen(t, { admin: { username: 'ops', password: 'ops-secret' } })
  const { authorization_token: auth } = await mint(app, {
    purchase_country: 'GB',
    intent: 'buy_and_tokenize',
    order_amount: 10000,
    order_tax_amount: 2000,
    order_lines: gbSession().order_lines,
  })
  const update = gbCartUpdate()
  const plan = {
    ...creds,
    steps: [
      {
        name: 'create',
        call: 'sessions.createCreditSession',
        args: [gbSession()],
        save: ['sid', 'session_id'],
      },
      { name: 'read', call: 'sessions.readCreditSession', args: ['${sid}'] },
      { name: 'update', call: 'sessions.updateCreditSession', args: ['${sid}', update] },
      { name: 'readAfter', call: 'sessions.readCreditSession', args: ['${sid}'] },
      { name: 'readUnknown', call: 'sessions.readCreditSession', args: ['no-such-session'] },
      {
        name: 'badSession',
        call: 'sessions.createCreditSession',
        args: [{ ...gbSession(), order_amount: 1 }],
      },
      {
        name: 'token',
        call: 'orders.generateConsumerToken',
        args: [auth, tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' })],
      },
      {
        name: 'tokenAgain',
        call: 'orders.generateConsumerToken',
        args: [auth, tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' })],
      },
      { name: 'order', call: 'orders.createOrder', args: [auth, gbOrder()] },
      { name: 'cancel', call: 'orders.cancelAuthorization', args: [auth] },
      { name: 'cancelAgain', call: 'orders.cancelAuthorization', args: [auth] },
    ],
  }
  const { out } = await drive('agoransson-driver.cjs', plan, { MOCK_URL: url })
  t.match(out.create, { ok: true, value: { session_id: String, client_token: String } })
  t.match(out.read, {
    ok: true,
    value: { status: 'incomplete', order_amount: 10000, purchase_country: 'GB' },
  })
  t.same(out.update, { ok: true, value: null }, '204 resolves')
  t.match(out.readAfter.value, { order_amount: 600 })
  t.match(
    out.readUnknown,
    { ok: false, error: 'UnknownError' },
    'this client maps only 403 on reads; the mock answered 404 (below)',
  )
  t.match(out.badSession, { ok: false, error: 'UnableToCreateCreditSession' })
  t.match(out.token, { ok: true, value: { token_id: String, billing_address: { country: 'GB' } } })
  t.match(out.tokenAgain, { ok: false, error: 'NotAuthorized' }, '403 already consumed')
  t.match(out.order, { ok: false, error: 'UnknownError' }, 'the buggy createOrder sends no credentials: 401')
  t.same(out.cancel, { ok: true, value: null })
  t.match(out.cancelAgain, { ok: false, error: 'ResourceMissing' })

  // The operator sees every merchant's requests, the unauthenticated order's too.
  const received = (
    await app.inject({
      url: '/_mock/requests?merchant=*',
      headers: { authorization: basic('ops', 'ops-secret') },
    })
  ).json() as Array<{ path: string; status: number; merchant: string | null; request_body: unknown }>
  const orderCall = received.find((r) => r.path.endsWith('/order'))
  t.match(orderCall, { status: 401, merchant: null }, 'the mock refused the unauthenticated order')
  t.equal(orderCall?.request_body, null, 'refused before its body was read')
  t.match(
    received.find((r) => r.path.endsWith('/no-such-session')),
    { status: 404, response_body: { error_code: 'NOT_FOUND', error_messages: ['Invalid session id'] } },
  )
  const tokenCall = received.find((r) => r.path.endsWith('/customer-token') && r.status === 200)
  t.match(tokenCall, {
    merchant: 'merchant-a',
    request_body: { purchase_country: 'GB', intended_use: 'SUBSCRIPTION' },
  })
})

t.test(
  '@crystallize/node-klarna: a customer-present charge that needs a step-up answers its step_up_id',
  async (t) => {
    const { app, port } = await listen(t)
    const { authorization_token: auth } = await mint(app, {
      billing_address: { email: 'customer+auth_bank_login@email.se' },
    })
    const token = (await createCustomerToken(app, auth)).json().token_id as string
    const { out } = await drive(
      'crystallize-driver.cjs',
      { ...creds, steps: [{ name: 'charge', token, body: seTokenOrder({ step_up: 'SUPPORTED' }) }] },
      { MOCK_PORT: String(port) },
      'https-to-http.cjs',
    )
    t.equal(out.charge.statusCode, 403)
    t.match(out.charge.error, {
      error_code: 'UNAVAILABLE_PAYMENT_METHOD',
      fraud_status: 'REJECTED',
      reason: 'STEP_UP_REQUIRED',
      step_up_id: /^[0-9a-f-]{36}$/,
    })
  },
)

t.test(
  '@agoransson/klarna-payments: a mixed-payments session (buy_and_default_tokenize) and its customer token',
  async (t) => {
    const { app, url } = await listen(t)
    const { authorization_token: auth } = await mint(app, {
      purchase_country: 'GB',
      intent: 'buy_and_default_tokenize',
      payment_method_category: 'pay_over_time',
      order_amount: 10000,
      order_tax_amount: 2000,
      order_lines: gbSession().order_lines,
    })
    const plan = {
      ...creds,
      steps: [
        {
          name: 'create',
          call: 'sessions.createCreditSession',
          args: [gbSession({ intent: 'buy_and_default_tokenize' })],
          save: ['sid', 'session_id'],
        },
        { name: 'read', call: 'sessions.readCreditSession', args: ['${sid}'] },
        {
          name: 'token',
          call: 'orders.generateConsumerToken',
          args: [auth, tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' })],
        },
      ],
    }
    const { out } = await drive('agoransson-driver.cjs', plan, { MOCK_URL: url })
    t.match(out.read, { ok: true, value: { intent: 'buy_and_default_tokenize' } })
    t.match(
      out.token,
      { ok: true, value: { token_id: String } },
      'financing is not tokenizable, but mixed payments tokenize its fallback',
    )
    const tokenId = out.token.value.token_id as string
    t.equal(
      (await call(app, 'GET', `/customer-token/v1/tokens/${tokenId}`)).json().payment_method_type,
      'DIRECT_DEBIT',
    )
  },
)

t.test(
  "@crystallize/node-klarna's Order Management calls: retrieve, capture, refund, merchant references, acknowledge, release, cancel",
  async (t) => {
    const { app, port } = await listen(t)
    const charge = async () => {
      const { authorization_token: auth } = await mint(app)
      const token = (await createCustomerToken(app, auth)).json().token_id as string
      return (await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder())).json()
        .order_id as string
    }
    const [order, other] = [await charge(), await charge()]
    const om = 'orderManagementV1'
    const steps = [
      { name: 'read', call: `${om}.orders.getOrder`, args: [order] },
      {
        name: 'capture',
        call: `${om}.captures.capture`,
        args: [order, { captured_amount: 5000, description: 'First box' }],
      },
      {
        name: 'refund',
        call: `${om}.refunds.create`,
        args: [order, { refunded_amount: 1000, description: 'Damaged' }],
      },
      {
        name: 'references',
        call: `${om}.orders.updateMerchantReference`,
        args: [order, { merchant_reference1: 'ORDER-77' }],
      },
      { name: 'acknowledge', call: `${om}.orders.acknowledge`, args: [order] },
      { name: 'release', call: `${om}.orders.releaseRemainingAuthorization`, args: [order] },
      { name: 'readAfter', call: `${om}.orders.getOrder`, args: [order] },
      { name: 'cancelCaptured', call: `${om}.orders.cancel`, args: [order] },
      { name: 'cancel', call: `${om}.orders.cancel`, args: [other] },
      { name: 'unknown', call: `${om}.orders.getOrder`, args: ['no-such-order'] },
    ]
    const { out, stderr } = await drive(
      'crystallize-driver.cjs',
      { ...creds, steps },
      { MOCK_PORT: String(port) },
      'https-to-http.cjs',
    )
    t.match(out.read, {
      statusCode: 200,
      response: { order_id: order, status: 'AUTHORIZED', order_amount: 9900 },
    })
    t.equal(out.capture.statusCode, 201, JSON.stringify(out.capture))
    t.equal(out.refund.statusCode, 201)
    t.equal(out.references.statusCode, 204)
    t.equal(out.acknowledge.statusCode, 204)
    t.equal(out.release.statusCode, 204)
    t.match(out.readAfter.response, {
      status: 'CLOSED',
      captured_amount: 5000,
      refunded_amount: 1000,
      merchant_reference1: 'ORDER-77',
    })
    t.match(out.cancelCaptured, { statusCode: 403, error: { error_code: 'CANCEL_NOT_ALLOWED' } })
    t.equal(out.cancel.statusCode, 204)
    t.match(out.unknown, { statusCode: 404, error: { error_code: 'NO_SUCH_ORDER' } })
    t.notMatch(stderr, /correlation id/, 'Klarna-Correlation-Id on every answer')
  },
)
