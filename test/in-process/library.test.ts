import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildApp, warmUpAfterFirstAnswer } from '../../dist/app.js'
import { startMock } from '../../dist/index.js'
import { packageRoot } from '../../dist/paths.js'
import { basic, type Tap, tokenRequest } from '../helpers/app.js'
import { gbSession } from '../helpers/data.js'
import { withoutCoverageLoader } from '../helpers/spawn.js'

const tokenBody = JSON.stringify(tokenRequest({ description: 'x' }))

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

/** A listening app whose warm-up is counted, not run: when it starts is what the warm-up test tests. */
async function listening(t: Tap, idleMs: number) {
  const app = await buildApp({ logger: false })
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  let calls = 0
  // What the warm-up compiles is tested in 'warmUp compiles what no call has needed yet'.
  app.warmUp = async () => {
    calls++
    return 0
  }
  warmUpAfterFirstAnswer(app, idleMs)
  return { app, address, calls: () => calls }
}

// The warm-up test's last case, started as the file starts: an app closed well within its idle time
// (closing takes milliseconds) must not warm up once past it. The other tests run while that time
// passes; the warm-up test checks it last. The idle time is long (3 s) because other files' tests
// run meanwhile in the in-process run, and their synchronous stretches (an app build, a schema
// compiled) delay the close: 3 s leaves them ample room.
const closedEarly = await listening(t, 3000)
await closedEarly.app.close()
const closedPastIdle = sleep(3020)

t.test('startMock: a free port, authorize, advanceClock, reset, close', async (t) => {
  const mock = await startMock()
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const a = mock.authorize()
  const b = mock.authorize({ merchant: 'shop-2', purchase_country: 'DE' })
  t.match(a, { authorization_token: /^[0-9a-f-]{36}$/, session_id: String, expires_at: String })
  const post = async (token: string, user = 'merchant') =>
    await fetch(`${mock.url}/payments/v1/authorizations/${token}/customer-token`, {
      method: 'POST',
      headers: { authorization: basic(user, 'x'), 'content-type': 'application/json' },
      body: tokenBody,
    })
  t.equal((await post(b.authorization_token)).status, 404, 'minted for another merchant')
  const now = mock.advanceClock(3601)
  t.type(now, Date)
  t.equal((await post(a.authorization_token)).status, 404, 'expired through the virtual clock')
  const c = mock.authorize()
  t.equal((await post(c.authorization_token)).status, 200)
  mock.reset()
  t.equal((await post(c.authorization_token)).status, 404, 'reset forgets state')
  t.throws(() => mock.authorize({ purchase_country: 'XX' }), {
    name: 'KlarnaError',
    message: 'BAD_VALUE: Bad value: purchase_country',
  })
  t.throws(() => mock.authorize({ scenario: 'nope' }), {
    name: 'KlarnaError',
    message: /^BAD_REQUEST: Unknown scenario/,
  })
})

t.test('the README example with node:test passes against the package', async (t) => {
  // Without tap's coverage loader (every line it reaches, the other tests reach): about half the CPU.
  const { stdout } = await promisify(execFile)(
    ...withoutCoverageLoader(['--test', join(packageRoot, 'examples', 'node-test.example.mjs')]),
    { cwd: packageRoot },
  )
  t.match(stdout, /# pass 2/)
  t.match(stdout, /# fail 0/)
})

t.test(
  'options: unknown names and wrong types are refused, saying what to write; the obvious shapes are accepted',
  async (t) => {
    await t.rejects(startMock({ publicUrl: 'http://x' } as never), {
      name: 'OptionsError',
      message: /unknown option "publicUrl" \(did you mean publicBaseUrl\?\)/,
    })
    await t.rejects(startMock({ authorizationLifetime: 60 } as never), {
      message: /did you mean authorizationLifetimeSeconds\?/,
    })
    await t.rejects(startMock({ authorizationLifetimeSeconds: '60' } as never), {
      message:
        'klarna-mock: option authorizationLifetimeSeconds must be a number of seconds above 0, got "60"',
    })
    await t.rejects(startMock({ fidelity: 'exact' } as never), {
      message: /option fidelity must be one of recorded, documented/,
    })
    await t.rejects(startMock({ credentials: { shop: 42 } } as never), {
      message: /option credentials must be a Map, an object/,
    })

    for (const credentials of [{ shop: 'pw' }, ['shop:pw'], new Map([['shop', 'pw']])]) {
      const mock = await startMock({ credentials, admin: 'ops:ops-pw' })
      t.teardown(() => mock.close())
      const as = (user: string, pw: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`,
      })
      t.equal(
        (await fetch(`${mock.url}/_mock/clock`, { headers: as('shop', 'pw') })).status,
        200,
        `${JSON.stringify(credentials instanceof Map ? [...credentials] : credentials)}: the listed pair passes`,
      )
      t.equal(
        (await fetch(`${mock.url}/_mock/clock`, { headers: as('shop', 'nope') })).status,
        401,
        'others do not',
      )
      t.equal(
        (await fetch(`${mock.url}/_mock/clock?merchant=shop`, { headers: as('ops', 'ops-pw') })).status,
        200,
        'the operator as "user:password"',
      )
    }
  },
)

t.test('warmUp compiles what no call has needed yet, once; the answers stay the same', async (t) => {
  const headers = { authorization: basic(), 'content-type': 'application/json' }
  const answers = async (app: Awaited<ReturnType<typeof buildApp>>) => {
    const bad = await app.inject({ method: 'POST', url: '/payments/v1/sessions', headers, payload: '{}' })
    const minted = await app.inject({ method: 'POST', url: '/_mock/authorizations', headers, payload: '{}' })
    const token = await app.inject({
      method: 'POST',
      url: `/payments/v1/authorizations/${minted.json().authorization_token as string}/customer-token`,
      headers,
      payload: JSON.stringify(tokenRequest()),
    })
    return [
      bad.statusCode,
      bad.json().error_messages,
      minted.statusCode,
      token.statusCode,
      Object.keys(token.json()),
    ]
  }
  const cold = await buildApp({ logger: false })
  t.teardown(() => cold.close())
  const coldAnswers = await answers(cold)
  t.same(coldAnswers, [
    400,
    ['Bad value: purchase_currency, purchase_country'],
    200,
    200,
    ['token_id', 'redirect_url', 'payment_method_reference', 'billing_address'],
  ])

  const warm = await buildApp({ logger: false })
  t.teardown(() => warm.close())
  const all = await warm.warmUp()
  t.ok(all > 50, `every route's schemas compiled (${all})`)
  t.equal(await warm.warmUp(), 0, 'and only once')
  t.same(await answers(warm), coldAnswers, 'a warmed app answers as a cold one')
  const rest = await cold.warmUp()
  t.ok(rest > 0 && rest < all, `what the calls compiled is not compiled again (${rest} of ${all})`)
})

t.test(
  'two apps in one process (which share compiled validators) never mix their validation answers',
  async (t) => {
    const [one, two] = [await buildApp({ logger: false }), await buildApp({ logger: false })]
    t.teardown(() => Promise.all([one.close(), two.close()]))
    const headers = { authorization: basic(), 'content-type': 'application/json' }
    const post = async (app: typeof one, payload: unknown) =>
      await app.inject({
        method: 'POST',
        url: '/payments/v1/sessions',
        headers,
        payload: JSON.stringify(payload),
      })
    const bad = await post(one, gbSession({ purchase_country: 7 }))
    t.equal(bad.statusCode, 400)
    t.match(bad.json().error_messages, [/purchase_country/])
    t.equal(
      (await post(two, gbSession())).statusCode,
      200,
      "one app's failed validation does not leak into another",
    )
    const badToo = await post(two, gbSession({ purchase_currency: [] }))
    t.match(badToo.json().error_messages, [/purchase_currency/], 'each failure names its own field')
    t.notMatch(badToo.json().error_messages, [/purchase_country/])
  },
)

t.test('closing the app ends a warm-up under way; startMock warms up by itself', async (t) => {
  const app = await buildApp({ logger: false })
  await app.ready()
  const running = app.warmUp()
  await app.close()
  const compiled = await running
  t.ok(compiled < 50, `the warm-up stopped at close (${compiled} compiled)`)

  const mock = await startMock()
  t.teardown(() => mock.close())
  t.ok((await mock.warmedUp) > 50, 'startMock compiled every route in the background')
  t.equal(await mock.app.warmUp(), 0, 'nothing is left to compile')
})

t.test(
  'the command-line server warms up once its first answer has left, or after a while without requests; not once closed',
  async (t) => {
    const probed = await listening(t, 60_000)
    await sleep(20)
    t.equal(probed.calls(), 0, 'not before a request')
    t.equal((await fetch(`${probed.address}/_mock/health`)).status, 200)
    // The server sees the answer leave a moment after the client has it: wait for that state.
    for (let i = 0; i < 500 && probed.calls() === 0; i++) await sleep(10)
    t.equal(probed.calls(), 1, 'once the first answer has left')
    await (await fetch(`${probed.address}/_mock/health`)).text()
    await sleep(20)
    t.equal(probed.calls(), 1, 'and only once')

    // A timer set after another with a longer delay fires after it: no race.
    const idle = await listening(t, 10)
    await sleep(30)
    t.equal(idle.calls(), 1, 'after the idle time without a request')

    await closedPastIdle
    t.equal(closedEarly.calls(), 0, 'not once the server has closed')
  },
)

t.test('under a module loader (a test runner, tsx) the package loads no ES module of TypeBox', async (t) => {
  // A loader's hooks see every ES module loaded, each a round trip to the hooks' thread: TypeBox's
  // ES-module build is about 250 of them (src/typebox.ts). This hook writes down each it sees.
  const dir = t.testdir({
    'hooks.mjs': `import { appendFileSync } from 'node:fs'
export async function load(url, context, next) {
  if (url.includes('/@sinclair/typebox/') || url.endsWith('/dist/index.js')) appendFileSync(${JSON.stringify(join(t.testdirName, 'seen.txt'))}, url + '\\n')
  return await next(url, context)
}`,
    'register.mjs': `import { register } from 'node:module'\nregister('./hooks.mjs', import.meta.url)\n`,
    'seen.txt': '',
  })
  const { stdout } = await promisify(execFile)(
    ...withoutCoverageLoader([
      '--import',
      join(dir, 'register.mjs'),
      '--input-type=module',
      '-e',
      `const { startMock } = await import(${JSON.stringify(join(packageRoot, 'dist', 'index.js'))})
const mock = await startMock()
console.log((await fetch(mock.url + '/_mock/health')).status)
await mock.close()`,
    ]),
    { cwd: packageRoot },
  )
  t.equal(stdout.trim(), '200', 'the mock started and answered')
  // The package's own entry is written down too: the hooks did see the modules loaded.
  const seen = readFileSync(join(dir, 'seen.txt'), 'utf8').trim().split('\n')
  t.match(seen, [/\/dist\/index\.js$/], 'the hooks saw the package load')
  t.same(
    seen.filter((url) => url.includes('/@sinclair/typebox/')),
    [],
    'no ES module of TypeBox went through the hooks',
  )
})

t.test("every plugin of the mock's own has a name Fastify reads without searching for it", async (t) => {
  // Fastify looks an unnamed plugin up among the exports of every CommonJS module loaded so far,
  // twice a registration (src/http/named.ts): about 2 ms of each app's build in a test process.
  const plugins = {
    payments: '../../dist/routes/payments/index.js',
    'customer token': '../../dist/routes/customer-token/index.js',
    'order management': '../../dist/routes/order-management/index.js',
    'hosted payment page': '../../dist/routes/hpp/index.js',
    browser: '../../dist/routes/browser/index.js',
    mock: '../../dist/routes/mock/index.js',
    'mock: redirect': '../../dist/routes/mock/redirect.js',
    'mock: state': '../../dist/routes/mock/state.js',
    'mock: scenarios': '../../dist/routes/mock/scenarios.js',
    'mock: observe': '../../dist/routes/mock/observe.js',
    'mock: dashboard': '../../dist/routes/mock/ui.js',
  }
  for (const [name, path] of Object.entries(plugins)) {
    const plugin = ((await import(path)) as { default: Record<symbol, unknown> }).default
    t.equal(plugin[Symbol.for('fastify.display-name')], name, path)
  }
})
