// Memory of stored objects: RSS above idle after 100,000 customer tokens and 100,000 more unused
// authorizations, made in-process through the same domain calls the routes make. `npm run bench:memory`
// (BENCH_OBJECTS changes the count). Run with --expose-gc.
import { startMock } from '../dist/index.js'
import { createCustomerToken } from '../dist/domain/tokenize.js'

const n = Number(process.env.BENCH_OBJECTS ?? 100000)
const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`
const mock = await startMock({ journalLimit: 1000 })
const d = mock.app.domain
global.gc?.()
global.gc?.()
const idle = process.memoryUsage()
const body = {
  purchase_country: 'SE',
  purchase_currency: 'SEK',
  locale: 'sv-SE',
  description: 'bench',
  intended_use: 'SUBSCRIPTION',
}
for (let i = 0; i < n; i++) {
  const { authorization_token: token } = mock.authorize({ merchant: 'bench' })
  createCustomerToken(d, 'bench', token, body, 'http://127.0.0.1:4545')
}
for (let i = 0; i < n; i++) mock.authorize({ merchant: 'bench' })
global.gc?.()
global.gc?.()
const full = process.memoryUsage()
const state = d.store.merchant('bench')
const objects = state.sessions.size + state.authorizations.size + state.tokens.size
console.log(
  `${n} customer tokens and ${n} unused authorizations: ${state.sessions.size} sessions, ${state.authorizations.size} authorizations, ${state.tokens.size} tokens`,
)
console.log(
  `rss ${mb(idle.rss)} idle -> ${mb(full.rss)} (+${mb(full.rss - idle.rss)}), heap used +${mb(full.heapUsed - idle.heapUsed)}, ` +
    `${Math.round((full.rss - idle.rss) / objects)} bytes of RSS per stored object (${objects} objects)`,
)
await mock.close()
