import t from 'tap'
import { basic, build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'

const badCredentials = [
  undefined,
  'Bearer abc',
  'Basic !!!',
  basic('', 'x'),
  basic('user', ''),
  `Basic ${Buffer.from('nocolon').toString('base64')}`,
]

t.test(
  "missing or malformed credentials: 401 as the real playground answers it (the default, 'recorded')",
  async (t) => {
    const app = await build(t)
    for (const authorization of badCredentials) {
      const res = await app.inject({
        method: 'POST',
        url: '/_mock/authorizations',
        headers: authorization === undefined ? {} : { authorization },
      })
      t.equal(res.statusCode, 401, String(authorization))
      t.equal(res.headers['www-authenticate'], 'Basic realm="very closed site"')
      t.match(res.headers['content-type'], /^text\/html/)
      t.match(res.body, /<title>401 Authorization Required<\/title>/)
      t.notOk('klarna-correlation-id' in res.headers)
    }
  },
)

t.test(
  "missing or malformed credentials with fidelity 'documented': Klarna's JSON 401 UNAUTHORIZED",
  async (t) => {
    const app = await build(t, { fidelity: 'documented' })
    for (const authorization of badCredentials) {
      const res = await app.inject({
        method: 'POST',
        url: '/_mock/authorizations',
        headers: authorization === undefined ? {} : { authorization },
      })
      t.equal(res.statusCode, 401, String(authorization))
      t.match(res.headers['www-authenticate'], /^Basic realm="Klarna API"/)
      t.same(res.json(), {
        error_code: 'UNAUTHORIZED',
        error_messages: ['Invalid credentials'],
        correlation_id: res.headers['klarna-correlation-id'],
      })
    }
    const html = await build(t, { fidelity: 'documented', unauthorizedBody: 'html' })
    t.match(
      (await html.inject({ url: '/_mock/clock' })).body,
      /openresty/,
      '--unauthorized-body still chooses the 401 alone',
    )
  },
)

t.test('by default any non-empty username and password pass', async (t) => {
  const app = await build(t)
  t.equal(
    (await call(app, 'POST', '/_mock/authorizations', {}, { user: 'K123456_abcd12345' })).statusCode,
    200,
  )
})

t.test('a credentials list makes auth strict', async (t) => {
  const app = await build(t, {
    credentials: new Map([
      ['merchant-a', 'secret'],
      ['merchant-b', 'other'],
    ]),
  })
  t.equal((await call(app, 'POST', '/_mock/authorizations', {})).statusCode, 200, 'listed pair')
  const wrong = await app.inject({
    method: 'POST',
    url: '/_mock/authorizations',
    headers: { authorization: basic('merchant-a', 'guess') },
  })
  t.equal(wrong.statusCode, 401, 'wrong password')
  const unknown = await app.inject({
    method: 'POST',
    url: '/_mock/authorizations',
    headers: { authorization: basic('stranger', 'secret') },
  })
  t.equal(unknown.statusCode, 401, 'unknown user')
})

t.test('health answers without credentials; the rest of the control API does not', async (t) => {
  const app = await build(t)
  const health = await app.inject({ url: '/_mock/health' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  for (const [method, url] of [
    ['GET', '/_mock/clock'],
    ['POST', '/_mock/clock'],
    ['POST', '/_mock/reset'],
    ['POST', '/_mock/authorizations'],
    ['POST', '/_mock/sessions/x/authorize'],
  ] as const) {
    t.equal((await app.inject({ method, url })).statusCode, 401, `${method} ${url}`)
  }
})

t.test("another merchant's authorization answers exactly as an unknown one", async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, {}, 'merchant-a')
  const foreign = await createCustomerToken(app, auth, undefined, 'merchant-b')
  const unknown = await createCustomerToken(
    app,
    '00000000-0000-4000-8000-000000000000',
    undefined,
    'merchant-b',
  )
  t.same(errorOf(foreign), errorOf(unknown))
  t.equal(foreign.statusCode, 404)
  const mine = await createCustomerToken(app, auth, undefined, 'merchant-a')
  t.equal(mine.statusCode, 200, "the owner's token is untouched by the foreign attempt")
  const tokenId = mine.json().token_id as string
  t.equal(
    (await call(app, 'GET', `/customer-token/v1/tokens/${tokenId}`, undefined, { user: 'merchant-b' }))
      .statusCode,
    404,
    "B cannot read A's token",
  )
  t.equal(
    (
      await call(
        app,
        'PATCH',
        `/customer-token/v1/tokens/${tokenId}/status`,
        { status: 'CANCELLED' },
        { user: 'merchant-b' },
      )
    ).statusCode,
    404,
    "B cannot cancel A's token",
  )
  t.equal((await call(app, 'GET', `/customer-token/v1/tokens/${tokenId}`)).json().status, 'ACTIVE')
})
