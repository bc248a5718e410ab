import t from 'tap'
import { seTokenOrder } from '../helpers/data.js'
import { jsonHeaders as json, listen, tokenBody } from '../helpers/socket.js'

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { ...json, ...headers }, body })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function newToken(url: string): Promise<string> {
  const auth = (await post(`${url}/_mock/authorizations`, '{}')).body.authorization_token as string
  return (await post(`${url}/payments/v1/authorizations/${auth}/customer-token`, tokenBody)).body
    .token_id as string
}

t.test(
  'fifty concurrent customer-token requests with one authorization yield exactly one token',
  async (t) => {
    const { url } = await listen(t)
    const auth = (await post(`${url}/_mock/authorizations`, '{}')).body.authorization_token as string
    const results = await Promise.all(
      Array.from(
        { length: 50 },
        async () => await post(`${url}/payments/v1/authorizations/${auth}/customer-token`, tokenBody),
      ),
    )
    const ok = results.filter((r) => r.status === 200)
    t.equal(ok.length, 1, 'one success')
    t.equal(
      results.filter(
        (r) =>
          r.status === 403 && r.body.error_messages?.toString() === 'Authorization token already consumed',
      ).length,
      49,
      'the rest: already consumed',
    )
  },
)

t.test('concurrent token orders with one idempotency key yield one order', async (t) => {
  const { url } = await listen(t)
  const token = await newToken(url)
  const body = JSON.stringify(seTokenOrder())
  const results = await Promise.all(
    Array.from(
      { length: 30 },
      async () =>
        await post(`${url}/customer-token/v1/tokens/${token}/order`, body, {
          'klarna-idempotency-key': 'race-1',
        }),
    ),
  )
  t.same([...new Set(results.map((r) => r.status))], [200])
  t.equal(new Set(results.map((r) => r.body.order_id)).size, 1, 'every answer names the same order')
  const journal = (await (
    await fetch(`${url}/_mock/requests?path=/order`, { headers: json })
  ).json()) as unknown[]
  t.equal(journal.length, 30, 'all thirty reached the mock')
})

t.test('a cancel racing token orders leaves a consistent state', async (t) => {
  const { url } = await listen(t)
  for (let round = 0; round < 5; round++) {
    const token = await newToken(url)
    const body = JSON.stringify(seTokenOrder())
    const orders = Array.from({ length: 10 }, async (_, i) => ({
      at: i,
      ...(await post(`${url}/customer-token/v1/tokens/${token}/order`, body)),
    }))
    const cancel = fetch(`${url}/customer-token/v1/tokens/${token}/status`, {
      method: 'PATCH',
      headers: json,
      body: '{"status":"CANCELLED"}',
    }).then((r) => r.status)
    const [cancelled, ...results] = await Promise.all([cancel, ...orders])
    t.equal(cancelled, 202)
    for (const r of results) {
      t.ok(
        r.status === 200 || (r.status === 403 && r.body.error_code === 'TOKEN_CANCELLED'),
        `round ${round}: ${r.status}`,
      )
    }
    const read = (await (
      await fetch(`${url}/customer-token/v1/tokens/${token}`, { headers: json })
    ).json()) as { status: string }
    t.equal(read.status, 'CANCELLED')
    const after = await post(`${url}/customer-token/v1/tokens/${token}/order`, body)
    t.equal(after.body.error_code, 'TOKEN_CANCELLED', 'nothing charges after the cancel')
  }
})
