import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { basic, build, call, createCustomerToken, errorOf, mint } from '../helpers/app.js'
import { seTokenOrder } from '../helpers/data.js'

/**
 * Two pipelines on one instance, merchants A and B: nothing B does through any endpoint disturbs
 * A, and nothing of A's is visible to B. The operator may act on both.
 */

const ops = { user: 'ops', headers: { authorization: basic('ops', 'ops-secret') } }
const admin = { username: 'ops', password: 'ops-secret' }

/**
 * A's state: a fresh authorization, a token with an order (captured in part), an armed scenario, journal
 * entries, a callback.
 */
async function setUpA(app: FastifyInstance) {
  const fresh = (await mint(app, { merchant_urls: { authorization: 'http://127.0.0.1:9/cb' } }))
    .authorization_token
  const { authorization_token: used } = await mint(app)
  const token = (await createCustomerToken(app, used)).json().token_id as string
  const order = (await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder())).json()
    .order_id as string
  await call(app, 'POST', `/ordermanagement/v1/orders/${order}/captures`, { captured_amount: 1000 })
  await call(app, 'POST', '/_mock/scenarios/arm', { name: 'token-suspended', times: 3 })
  return { fresh, token, order }
}

async function snapshotA(app: FastifyInstance, a: { token: string; order: string }) {
  return {
    clock: (await call(app, 'GET', '/_mock/clock')).json().now.slice(0, 16),
    armed: (await call(app, 'GET', '/_mock/scenarios/arm')).json(),
    journal: (await call(app, 'GET', '/_mock/requests?limit=1000&path=/payments/')).json().length,
    callbacks: (await call(app, 'GET', '/_mock/callbacks')).json().length,
    order: (await call(app, 'GET', `/ordermanagement/v1/orders/${a.order}`)).json().captured_amount,
  }
}

t.test(
  "merchant B walks every control endpoint: A's state, clock, scenarios, journal and callbacks are untouched",
  async (t) => {
    const app = await build(t, { callbacks: { enabled: false }, admin })
    const a = await setUpA(app)
    const before = await snapshotA(app, a)
    const b = { user: 'merchant-b' }
    // Every control endpoint, as B, including the ones that name A's objects.
    await call(app, 'POST', '/_mock/clock', { advance_seconds: 10 * 24 * 3600 }, b)
    await call(app, 'POST', '/_mock/reset', undefined, b)
    await call(app, 'DELETE', '/_mock/requests', undefined, b)
    await call(app, 'DELETE', '/_mock/scenarios/arm', undefined, b)
    await call(app, 'DELETE', '/_mock/scenarios/arm/token-suspended', undefined, b)
    await call(app, 'POST', '/_mock/scenarios/arm', { name: 'internal-server-error', times: 5 }, b)
    await call(app, 'POST', `/_mock/tokens/${a.token}/status`, { status: 'CANCELLED' }, b)
    await call(app, 'POST', '/_mock/authorizations', {}, b)
    for (const path of ['/_mock/requests', '/_mock/callbacks', '/_mock/scenarios/arm', '/_mock/clock']) {
      const seen = await call(app, 'GET', path, undefined, b)
      t.notMatch(seen.body, new RegExp(`${a.token}|${a.fresh}|${a.order}`), `${path} shows B nothing of A's`)
    }
    for (const path of [
      '/_mock/requests?merchant=merchant-a',
      '/_mock/callbacks?merchant=merchant-a',
      '/_mock/clock?merchant=merchant-a',
      '/_mock/reset?merchant=*',
    ]) {
      const method = path.startsWith('/_mock/reset') ? 'POST' : 'GET'
      t.equal(
        errorOf(await call(app, method, path, undefined, b)).status,
        403,
        `${method} ${path}: naming another merchant is refused`,
      )
    }
    t.same(
      await snapshotA(app, a),
      before,
      "A's clock, armed scenarios, journal, callbacks and order are as they were",
    )
    t.equal(
      (await createCustomerToken(app, a.fresh)).statusCode,
      200,
      "A's fresh authorization is still valid although B's clock moved ten days",
    )
    t.equal(
      (await call(app, 'GET', `/customer-token/v1/tokens/${a.token}`)).json().status,
      'ACTIVE',
      "B could not cancel A's token",
    )
  },
)

t.test(
  "the operator: reads any merchant's journal and callbacks, moves its clock, resets one or all",
  async (t) => {
    const app = await build(t, { callbacks: { enabled: false }, admin })
    const a = await setUpA(app)
    await mint(app, {}, 'merchant-b')
    await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, { user: 'merchant-b' })
    t.ok((await call(app, 'GET', '/_mock/requests?merchant=merchant-a', undefined, ops)).json().length > 0)
    t.equal((await call(app, 'GET', '/_mock/callbacks?merchant=merchant-a', undefined, ops)).json().length, 1)
    const everyone = (await call(app, 'GET', '/_mock/requests?merchant=*', undefined, ops))
      .json()
      .map((e: { merchant: string }) => e.merchant)
    t.same([everyone[0], everyone.includes('merchant-a')], ['merchant-b', true], 'everyone, newest first')
    t.same((await call(app, 'GET', '/_mock/scenarios/arm?merchant=merchant-a', undefined, ops)).json(), [
      { name: 'token-suspended', remaining: 3 },
    ])
    await call(app, 'POST', '/_mock/clock?merchant=merchant-a', { advance_seconds: 3601 }, ops)
    t.equal((await createCustomerToken(app, a.fresh)).statusCode, 404, "the operator moved A's clock")
    t.same(
      errorOf(await call(app, 'POST', '/_mock/clock?merchant=*', { advance_seconds: 1 }, ops)).messages,
      ['Name one merchant: this call cannot act on all of them'],
    )
    t.equal((await call(app, 'POST', '/_mock/reset?merchant=merchant-a', undefined, ops)).statusCode, 204)
    t.equal(
      errorOf(await call(app, 'GET', `/customer-token/v1/tokens/${a.token}`)).status,
      404,
      'A was reset',
    )
    t.equal(app.domain.store.find('merchant-b')?.sessions.size, 1, 'B was not')
    t.equal((await call(app, 'POST', '/_mock/reset?merchant=*', undefined, ops)).statusCode, 204)
    t.equal(app.domain.store.merchantCount, 0, 'everyone was')
    t.equal(
      (await app.inject({ url: '/_mock/clock', headers: { authorization: basic('ops', 'wrong') } }))
        .statusCode,
      401,
      "the operator's name with another password is refused",
    )
  },
)

t.test('armed scenarios: list, clear one, clear all', async (t) => {
  const app = await build(t)
  await call(app, 'POST', '/_mock/scenarios/arm', {
    name: 'token-suspended',
    times: 2,
    operation: 'createTokenOrder',
  })
  await call(app, 'POST', '/_mock/scenarios/arm', { name: 'rate-limited' })
  t.same((await call(app, 'GET', '/_mock/scenarios/arm')).json(), [
    { name: 'token-suspended', remaining: 2, operation: 'createTokenOrder' },
    { name: 'rate-limited', remaining: 1 },
  ])
  t.equal((await call(app, 'DELETE', '/_mock/scenarios/arm/token-suspended')).statusCode, 204)
  t.same(errorOf(await call(app, 'DELETE', '/_mock/scenarios/arm/token-suspended')), {
    status: 404,
    code: 'NOT_FOUND',
    messages: ['Scenario "token-suspended" is not armed'],
  })
  t.same((await call(app, 'GET', '/_mock/scenarios/arm')).json(), [{ name: 'rate-limited', remaining: 1 }])
  t.equal((await call(app, 'DELETE', '/_mock/scenarios/arm')).statusCode, 204)
  t.same((await call(app, 'GET', '/_mock/scenarios/arm')).json(), [])
  t.equal((await call(app, 'GET', '/customer-token/v1/tokens/x')).statusCode, 404, 'nothing plays any more')
})

t.test(
  'redirect links are self-contained: they work on another instance that shares the link secret',
  async (t) => {
    const one = await build(t, { linkSecret: 'shared-between-replicas' })
    const two = await build(t, { linkSecret: 'shared-between-replicas' })
    const other = await build(t, { linkSecret: 'another-secret' })
    const { authorization_token: auth } = await mint(one, {
      merchant_urls: { confirmation: 'https://shop.example/done?sid={session.id}' },
    })
    const link = new URL((await createCustomerToken(one, auth)).json().redirect_url as string)
    const path = link.pathname + link.search
    t.equal((await two.inject({ url: path })).statusCode, 302, 'another replica follows it')
    t.match(
      (await two.inject({ url: path })).headers.location,
      /^https:\/\/shop\.example\/done\?sid=[0-9a-f-]{36}$/,
    )
    t.equal((await other.inject({ url: path })).statusCode, 404, 'an instance with another secret does not')
  },
)
