// Speed and memory of klarna-mock, measured (not asserted): `npm run bench`.
// Starts the compiled mock in this process on loopback and drives it with autocannon (the
// Fastify team's HTTP benchmarking library) for a bounded time per case. BENCH_SECONDS (default 5)
// and BENCH_CONNECTIONS (default 10) tune it. Traffic goes to 127.0.0.1 only.
import autocannon from 'autocannon'
import { startMock } from '../dist/index.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const auth = 'Basic ' + Buffer.from('bench:secret').toString('base64')
const headers = { authorization: auth, 'content-type': 'application/json' }
const mb = n => `${(n / 1024 / 1024).toFixed(1)} MB`

const mock = await startMock({ journalLimit: 1000 })
const tokenBody = JSON.stringify({ purchase_country: 'SE', purchase_currency: 'SEK', locale: 'sv-SE', description: 'bench', intended_use: 'SUBSCRIPTION' })
const orderBody = JSON.stringify({
  purchase_currency: 'SEK', order_amount: 9900, order_tax_amount: 1980,
  order_lines: [{ name: 'Monthly box', quantity: 1, unit_price: 9900, tax_rate: 2500, total_amount: 9900, total_tax_amount: 1980 }]
})

function run (title, { path = '/', ...opts }) {
  return new Promise((resolve, reject) => {
    autocannon({ url: mock.url + path, connections, duration: seconds, headers, ...opts }, (err, result) => err ? reject(err) : resolve({ title, result }))
  })
}

function report ({ title, result }) {
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([c, v]) => `${c}×${v.count}`).join(' ')
  console.log(`${title.padEnd(44)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ${codes}  errors ${result.errors + result.timeouts}`)
}

global.gc?.()
const before = process.memoryUsage()
console.log(`klarna-mock benchmark: ${seconds}s per case, ${connections} connections, node ${process.version}`)

// A pool of fresh authorizations, each used once by the customer-token case.
const pool = Array.from({ length: 200000 }, () => null)
let minted = 0
const nextToken = () => {
  if (pool[minted] === null) pool[minted] = mock.authorize({ merchant: 'bench' }).authorization_token
  return pool[minted++]
}
report(await run('POST /_mock/authorizations (mint)', { method: 'POST', path: '/_mock/authorizations', body: '{}' }))
report(await run('POST …/customer-token (fresh token each)', {
  method: 'POST',
  requests: [{ setupRequest: req => ({ ...req, path: `/payments/v1/authorizations/${nextToken()}/customer-token`, body: tokenBody }) }]
}))
const token = await (await fetch(`${mock.url}/payments/v1/authorizations/${mock.authorize({ merchant: 'bench' }).authorization_token}/customer-token`, { method: 'POST', headers, body: tokenBody })).json()
report(await run('GET /customer-token/v1/tokens/{t}', { method: 'GET', path: `/customer-token/v1/tokens/${token.token_id}` }))
report(await run('POST /customer-token/v1/tokens/{t}/order', { method: 'POST', path: `/customer-token/v1/tokens/${token.token_id}/order`, body: orderBody }))
report(await run('GET /customer-token/v1/tokens/{t} + scenario', { method: 'GET', path: `/customer-token/v1/tokens/${token.token_id}`, headers: { ...headers, 'klarna-mock-scenario': 'service-unavailable' } }))

global.gc?.()
const after = process.memoryUsage()
const state = mock.app.domain.store.merchant('bench')
console.log(`state: ${state.sessions.size} sessions, ${state.authorizations.size} authorizations, ${state.tokens.size} tokens, ${state.orders.size} orders`)
console.log(`memory: rss ${mb(before.rss)} -> ${mb(after.rss)}, heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}` +
  (state.orders.size + state.tokens.size > 0 ? `, ~${Math.round((after.heapUsed - before.heapUsed) / (state.sessions.size + state.tokens.size + state.orders.size))} bytes per stored object` : ''))
await mock.close()
