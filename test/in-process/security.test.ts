import t from 'tap'
import { Writable } from 'node:stream'
import { buildApp } from '../../dist/app.js'
import { basic, build, call, createCustomerToken, mint, tokenRequest } from '../helpers/app.js'
import { gbOrder, gbSession, seTokenOrder } from '../helpers/data.js'

t.test('no endpoint but health, docs and redirect links answers without credentials', async (t) => {
  const app = await buildApp({ logger: false })
  t.teardown(() => app.close())
  // Every route of the OpenAPI document (which lists every route: test/in-process/docs.test.ts).
  const doc = (await app.inject({ url: '/_mock/openapi.json' })).json() as {
    paths: Record<string, Record<string, { security?: unknown[] }>>
  }
  let checked = 0
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const url = path.replace(/\{\w+\}/g, 'x')
      const res = await app.inject({ method: method.toUpperCase() as 'GET', url })
      if (Array.isArray(op.security) && op.security.length === 0) {
        t.not(res.statusCode, 401, `${method} ${path} is documented as open`)
        // Open: health, the redirect links, the SDK script, and the browser's pages and posts,
        // which act only with a client_token or a signed link (none here: refused).
        const browser = [
          '/_mock/widget',
          '/_mock/widget/authorize',
          '/_mock/widget/review',
          '/_mock/hpp',
          '/_mock/hpp/decision',
          '/_mock/hpp/qr',
        ]
        t.ok(
          ['/', '/_mock/health', '/_mock/redirect', '/kp/lib/v1/api.js', ...browser].includes(path),
          `${path}: only health, redirect links, the SDK and the browser pages are open`,
        )
        if (browser.includes(path) && method !== 'options') {
          t.equal(res.statusCode, 400, `${method} ${path} without a token or signed link is refused`)
        }
      } else {
        t.equal(res.statusCode, 401, `${method.toUpperCase()} ${path}`)
        checked++
      }
    }
  }
  t.ok(checked >= 19, `${checked} guarded operations`)
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200)
})

t.test("no merchant can read, charge or cancel another merchant's objects, on any endpoint", async (t) => {
  const app = await build(t)
  // Merchant A's objects.
  const sid = (
    await call(app, 'POST', '/payments/v1/sessions', gbSession({ intent: 'buy_and_tokenize' }))
  ).json().session_id as string
  const auth = (await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).json()
    .authorization_token as string
  const { authorization_token: auth2 } = await mint(app)
  const token = (await createCustomerToken(app, auth2)).json().token_id as string
  const gbToken = tokenRequest({
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    description: 'x',
  })
  const b = { user: 'merchant-b' }
  const attempts: Array<[string, string, unknown, number]> = [
    ['GET', `/payments/v1/sessions/${sid}`, undefined, 404],
    ['POST', `/payments/v1/sessions/${sid}`, { order_amount: 10000 }, 404],
    ['POST', `/_mock/sessions/${sid}/authorize`, {}, 404],
    ['POST', `/payments/v1/authorizations/${auth}/order`, gbOrder(), 404],
    ['POST', `/payments/v1/authorizations/${auth}/customer-token`, gbToken, 404],
    ['DELETE', `/payments/v1/authorizations/${auth}`, undefined, 404],
    ['GET', `/customer-token/v1/tokens/${token}`, undefined, 404],
    ['PATCH', `/customer-token/v1/tokens/${token}/status`, { status: 'CANCELLED' }, 404],
    ['POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(), 404],
    ['POST', `/_mock/tokens/${token}/status`, { status: 'SUSPENDED' }, 404],
  ]
  for (const [method, url, body, status] of attempts) {
    const theirs = await call(app, method as 'GET', url, body, b)
    const unknown = await call(
      app,
      method as 'GET',
      url.replace(/[0-9a-f-]{36}/, '00000000-0000-4000-8000-000000000000'),
      body,
      b,
    )
    t.equal(theirs.statusCode, status, `B: ${method} ${url}`)
    t.same(
      { ...theirs.json(), correlation_id: 0 },
      { ...unknown.json(), correlation_id: 0 },
      `answers exactly as an unknown id: ${method} ${url}`,
    )
  }
  // A's objects are untouched.
  t.equal((await call(app, 'GET', `/payments/v1/sessions/${sid}`)).json().status, 'incomplete')
  t.equal((await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status, 'ACTIVE')
  t.equal((await call(app, 'POST', `/payments/v1/authorizations/${auth}/order`, gbOrder())).statusCode, 200)
  t.equal(
    (await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder())).statusCode,
    200,
  )
})

t.test('credentials never appear in logs', async (t) => {
  let logged = ''
  const stream = new Writable({
    write(chunk, _enc, done) {
      logged += String(chunk)
      done()
    },
  })
  const app = await buildApp({ logger: { level: 'trace', stream } })
  t.teardown(() => app.close())
  const secret = 'S3cr3t-P4ssw0rd'
  const header = basic('merchant-log', secret)
  await app.inject({
    method: 'POST',
    url: '/_mock/authorizations',
    headers: { authorization: header, 'content-type': 'application/json' },
    payload: '{}',
  })
  await app.inject({ method: 'GET', url: '/customer-token/v1/tokens/x', headers: { authorization: header } })
  await app.inject({
    method: 'GET',
    url: '/customer-token/v1/tokens/x',
    headers: { authorization: basic('merchant-log', 'wrong') },
  })
  await app.inject({
    method: 'GET',
    url: '/customer-token/v1/tokens/x',
    headers: { authorization: header, 'klarna-mock-scenario': 'internal-server-error' },
  })
  t.ok(logged.length > 0, 'something was logged')
  t.notMatch(logged, secret)
  t.notMatch(logged, header.slice(6))
  t.notMatch(logged, /"authorization"/i, 'no authorization header is logged')
})
