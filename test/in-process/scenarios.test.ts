import t from 'tap'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import {
  loadScenarios,
  parsedAtBuild,
  parseScenario,
  prebuiltScenariosFile,
  usePrebuiltScenarios,
} from '../../dist/domain/scenario-files.js'
import type { Scenario } from '../../dist/domain/scenario-files.js'
import { scenariosDir } from '../../dist/paths.js'
import { basic, build, call, createCustomerToken, errorOf, mint, tokenRequest } from '../helpers/app.js'
import { gbOrder, gbSession, seTokenOrder } from '../helpers/data.js'
import { listen, raw } from '../helpers/socket.js'

const requests: Record<string, [string, string]> = {
  createCreditSession: ['POST', '/payments/v1/sessions'],
  readCreditSession: ['GET', '/payments/v1/sessions/s-1'],
  updateCreditSession: ['POST', '/payments/v1/sessions/s-1'],
  createOrder: ['POST', '/payments/v1/authorizations/a-1/order'],
  cancelAuthorization: ['DELETE', '/payments/v1/authorizations/a-1'],
  purchaseToken: ['POST', '/payments/v1/authorizations/a-1/customer-token'],
  readCustomerToken: ['GET', '/customer-token/v1/tokens/t-1'],
  patchCustomerToken: ['PATCH', '/customer-token/v1/tokens/t-1/status'],
  createTokenOrder: ['POST', '/customer-token/v1/tokens/t-1/order'],
  captureOrder: ['POST', '/ordermanagement/v1/orders/o-1/captures'],
  refundOrder: ['POST', '/ordermanagement/v1/orders/o-1/refunds'],
  cancelOrder: ['POST', '/ordermanagement/v1/orders/o-1/cancel'],
  getOrder: ['GET', '/ordermanagement/v1/orders/o-1'],
  updateAuthorization: ['PATCH', '/ordermanagement/v1/orders/o-1/authorization'],
}
const headers = (scenario: string) => ({
  authorization: basic(),
  'content-type': 'application/json',
  'klarna-mock-scenario': scenario,
})

/** Sends a request and reports what the client saw: an answer, a timeout, or a dropped connection. */
async function attempt(
  port: number,
  method: string,
  path: string,
  hdrs: Record<string, string>,
  body: string,
  timeoutMs: number,
) {
  return await new Promise<
    | { kind: 'answer'; status: number; body: string; applied?: string; ms: number }
    | { kind: 'timeout' | 'dropped'; ms: number }
  >((resolve) => {
    const started = Date.now()
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: hdrs, timeout: timeoutMs },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => {
          text += c.toString()
        })
        res.on('end', () =>
          resolve({
            kind: 'answer',
            status: res.statusCode ?? 0,
            body: text,
            applied: res.headers['klarna-mock-scenario-applied'] as string | undefined,
            ms: Date.now() - started,
          }),
        )
      },
    )
    req.on('timeout', () => {
      req.destroy()
      resolve({ kind: 'timeout', ms: Date.now() - started })
    })
    req.on('error', () => resolve({ kind: 'dropped', ms: Date.now() - started }))
    req.end(method === 'GET' || method === 'DELETE' ? undefined : body)
  })
}

const files = readdirSync(scenariosDir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()
const shipped = loadScenarios([scenariosDir])

/** A scenario whose one step holds the request (a delay, a timeout): its answer is a wait, not state. */
const holds = (scenario: Scenario): boolean =>
  scenario.steps.length === 1 && ['delay', 'timeout'].includes(scenario.steps[0]?.fault?.kind ?? '')
/** How long the client waits for a step's answer: a timeout fault never answers. */
const clientWaitMs = (step: Scenario['steps'][number] | undefined): number =>
  step?.fault?.kind === 'timeout' ? 500 : 10000

// The server of the last test, which checks every shipped scenario over a real socket. The scenarios
// that hold a request (slow-response waits 2 seconds) are sent to it now, all at once, and checked in
// their turn: their waits pass while the other tests of this file run (they need no state, and a
// reset does not end a held request).
const shippedServer = await listen(t)
const held = new Map<string, ReturnType<typeof attempt>>()
for (const [name, scenario] of shipped) {
  if (!holds(scenario)) continue
  const [method, path] = requests[scenario.appliesTo[0] ?? ''] ?? ['GET', '/']
  held.set(
    name,
    attempt(shippedServer.port, method, path, headers(name), '{}', clientWaitMs(scenario.steps[0])),
  )
}

t.test('GET /_mock/scenarios lists the whole catalogue', async (t) => {
  const app = await build(t)
  const list = (await call(app, 'GET', '/_mock/scenarios')).json() as Array<{
    name: string
    applies_to: string[]
    status?: number
    error_code?: string
  }>
  t.equal(list.length, files.length)
  t.match(
    list.find((s) => s.name === 'token-cancelled'),
    { applies_to: ['createTokenOrder'], status: 403, error_code: 'TOKEN_CANCELLED', description: String },
  )
  const fault = list.find((s) => s.name === 'timeout')
  t.notOk(fault !== undefined && 'status' in fault, 'faults have no status')
  t.ok(
    list.find((s) => s.name === 'rate-limited')?.applies_to.includes('purchaseToken'),
    '"*" expands to every operation',
  )
  const codes = new Set(list.map((s) => s.error_code))
  for (const code of [
    'NOT_FOUND',
    'BAD_VALUE',
    'BAD_REQUEST',
    'INVALID_OPERATION',
    'SESSION_COMPLETED',
    'REJECTED',
    'TOKEN_NOT_FOUND',
    'TOKEN_CANCELLED',
    'TOKEN_SUSPENDED',
    'PAYMENT_METHOD_FAILED',
    'UNAVAILABLE_PAYMENT_METHOD',
    'PAYMENT_METHOD_CURRENCY_MISMATCH',
    'UNAUTHORIZED',
    'TOO_MANY_REQUESTS',
    'INTERNAL_SERVER_ERROR',
    'SERVICE_UNAVAILABLE',
    'MERCHANT_INACTIVE',
    'TOKEN_FORBIDDEN',
  ]) {
    t.ok(codes.has(code), code)
  }
})

t.test('unknown and misapplied names are a 400 that helps, never a silent pass-through', async (t) => {
  const app = await build(t)
  const unknown = errorOf(
    await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
      headers: { 'klarna-mock-scenario': 'token-cancelld' },
    }),
  )
  t.equal(unknown.status, 400)
  t.match(unknown.messages[0], /^Unknown scenario "token-cancelld"\. Valid names: .*token-cancelled/)
  const misapplied = errorOf(
    await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
      headers: { 'klarna-mock-scenario': 'token-cancelled' },
    }),
  )
  t.same(misapplied, {
    status: 400,
    code: 'BAD_REQUEST',
    messages: [
      'Scenario "token-cancelled" does not apply to readCustomerToken; it applies to createTokenOrder',
    ],
  })
})

t.test('a forced error changes no state', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  const forced = await createCustomerToken(app, auth, undefined)
  t.equal(forced.statusCode, 200)
  const token = forced.json().token_id as string
  const second = await mint(app)
  const h = { headers: { 'klarna-mock-scenario': 'internal-server-error' } }
  t.equal(
    (
      await call(
        app,
        'POST',
        `/payments/v1/authorizations/${second.authorization_token}/customer-token`,
        tokenRequest({ description: 'x' }),
        h,
      )
    ).statusCode,
    500,
  )
  t.equal(
    (await createCustomerToken(app, second.authorization_token)).statusCode,
    200,
    'the authorization still works',
  )
  t.equal(
    (
      await call(
        app,
        'PATCH',
        `/customer-token/v1/tokens/${token}/status`,
        { status: 'CANCELLED' },
        { headers: { 'klarna-mock-scenario': 'service-unavailable' } },
      )
    ).statusCode,
    503,
  )
  t.equal(
    (await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status,
    'ACTIVE',
    'the token was not cancelled',
  )
  t.equal(
    (
      await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
        headers: { 'klarna-mock-scenario': 'payment-method-failed' },
      })
    ).statusCode,
    403,
  )
  t.equal(
    (await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder())).statusCode,
    200,
    'the token still charges',
  )
})

t.test('arming: the next calls of this merchant, optionally one operation', async (t) => {
  const app = await build(t)
  t.same(
    (
      await call(app, 'POST', '/_mock/scenarios/arm', {
        name: 'service-unavailable',
        times: 2,
        operation: 'readCustomerToken',
      })
    ).json(),
    { name: 'service-unavailable', times: 2, operation: 'readCustomerToken' },
  )
  t.equal(
    (await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, { user: 'merchant-b' })).statusCode,
    404,
    'other merchants are not affected',
  )
  t.equal(
    (await call(app, 'POST', '/payments/v1/sessions', gbSession())).statusCode,
    200,
    'other operations are not affected',
  )
  const first = await call(app, 'GET', '/customer-token/v1/tokens/x')
  t.equal(first.statusCode, 503)
  t.equal(first.headers['klarna-mock-scenario-applied'], 'service-unavailable')
  t.equal((await call(app, 'GET', '/customer-token/v1/tokens/x')).statusCode, 503)
  t.equal((await call(app, 'GET', '/customer-token/v1/tokens/x')).statusCode, 404, 'used up')
  await call(app, 'POST', '/_mock/scenarios/arm', { name: 'order-pending' })
  const { authorization_token: auth } = await mint(app, {
    purchase_country: 'GB',
    intent: 'buy',
    order_amount: 10000,
    order_tax_amount: 2000,
    order_lines: gbSession().order_lines,
  })
  const order = await call(app, 'POST', `/payments/v1/authorizations/${auth}/order`, gbOrder())
  t.equal(order.json().fraud_status, 'PENDING', 'armed without an operation: the next call it applies to')
  t.same(errorOf(await call(app, 'POST', '/_mock/scenarios/arm', { name: 'nope' })).code, 'BAD_REQUEST')
  t.match(
    errorOf(
      await call(app, 'POST', '/_mock/scenarios/arm', {
        name: 'token-cancelled',
        operation: 'purchaseToken',
      }),
    ).messages[0],
    /does not apply to purchaseToken/,
  )
  t.match(
    errorOf(await call(app, 'POST', '/_mock/scenarios/arm', { name: 'token-cancelled', operation: 'fly' }))
      .messages[0],
    /Unknown operation "fly"/,
  )
})

t.test('sequences and times: fail, then behave normally', async (t) => {
  const app = await build(t)
  const h = { headers: { 'klarna-mock-scenario': 'service-unavailable-twice' } }
  const codes = []
  for (let i = 0; i < 4; i++) {
    codes.push((await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, h)).statusCode)
  }
  t.same(codes, [503, 503, 404, 404])
  const once = { headers: { 'klarna-mock-scenario': 'internal-error-once' } }
  t.equal((await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, once)).statusCode, 500)
  t.equal((await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, once)).statusCode, 404)
  await call(app, 'POST', '/_mock/reset')
  t.equal(
    (await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, once)).statusCode,
    500,
    'reset starts sequences again',
  )
})

t.test('a scenario can stick to a minted authorization token', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app, { scenario: 'not-matching-fields' })
  const res = await createCustomerToken(app, auth)
  t.same(errorOf(res), {
    status: 409,
    code: 'BAD_VALUE',
    messages: ['Not matching fields: [billing_address.postal_code]'],
  })
  t.equal(res.headers['klarna-mock-scenario-applied'], 'not-matching-fields')
  t.equal((await createCustomerToken(app, auth)).statusCode, 409, 'every call with that token')
  t.equal(
    (await call(app, 'DELETE', `/payments/v1/authorizations/${auth}`)).statusCode,
    204,
    'operations it does not apply to behave normally',
  )
  t.same(errorOf(await call(app, 'POST', '/_mock/authorizations', { scenario: 'nope' })).code, 'BAD_REQUEST')
  // A scenario that can never play on a call made with the token is refused, not silently kept.
  const never = await call(app, 'POST', '/_mock/authorizations', { scenario: 'token-suspended' })
  t.equal(never.statusCode, 400)
  t.match(
    never.json().error_messages[0],
    /^Scenario "token-suspended" applies to createTokenOrder.*never to a call made with an authorization token/,
  )
})

t.test('broken scenario files stop start-up naming the file and the field', async (t) => {
  const dir = t.testdir()
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }
  t.throws(
    () =>
      parseScenario(
        write(
          'a.yaml',
          'name: a\ndescription: x\napplies_to: [createOrder]\nerror: {status: 200, error_code: X, error_messages: []}\n',
        ),
        'name: a\ndescription: x\napplies_to: [createOrder]\nerror: {status: 200, error_code: X, error_messages: []}\n',
      ),
    /a\.yaml: error\.status: Expected integer to be greater or equal to 400/,
  )
  t.throws(() => parseScenario('b.json', '{"name": "b"'), /b\.json: not valid JSON/)
  t.throws(
    () => parseScenario('e.yaml', 'name: [oops\n'),
    {
      message:
        'e.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1: name: [oops',
    },
    'the YAML error names the line it is about',
  )
  t.throws(
    () => parseScenario('c.yaml', 'name: c\ndescription: x\napplies_to: [fly]\nfault: {kind: drop}\n'),
    /c\.yaml: applies_to: unknown operation "fly"/,
  )
  t.throws(
    () => parseScenario('d.yaml', 'name: d\ndescription: x\napplies_to: ["*"]\n'),
    /d\.yaml: needs exactly one of error, success, fault, sequence/,
  )
  t.throws(
    () =>
      parseScenario(
        'e.yaml',
        'name: e\ndescription: x\napplies_to: ["*"]\nfault: {kind: drop}\ncolour: red\n',
      ),
    /e\.yaml: (colour|\(root\))/,
  )
  await t.rejects(build(t, { scenarioDirs: [dir] }), /a\.yaml: error\.status/, 'the app refuses to build')
  // A folder of its own (a second t.testdir() would empty the first).
  const other = join(dir, 'sub')
  mkdirSync(other)
  writeFileSync(
    join(other, 'f.yaml'),
    'name: not-f\ndescription: x\napplies_to: ["*"]\nfault: {kind: drop}\n',
  )
  t.throws(() => loadScenarios([other]), {
    name: 'ScenarioFileError',
    message: /f\.yaml: name "not-f" must match the file name/,
  })
})

t.test("a user's folder adds scenarios and replaces shipped ones by name", async (t) => {
  const dir = t.testdir()
  writeFileSync(
    join(dir, 'token-cancelled.yaml'),
    'name: token-cancelled\ndescription: ours\napplies_to: [createTokenOrder, readCustomerToken]\nerror: {status: 403, error_code: TOKEN_CANCELED, error_messages: ["Token canceled"]}\n',
  )
  writeFileSync(
    join(dir, 'teapot.json'),
    JSON.stringify({
      name: 'teapot',
      description: 'brews',
      applies_to: ['*'],
      error: { status: 418, error_code: 'TEAPOT', error_messages: ['short and stout'] },
    }),
  )
  const app = await build(t, { scenarioDirs: [dir] })
  const ours = errorOf(
    await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
      headers: { 'klarna-mock-scenario': 'token-cancelled' },
    }),
  )
  t.same(ours, { status: 403, code: 'TOKEN_CANCELED', messages: ['Token canceled'] })
  t.equal(
    errorOf(
      await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
        headers: { 'klarna-mock-scenario': 'teapot' },
      }),
    ).status,
    418,
  )
})

t.test('an app built again reads a scenario file whose text changed since the last build', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'teapot.yaml')
  const write = (status: number) =>
    writeFileSync(
      file,
      `name: teapot\ndescription: brews\napplies_to: ['*']\nerror: {status: ${status}, error_code: TEAPOT, error_messages: [stout]}\n`,
    )
  const statusWith = async (app: Awaited<ReturnType<typeof build>>) =>
    errorOf(
      await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
        headers: { 'klarna-mock-scenario': 'teapot' },
      }),
    ).status
  write(418)
  t.equal(await statusWith(await build(t, { scenarioDirs: [dir] })), 418)
  t.equal(await statusWith(await build(t, { scenarioDirs: [dir] })), 418, 'unchanged: the same')
  write(503)
  t.equal(await statusWith(await build(t, { scenarioDirs: [dir] })), 503, 'changed: the new text')
  writeFileSync(file, 'name: teapot\n')
  await t.rejects(build(t, { scenarioDirs: [dir] }), /teapot\.yaml/, 'broken now: refused, not the old one')
})

t.test(
  'the shipped files come parsed from the build, each exactly as parsing its text gives it',
  async (t) => {
    const table = JSON.parse(readFileSync(prebuiltScenariosFile, 'utf8')) as Record<string, { name: string }>
    t.equal(Object.keys(table).length, files.length, 'one entry per shipped file')
    t.same(
      Object.keys(table).sort(),
      Object.keys(parsedAtBuild(scenariosDir)).sort(),
      'keyed by the texts as they are now, as a start looks them up (the next test: parsedAtBuild keys as loadScenarios reads)',
    )
    for (const name of files) {
      const file = join(scenariosDir, name)
      const parsed = parseScenario(file, readFileSync(file, 'utf8'))
      const { file: _, ...rest } = parsed
      t.same(
        Object.values(table).find((entry) => entry.name === parsed.name),
        rest,
        `${name}: the build's entry is what the parser makes of it`,
      )
    }
  },
)

t.test('a start-up takes a file from the build only when its text is the one the build parsed', async (t) => {
  const text = `name: teapot\ndescription: brews\napplies_to: ['*']\nerror: {status: 418, error_code: TEAPOT, error_messages: [stout]}\n`
  // Each folder holds one file: a file already read is kept by its path (the test above).
  const root = t.testdir({
    built: { 'teapot.yaml': text },
    same: { 'teapot.yaml': text },
    edited: { 'teapot.yaml': text.replace('brews', 'brews tea') },
    json: {
      'teapot.json': JSON.stringify({
        name: 'teapot',
        description: 'as JSON',
        applies_to: ['*'],
        fault: { kind: 'drop' },
      }),
    },
    nowhere: { 'teapot.yaml': text },
    unreadable: { 'teapot.yaml': text },
  })
  const table = parsedAtBuild(join(root, 'built'))
  for (const entry of Object.values(table)) entry.description = 'from the build'
  writeFileSync(join(root, 'scenarios.json'), JSON.stringify(table))
  usePrebuiltScenarios(join(root, 'scenarios.json'))
  t.teardown(() => usePrebuiltScenarios(prebuiltScenariosFile))
  const read = (dir: string) => loadScenarios([join(root, dir)]).get('teapot')

  t.equal(read('same')?.description, 'from the build', "the same text: the build's entry, not parsed again")
  t.equal(read('same')?.file, join(root, 'same', 'teapot.yaml'), 'named by the file it was read from')
  t.equal(read('edited')?.description, 'brews tea', 'another text: parsed')
  t.equal(read('json')?.description, 'as JSON')
  usePrebuiltScenarios(undefined)
  t.equal(read('nowhere')?.description, 'brews', 'no table: everything is parsed')
  usePrebuiltScenarios(join(root, 'missing.json'))
  t.equal(read('unreadable')?.description, 'brews', 'a table that cannot be read: parsed')
})

t.test('a success variant places the order so: an idempotent replay answers the same', async (t) => {
  const app = await build(t)
  const { authorization_token: auth } = await mint(app)
  const token = (await createCustomerToken(app, auth)).json().token_id as string
  const key = { 'klarna-idempotency-key': 'pending-1' }
  const first = await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
    headers: { ...key, 'klarna-mock-scenario': 'order-pending' },
  })
  t.equal(first.json().fraud_status, 'PENDING')
  t.equal(first.headers['klarna-mock-scenario-applied'], 'order-pending')
  const replay = await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
    headers: key,
  })
  t.same(replay.json(), first.json())
  const order = app.domain.store.merchant('merchant-a').orders.get(first.json().order_id as string)
  t.equal(order?.response.fraud_status, 'PENDING', 'the stored order is pending too')
})

t.test('every shipped scenario file does what it advertises, over a real socket', async (t) => {
  const { port, app } = shippedServer
  for (const file of files) {
    const name = file.replace(/\.(ya?ml|json)$/, '')
    const scenario = shipped.get(name)
    if (scenario === undefined) throw new Error(`${file} not loaded`)
    await t.test(name, async (t) => {
      await call(app, 'POST', '/_mock/reset')
      const op = scenario.appliesTo[0] ?? ''
      let [method, path] = requests[op] ?? ['GET', '/']
      let body = '{}'
      const steps = scenario.repeat ? [scenario.steps[0]] : scenario.steps
      if (steps.some((s) => s?.success !== undefined)) {
        // A success variant needs a call that succeeds: a real token and a valid order.
        const { authorization_token: auth } = await mint(app)
        const token = (await createCustomerToken(app, auth)).json().token_id as string
        ;[method, path] = ['POST', `/customer-token/v1/tokens/${token}/order`]
        body = JSON.stringify(seTokenOrder())
      }
      for (const [i, step] of steps.entries()) {
        const seen = await (held.get(name) ??
          attempt(port, method, path, headers(name), body, clientWaitMs(step)))
        const label = `${name} step ${i} (${method} ${path})`
        if (step?.error !== undefined) {
          t.equal(seen.kind, 'answer', label)
          if (seen.kind !== 'answer') continue
          t.equal(seen.status, step.error.status, label)
          t.equal(seen.applied, name, label)
          if (seen.status === 401 && seen.body.startsWith('<html>')) {
            t.match(seen.body, /401 Authorization Required/, `${label}: the recorded 401 page`)
            continue
          }
          const answer = JSON.parse(seen.body)
          t.equal(answer.error_code, step.error.error_code, label)
          // Placeholders ({purchase_country}, {fields}, …) are filled from the request.
          t.match(
            answer.error_messages,
            step.error.error_messages.map(
              (m) => new RegExp(`^${m.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z_]+\}/g, '.+')}$`),
            ),
            label,
          )
          for (const field of [
            'fraud_status',
            'reason',
            'authorized_payment_method',
            'step_up_id',
          ] as const) {
            if (step.error[field] !== undefined) {
              t.ok(
                answer[field] !== undefined && !String(answer[field]).includes('{'),
                `${label}: ${field} filled`,
              )
            }
          }
        } else if (step?.success !== undefined) {
          t.equal(seen.kind === 'answer' && seen.status, 200, label)
          if (seen.kind === 'answer') t.match(JSON.parse(seen.body), step.success.body, label)
        } else if (step?.fault?.kind === 'delay') {
          t.equal(seen.kind, 'answer', label)
          t.ok(seen.ms >= step.fault.ms, `${label}: answered after ${seen.ms} ms`)
          if (seen.kind === 'answer') t.equal(seen.applied, name)
        } else if (step?.fault?.kind === 'timeout') {
          t.equal(seen.kind, 'timeout', `${label}: the client gave up after ${seen.ms} ms`)
        } else if (step?.fault?.kind === 'drop') {
          t.equal(seen.kind, 'dropped', label)
        } else {
          t.equal(seen.kind === 'answer' && seen.applied, undefined, `${label}: behaves normally`)
        }
      }
    })
  }
  const health = await raw(port, 'GET', '/_mock/health', {})
  t.equal(health.status, 200, 'the server kept serving through every fault')
})
