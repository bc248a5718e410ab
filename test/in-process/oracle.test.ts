import t from 'tap'
import { buildApp } from '../../dist/app.js'
import { call, createCustomerToken, mint } from '../helpers/app.js'
import { exceptions, watch } from '../helpers/oracle.js'

t.test('the OpenAPI oracle catches unknown fields, missing fields and wrong types', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  let tamper: (body: Record<string, unknown>) => void = () => {}
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || reply.statusCode !== 200 || !payload.startsWith('{')) return payload
    const body = JSON.parse(payload) as Record<string, unknown>
    tamper(body)
    return JSON.stringify(body)
  })
  const violations = watch(app)
  const { authorization_token: auth } = await mint(app)
  const tokenId = (await createCustomerToken(app, auth)).json().token_id as string
  t.same(violations, [], 'an untampered answer passes')
  for (const [name, fn] of [
    [
      'unknown field',
      (b: Record<string, unknown>) => {
        b.surprise = true
      },
    ],
    [
      'missing required field',
      (b: Record<string, unknown>) => {
        delete b.payment_method_type
      },
    ],
    [
      'wrong type',
      (b: Record<string, unknown>) => {
        b.status = 42
      },
    ],
  ] as const) {
    tamper = fn
    violations.length = 0
    await call(app, 'GET', `/customer-token/v1/tokens/${tokenId}`)
    t.equal(violations.length, 1, name)
  }
})

t.test('exceptions to the spec are recorded in one place, each with a reason', async (t) => {
  for (const [key, reason] of Object.entries(exceptions)) {
    t.ok(reason.length > 20, `${key}: a reason is given`)
  }
  // The mechanism: an exception forgives exactly the violation it names, and nothing else.
  const app = await buildApp()
  t.teardown(() => app.close())
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || reply.statusCode !== 200 || !payload.startsWith('{')) return payload
    return JSON.stringify({ ...(JSON.parse(payload) as Record<string, unknown>), forgiven: 1, unforgiven: 2 })
  })
  const violations = watch(app)
  const { authorization_token: auth } = await mint(app)
  const tokenId = (await createCustomerToken(app, auth)).json().token_id as string
  violations.length = 0
  exceptions['must NOT have additional properties (forgiven)'] = 'a test of the exception mechanism itself'
  t.teardown(() => {
    delete exceptions['must NOT have additional properties (forgiven)']
  })
  await call(app, 'GET', `/customer-token/v1/tokens/${tokenId}`)
  t.equal(violations.length, 1)
  t.same(
    violations[0]?.errors,
    [' must NOT have additional properties (unforgiven)'],
    'only the unlisted field is reported',
  )
})
