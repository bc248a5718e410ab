import t from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { build, call } from '../helpers/app.js'
import { gbOrder, gbSession } from '../helpers/data.js'

interface Received {
  path: string
  body: unknown
  contentType: string | undefined
}

/** A merchant's server on loopback that records Klarna's callbacks; `fail` answers 500 that many times. */
async function merchantServer(t: { teardown: (fn: () => unknown) => void }, fail = 0) {
  const received: Received[] = []
  let failures = fail
  const server = createServer((req: IncomingMessage, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c.toString()
    })
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text), contentType: req.headers['content-type'] })
      res.statusCode = failures-- > 0 ? 500 : 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const address = server.address()
  const port = address !== null && typeof address === 'object' ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, received }
}

/** A GB session whose merchant_urls name the merchant's test server; its session_id. */
async function sessionWith(app: FastifyInstance, merchantUrls: Record<string, string>): Promise<string> {
  return (await call(app, 'POST', '/payments/v1/sessions', gbSession({ merchant_urls: merchantUrls }))).json()
    .session_id as string
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test(
  'the authorization callback: POST {authorization_token, session_id} to merchant_urls.authorization',
  async (t) => {
    const merchant = await merchantServer(t)
    const app = await build(t)
    const sid = await sessionWith(app, { authorization: `${merchant.url}/klarna/auth` })
    const token = (await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})).json()
      .authorization_token as string
    // Wait on the mock's own record of the delivery, not on the merchant's server: the server has
    // the callback a moment before the mock has read the answer.
    await until(() => app.domain.outbox.list()[0]?.state === 'delivered')
    t.same(merchant.received, [
      {
        path: '/klarna/auth',
        body: { authorization_token: token, session_id: sid },
        contentType: 'application/json',
      },
    ])
    const listed = (await call(app, 'GET', '/_mock/callbacks')).json()
    t.match(listed[0], { kind: 'authorization', state: 'delivered', attempts: 1, last_result: 'HTTP 200' })
  },
)

t.test('a failing callback is retried, three attempts in all', async (t) => {
  const merchant = await merchantServer(t, 5)
  const app = await build(t, { callbacks: { retryDelaysMs: [10, 20] } })
  const sid = await sessionWith(app, { authorization: `${merchant.url}/cb` })
  await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})
  await until(() => (app.domain.outbox.list()[0]?.state ?? 'pending') !== 'pending')
  t.equal(merchant.received.length, 3)
  t.match((await call(app, 'GET', '/_mock/callbacks')).json()[0], {
    state: 'failed',
    attempts: 3,
    last_result: 'HTTP 500',
  })
})

t.test(
  'a pending order: the fraud decision is notified when NN minutes have passed on the virtual clock',
  async (t) => {
    const merchant = await merchantServer(t)
    const app = await build(t)
    const sid = await sessionWith(app, { notification: `${merchant.url}/notify` })
    const email = 'customer+pend-reject-10@email.uk'
    const token = (
      await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, { billing_address: { email } })
    ).json().authorization_token as string
    const order = (
      await call(
        app,
        'POST',
        `/payments/v1/authorizations/${token}/order`,
        gbOrder({ billing_address: { email } }),
      )
    ).json()
    t.equal(order.fraud_status, 'PENDING')
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 9 * 60 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    t.equal(merchant.received.length, 0, 'not before ten minutes')
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 60 })
    await until(() => app.domain.outbox.list()[0]?.state === 'delivered')
    t.same(merchant.received[0], {
      path: '/notify',
      body: { order_id: order.order_id, event_type: 'FRAUD_RISK_REJECTED' },
      contentType: 'application/json',
    })
  },
)

t.test('with callbacks off nothing is sent, but GET /_mock/callbacks shows what would be', async (t) => {
  const merchant = await merchantServer(t)
  const app = await build(t, { callbacks: { enabled: false } })
  const sid = await sessionWith(app, { authorization: `${merchant.url}/cb` })
  await call(app, 'POST', `/_mock/sessions/${sid}/authorize`, {})
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(merchant.received.length, 0)
  t.match((await call(app, 'GET', '/_mock/callbacks')).json(), [
    { kind: 'authorization', state: 'pending', attempts: 0, url: `${merchant.url}/cb` },
  ])
  t.same(
    (await call(app, 'GET', '/_mock/callbacks', undefined, { user: 'merchant-b' })).json(),
    [],
    'another merchant sees none of them, open auth too',
  )
})
