import t from 'tap'
import { request } from 'node:http'
import { keepBody, MAX_BODY_BYTES, showBody } from '../../dist/domain/journal.js'
import { basic, build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'
import { listen } from '../helpers/socket.js'

t.test('the journal lists what was received and answered, newest first, without credentials', async (t) => {
  const app = await build(t, { admin: { username: 'ops', password: 'root-secret' } })
  const { authorization_token: auth } = await mint(app)
  await createCustomerToken(app, auth)
  await call(app, 'GET', '/customer-token/v1/tokens/nope', undefined, {
    headers: { 'user-agent': 'Library/Klarna.kco_rest_php_4.2.3' },
  })
  await app.inject({ method: 'GET', url: '/payments/v1/sessions/x' })
  const list = (await call(app, 'GET', '/_mock/requests')).json()
  t.equal(list.length, 2, 'control calls are not journalled; an unauthenticated call belongs to no merchant')
  t.match(list[0], {
    method: 'GET',
    status: 404,
    merchant: 'merchant-a',
    request_headers: { 'user-agent': 'Library/Klarna.kco_rest_php_4.2.3' },
    response_body: { error_code: 'TOKEN_NOT_FOUND' },
  })
  t.match(list[1], {
    method: 'POST',
    status: 200,
    operation: 'purchaseToken',
    request_body: { purchase_country: 'SE', intended_use: 'SUBSCRIPTION' },
    response_body: { token_id: String },
  })
  t.equal(list[1].correlation_id.length, 36)
  const all = (
    await call(app, 'GET', '/_mock/requests?merchant=*', undefined, {
      user: 'ops',
      headers: { authorization: basic('ops', 'root-secret') },
    })
  ).json()
  t.match(
    all[0],
    {
      method: 'GET',
      path: '/payments/v1/sessions/x',
      merchant: null,
      status: 401,
      operation: 'readCreditSession',
    },
    'the operator sees everything',
  )
  const text = JSON.stringify(all)
  t.notMatch(text, /authorization"|Basic |secret/i, 'no credentials are stored')
})

t.test('filters: path, status, limit; DELETE clears; each merchant sees its own', async (t) => {
  const app = await build(t)
  await call(app, 'GET', '/customer-token/v1/tokens/a')
  await call(app, 'GET', '/customer-token/v1/tokens/b', undefined, { user: 'merchant-b' })
  await call(app, 'POST', '/payments/v1/sessions', {})
  t.same(
    (await call(app, 'GET', '/_mock/requests', undefined, { user: 'merchant-b' }))
      .json()
      .map((e: { path: string }) => e.path),
    ['/customer-token/v1/tokens/b'],
  )
  t.same(errorOf(await call(app, 'GET', '/_mock/requests?merchant=merchant-b')), {
    status: 403,
    code: 'FORBIDDEN',
    messages: ['Only the operator can act on another merchant (see --admin-credentials)'],
  })
  t.equal((await call(app, 'GET', '/_mock/requests?path=/customer-token/')).json().length, 1)
  t.equal((await call(app, 'GET', '/_mock/requests?status=400')).json()[0].path, '/payments/v1/sessions')
  t.equal((await call(app, 'GET', '/_mock/requests?limit=1')).json().length, 1)
  t.equal((await call(app, 'GET', '/_mock/requests?status=abc')).statusCode, 400)
  t.equal((await call(app, 'DELETE', '/_mock/requests')).statusCode, 204)
  t.same((await call(app, 'GET', '/_mock/requests')).json(), [])
})

t.test('the journal is bounded', async (t) => {
  const app = await build(t, { journalLimit: 5 })
  for (let i = 0; i < 12; i++) await call(app, 'GET', `/customer-token/v1/tokens/t${i}`)
  const list = (await call(app, 'GET', '/_mock/requests')).json()
  t.equal(list.length, 5)
  t.equal(list[0].path, '/customer-token/v1/tokens/t11')
  t.equal(list[4].path, '/customer-token/v1/tokens/t7')
})

t.test('with a credentials list a merchant sees only its own requests', async (t) => {
  const app = await build(t, {
    credentials: new Map([
      ['merchant-a', 'secret'],
      ['merchant-b', 'secret'],
    ]),
  })
  await call(app, 'GET', '/customer-token/v1/tokens/a')
  await call(app, 'GET', '/customer-token/v1/tokens/b', undefined, { user: 'merchant-b' })
  t.equal(
    (
      await app.inject({
        url: '/_mock/requests?merchant=merchant-a',
        headers: { authorization: basic('merchant-b', 'secret') },
      })
    ).statusCode,
    403,
    'naming another merchant is refused',
  )
  const list = (
    await app.inject({ url: '/_mock/requests', headers: { authorization: basic('merchant-b', 'secret') } })
  ).json()
  t.same(
    list.map((e: { path: string }) => e.path),
    ['/customer-token/v1/tokens/b'],
  )
  await app.inject({
    method: 'DELETE',
    url: '/_mock/requests',
    headers: { authorization: basic('merchant-b', 'secret') },
  })
  t.equal((await call(app, 'GET', '/_mock/requests')).json().length, 1, "clearing touched only B's entries")
})

t.test('faults are journalled with the scenario', async (t) => {
  const { port, app } = await listen(t)
  await new Promise<void>((resolve) => {
    const r = request({
      port,
      host: '127.0.0.1',
      path: '/customer-token/v1/tokens/x',
      headers: { authorization: basic(), 'klarna-mock-scenario': 'connection-dropped' },
    })
    r.on('error', () => resolve())
    r.end()
  })
  const entry = (await call(app, 'GET', '/_mock/requests')).json()[0]
  t.match(entry, { scenario: 'connection-dropped', fault: 'drop', status: null, merchant: 'merchant-a' })
})

t.test('a body is kept whole up to 16 KiB of UTF-8, and cut there, never as more', async (t) => {
  const short = JSON.stringify({ text: 'x'.repeat(5_000) })
  const kept = keepBody(short)
  t.equal(kept.body, short, 'a short body is the text itself: no copy per call')
  t.equal(kept.truncated, false)
  t.same(showBody(kept.body, kept.truncated), { text: 'x'.repeat(5_000) }, 'shown parsed')

  // Characters of 3 UTF-8 bytes each (2 in memory): the longest body kept as it is stays within 16 KiB.
  const wide = '中'.repeat(MAX_BODY_BYTES / 3)
  t.ok(Buffer.byteLength(wide) <= MAX_BODY_BYTES)
  t.equal(keepBody(wide).body, wide)
  const wider = keepBody(`${wide}中`)
  t.ok(Buffer.isBuffer(wider.body), 'one character more: a copy of its first bytes')
  t.equal(wider.truncated, true)
  t.ok(wider.body.length <= MAX_BODY_BYTES, `${wider.body.length} bytes`)

  const ascii = 'a'.repeat(MAX_BODY_BYTES)
  t.same(keepBody(ascii), { body: Buffer.from(ascii), truncated: false }, 'exactly 16 KiB: whole')
  const over = keepBody(`${ascii}b`)
  t.same(over, { body: Buffer.from(ascii), truncated: true }, 'one byte more: cut')
  t.equal(showBody(over.body, over.truncated), ascii, 'a cut body is shown as text')
})
