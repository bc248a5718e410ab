import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { basic, build, call, createCustomerToken, mint } from '../helpers/app.js'

/**
 * Bad input by the thousand (fast-check) against every endpoint, the control API included. Every
 * answer must be Klarna-shaped with a correlation id and below 500; the server keeps serving;
 * and state is untouched: an authorization minted before the run still makes its customer token.
 */

const ids = [
  'x',
  'a%2Fb',
  '..%2F..',
  '%00',
  'ä',
  '1'.repeat(255),
  '%E2%82%AC',
  'null',
  '__proto__',
  'constructor',
]
const endpoints: Array<[string, (id: string) => string]> = [
  ['POST', () => '/payments/v1/sessions'],
  ['GET', (id) => `/payments/v1/sessions/${id}`],
  ['POST', (id) => `/payments/v1/sessions/${id}`],
  ['POST', (id) => `/payments/v1/authorizations/${id}/order`],
  ['DELETE', (id) => `/payments/v1/authorizations/${id}`],
  ['POST', (id) => `/payments/v1/authorizations/${id}/customer-token`],
  ['GET', (id) => `/customer-token/v1/tokens/${id}`],
  ['PATCH', (id) => `/customer-token/v1/tokens/${id}/status`],
  ['POST', (id) => `/customer-token/v1/tokens/${id}/order`],
  ['POST', () => '/_mock/authorizations'],
  ['POST', (id) => `/_mock/sessions/${id}/authorize`],
  ['POST', (id) => `/_mock/tokens/${id}/status`],
  ['GET', () => '/_mock/scenarios'],
  ['POST', () => '/_mock/scenarios/arm'],
  ['GET', () => '/_mock/requests'],
  ['GET', () => '/_mock/clock'],
  ['GET', () => '/_mock/health'],
]

const klarnaKeys = [
  'purchase_country',
  'purchase_currency',
  'locale',
  'description',
  'intended_use',
  'order_amount',
  'order_tax_amount',
  'order_lines',
  'billing_address',
  'customer',
  'status',
  'intent',
  'name',
  'times',
  'operation',
  'payment_method_category',
  'scenario',
  '__proto__',
  'constructor',
  'prototype',
]

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.constantFrom('SE', 'sek', 'sv-SE', 'SUBSCRIPTION', 'CANCELLED', 'buy', '', ' '.repeat(300)),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...klarnaKeys, 'x'), tie('v'), { maxKeys: 5 }),
  ),
})).v

/** Raw bytes: JSON with invalid UTF-8 inside strings, or arbitrary bytes. */
const invalidUtf8 = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 40 })
    .map((b) =>
      Buffer.concat([
        Buffer.from('{"description":"'),
        Buffer.from(b.map((x) => x | 0x80)),
        Buffer.from('","purchase_country":"SE"}'),
      ]),
    ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
)

const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  invalidUtf8,
  value.map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...klarnaKeys), value, { maxKeys: 8 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '"x"',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '['.repeat(5000) + ']'.repeat(5000),
    '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
    JSON.stringify({ order_lines: Array(2000).fill({}) }),
    JSON.stringify({ description: 'x'.repeat(100000) }),
  ),
)

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json; charset=latin1',
  undefined,
)

/** The 401 the real playground sends (the default): its HTML page, no correlation id. */
const recorded401 = (res: LightMyRequestResponse) =>
  res.statusCode === 401 &&
  res.headers['www-authenticate'] === 'Basic realm="very closed site"' &&
  String(res.headers['content-type']).startsWith('text/html') &&
  res.body.includes('401 Authorization Required')

function assertKlarnaShaped(res: LightMyRequestResponse, label: string): string | null {
  if (res.statusCode >= 500) return `${label}: ${res.statusCode} ${res.body.slice(0, 200)}`
  if (recorded401(res)) return null
  const id = res.headers['klarna-correlation-id']
  if (typeof id !== 'string' || id.length !== 36) return `${label}: no correlation id`
  if (res.statusCode >= 400) {
    let parsed: { error_code?: unknown; error_messages?: unknown; correlation_id?: unknown }
    try {
      parsed = JSON.parse(res.body)
    } catch {
      return `${label}: not JSON: ${res.body.slice(0, 100)}`
    }
    if (
      typeof parsed.error_code !== 'string' ||
      !Array.isArray(parsed.error_messages) ||
      parsed.correlation_id !== id
    ) {
      return `${label}: not Klarna-shaped: ${res.body.slice(0, 200)}`
    }
    if (Object.keys(parsed).length !== 3) return `${label}: extra fields: ${res.body.slice(0, 200)}`
  }
  return null
}

async function victimState(app: FastifyInstance) {
  const { authorization_token: auth } = await mint(app, {}, 'victim')
  return auth
}

t.test('random, malformed and hostile requests never get a 5xx or a non-Klarna body', async (t) => {
  const app = await build(t, { bodyLimit: 64 * 1024 })
  const auth = await victimState(app)
  const failures: string[] = []
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...endpoints),
      fc.constantFrom(...ids, auth),
      body,
      contentType,
      fc.boolean(),
      async ([method, path], id, payload, type, authed) => {
        const url = path(id)
        const headers: Record<string, string> = authed ? { authorization: basic('fuzzer', 'x') } : {}
        if (type !== undefined) headers['content-type'] = type
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers,
          payload: method === 'GET' ? undefined : payload,
        })
        const problem = assertKlarnaShaped(
          res,
          `${method} ${url} [${type ?? 'no type'}] ${payload.toString().slice(0, 60)}`,
        )
        if (problem !== null) failures.push(problem)
        return true
      },
    ),
    { numRuns: 1500 },
  )
  t.same(failures.slice(0, 10), [], `${failures.length} bad answers`)
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200, 'still serving')
  const made = await createCustomerToken(app, auth, undefined, 'victim')
  t.equal(made.statusCode, 200, "the victim's authorization still produces its customer token")
})

t.test('bodies over the size limit are 413 in Klarna shape everywhere', async (t) => {
  const app = await build(t, { bodyLimit: 2048 })
  for (const [method, path] of endpoints.filter(([m]) => m !== 'GET' && m !== 'DELETE')) {
    const res = await app.inject({
      method: method as 'POST',
      url: path('x'),
      headers: { authorization: basic(), 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(5000) }),
    })
    t.equal(res.statusCode, 413, `${method} ${path('x')}`)
    t.equal(res.json().error_code, 'REQUEST_TOO_LARGE')
  }
})

t.test('odd URLs: bad escapes and over-long ids are Klarna-shaped 400s', async (t) => {
  const app = await build(t)
  for (const url of [
    '/payments/v1/sessions/%E0%A4%A',
    `/payments/v1/sessions/${'a'.repeat(256)}`,
    `/customer-token/v1/tokens/${'%41'.repeat(300)}`,
  ]) {
    const res = await call(app, 'GET', url)
    t.equal(res.statusCode, 400, url.slice(0, 60))
    t.equal(res.json().error_code, 'BAD_REQUEST')
    t.equal(res.json().correlation_id, res.headers['klarna-correlation-id'])
  }
})

t.test('the control clock and reset under random input', async (t) => {
  const app = await build(t)
  await fc.assert(
    fc.asyncProperty(body, contentType, async (payload, type) => {
      for (const url of ['/_mock/clock', '/_mock/reset']) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { authorization: basic(), ...(type === undefined ? {} : { 'content-type': type }) },
          payload,
        })
        if (assertKlarnaShaped(res, url) !== null) return false
      }
      return true
    }),
    { numRuns: 200 },
  )
  t.pass('every answer Klarna-shaped and below 500')
})

t.test('fields Klarna does not define are dropped before any rule sees them, however deep', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, { intent: 'buy_and_tokenize' })
  const deep = '['.repeat(20000) + ']'.repeat(20000)
  const res = await call(
    app,
    'POST',
    `/payments/v1/authorizations/${auth}/customer-token`,
    `{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","description":"x","intended_use":"SUBSCRIPTION","x_unknown":${deep}}`,
  )
  t.equal(res.statusCode, 200, res.body.slice(0, 200))
  const journal = (await call(app, 'GET', '/_mock/requests?limit=1')).json()
  t.match(
    journal[0],
    { request_body: /^\{"purchase_country":"SE".*"x_unknown":\[\[\[/, request_body_truncated: true },
    'the journal keeps the text as it came, cut at 16 KiB',
  )
})
