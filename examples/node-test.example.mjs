// A merchant's test with node:test and klarna-mock as a library: `node --test examples/`
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startMock } from 'klarna-mock'

let mock
before(async () => {
  mock = await startMock()
})
after(async () => {
  await mock.close()
})

const auth = 'Basic ' + Buffer.from('merchant:secret').toString('base64')
const post = (path, body) =>
  fetch(mock.url + path, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

test('an authorization expires after 60 minutes', async () => {
  const { authorization_token: token } = mock.authorize({ purchase_country: 'GB' })
  mock.advanceClock(3601)
  const res = await post(`/payments/v1/authorizations/${token}/customer-token`, {
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    description: 'Subscription',
    intended_use: 'SUBSCRIPTION',
  })
  assert.equal(res.status, 404)
  assert.equal((await res.json()).error_code, 'NOT_FOUND')
})

test('a customer token is created and charged', async () => {
  mock.reset()
  const { authorization_token: token } = mock.authorize({ purchase_country: 'GB' })
  const created = await post(`/payments/v1/authorizations/${token}/customer-token`, {
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    description: 'Subscription',
    intended_use: 'SUBSCRIPTION',
  })
  const { token_id: tokenId } = await created.json()
  const order = await post(`/customer-token/v1/tokens/${tokenId}/order`, {
    purchase_currency: 'GBP',
    order_amount: 1000,
    order_tax_amount: 0,
    order_lines: [{ name: 'Monthly box', quantity: 1, unit_price: 1000, total_amount: 1000 }],
  })
  assert.equal(order.status, 200)
  assert.equal((await order.json()).fraud_status, 'ACCEPTED')
})
