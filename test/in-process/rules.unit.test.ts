import t from 'tap'
import { differingFields } from '../../dist/domain/canonical.js'
import { outcomeForEmail } from '../../dist/domain/playground.js'
import { amountProblems } from '../../dist/domain/rules.js'
import { buildApp } from '../../dist/app.js'
import { basic, tokenRequest } from '../helpers/app.js'

/**
 * Klarna's pure rules, table-driven and in-process (no HTTP): each row is one case a reader can
 * check against Klarna's docs. The black-box tests show the same rules through the API.
 */

const line = (over: Record<string, unknown> = {}) => ({
  name: 'x',
  quantity: 2,
  unit_price: 500,
  tax_rate: 2500,
  total_amount: 1000,
  total_tax_amount: 200,
  ...over,
})

t.test('amountProblems', async (t) => {
  const rows: Array<[string, Parameters<typeof amountProblems>[0], boolean, string[]]> = [
    ['a consistent order', { order_amount: 1000, order_tax_amount: 200, order_lines: [line()] }, false, []],
    [
      'line total ≠ quantity × unit price − discount',
      { order_amount: 999, order_lines: [line({ total_amount: 999 })] },
      false,
      ['order_lines[0].total_amount'],
    ],
    [
      'a discount counts',
      {
        order_amount: 900,
        order_lines: [line({ total_discount_amount: 100, total_amount: 900, total_tax_amount: 180 })],
      },
      false,
      [],
    ],
    [
      'line tax off by 1 is within tolerance',
      { order_amount: 1000, order_lines: [line({ total_tax_amount: 201 })] },
      false,
      [],
    ],
    [
      'line tax off by 2 is not',
      { order_amount: 1000, order_lines: [line({ total_tax_amount: 202 })] },
      false,
      ['order_lines[0].total_tax_amount'],
    ],
    ['order amount ≠ sum of lines', { order_amount: 1001, order_lines: [line()] }, false, ['order_amount']],
    [
      'zero amount refused where not allowed',
      { order_amount: 0, order_lines: [line({ quantity: 0, total_amount: 0, total_tax_amount: 0 })] },
      false,
      ['order_amount'],
    ],
    [
      'zero amount allowed for a token-only session',
      { order_amount: 0, order_lines: [line({ quantity: 0, total_amount: 0, total_tax_amount: 0 })] },
      true,
      [],
    ],
    [
      'order tax ≠ sum of line taxes beyond ±1 per line',
      { order_amount: 1000, order_tax_amount: 203, order_lines: [line()] },
      false,
      ['order_tax_amount'],
    ],
    [
      'US sales_tax line: other lines carry no tax',
      {
        order_amount: 1080,
        order_tax_amount: 80,
        order_lines: [
          line({ tax_rate: 0, total_tax_amount: 0 }),
          { type: 'sales_tax', quantity: 1, unit_price: 80, total_amount: 80 },
        ],
      },
      false,
      [],
    ],
    [
      'US sales_tax line with tax on another line',
      {
        order_amount: 1080,
        order_lines: [line(), { type: 'sales_tax', quantity: 1, unit_price: 80, total_amount: 80 }],
      },
      false,
      ['order_lines[0].total_tax_amount'],
    ],
  ]
  for (const [what, order, allowZero, expected] of rows) {
    t.same(amountProblems(order, { allowZero }), expected, what)
  }
})

t.test('outcomeForEmail: Klarna playground test data', async (t) => {
  const rows: Array<[string | undefined, ReturnType<typeof outcomeForEmail>]> = [
    [undefined, { kind: 'approved', fraudStatus: 'ACCEPTED' }],
    ['customer@email.se', { kind: 'approved', fraudStatus: 'ACCEPTED' }],
    ['customer+denied@email.se', { kind: 'rejected', reason: 'denied' }],
    ['CUSTOMER+DENIED@email.se', { kind: 'rejected', reason: 'denied' }],
    ['customer+reject_reason_fraud@email.us', { kind: 'rejected', reason: 'fraud' }],
    [
      'customer+pend-accept-05@email.uk',
      { kind: 'approved', fraudStatus: 'PENDING', resolvesTo: 'ACCEPTED', pendingMinutes: 5 },
    ],
    [
      'customer+pend-reject-30@email.uk',
      { kind: 'approved', fraudStatus: 'PENDING', resolvesTo: 'REJECTED', pendingMinutes: 30 },
    ],
    ['customer+pend-accept-5@email.uk', { kind: 'approved', fraudStatus: 'ACCEPTED' }],
    [
      'customer+auth_otp_email@email.se',
      { kind: 'approved', fraudStatus: 'ACCEPTED', stepUp: 'auth_otp_email' },
    ],
    ['denied@email.se', { kind: 'approved', fraudStatus: 'ACCEPTED' }],
  ]
  for (const [email, expected] of rows) t.same(outcomeForEmail(email), expected, String(email))
})

t.test('differingFields: what a later call may not change', async (t) => {
  const rows: Array<[string, unknown, unknown, string[]]> = [
    ['not sent: nothing differs', { a: 1 }, undefined, []],
    ['same scalar', 'SE', 'SE', []],
    ['different scalar', 'SE', 'NO', ['x']],
    [
      'nested objects name the leaf',
      { city: 'Oslo', zip: '0150' },
      { city: 'Bergen', zip: '0150' },
      ['x.city'],
    ],
    ['only the fields sent are compared', { city: 'Oslo', zip: '0150' }, { zip: '0150' }, []],
    ['arrays compare whole', [1, 2], [1, 3], ['x']],
  ]
  for (const [what, authorized, requested, expected] of rows) {
    t.same(differingFields('x', authorized, requested), expected, what)
  }
})

t.test('the 60-minute boundary: valid at 3600 s, gone at 3600 s + 1 ms', async (t) => {
  let now = Date.UTC(2030, 0, 1)
  const app = await buildApp({ now: () => now })
  t.teardown(() => app.close())
  const headers = { authorization: basic('edge', 'pw'), 'content-type': 'application/json' }
  const token = async () =>
    (
      (await app.inject({ method: 'POST', url: '/_mock/authorizations', headers, payload: '{}' })).json() as {
        authorization_token: string
      }
    ).authorization_token
  const tokenBody = JSON.stringify(tokenRequest({ description: 'x' }))
  const use = async (t: string) =>
    (
      await app.inject({
        method: 'POST',
        url: `/payments/v1/authorizations/${t}/customer-token`,
        headers,
        payload: tokenBody,
      })
    ).statusCode
  const a = await token()
  now += 3600 * 1000
  t.equal(await use(a), 200, 'exactly 60 minutes later: still valid')
  const b = await token()
  now += 3600 * 1000 + 1
  t.equal(await use(b), 404, 'one millisecond past: expired')
})
