// Memory of stored objects: RSS above idle after 100,000 customer tokens and 100,000 more unused
// authorizations, made in-process through the same domain calls the routes make. `npm run bench:memory`
// (BENCH_OBJECTS changes the count). Run with --expose-gc.
//
// Two idles: "cold", the server just started, and "warmed", the same server after the same calls
// made once for a merchant reset every 1,000 objects (nothing kept). Making objects at this rate grows
// V8's young generation, and V8 keeps the pages it grew (about 20 MB on Node 20, whatever is kept:
// measured with --max-semi-space-size=1); the warmed idle has that growth too, so what is above it
// is what the kept objects cost. Both are printed.
import { startMock } from '../dist/index.js'
import { createCustomerToken } from '../dist/domain/tokenize.js'

const n = Number(process.env.BENCH_OBJECTS ?? 100000)
const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`
const mock = await startMock({ journalLimit: 1000 })
const d = mock.app.domain
const body = {
  purchase_country: 'SE',
  purchase_currency: 'SEK',
  locale: 'sv-SE',
  description: 'bench',
  intended_use: 'SUBSCRIPTION',
}
/** The calls measured; `forget` resets the merchant every 1,000 objects (the warm-up keeps nothing). */
function make(merchant, forget = false) {
  const step = (i) => {
    if (forget && i % 1000 === 0) mock.reset(merchant)
  }
  for (let i = 0; i < n; i++) {
    step(i)
    const { authorization_token: token } = mock.authorize({ merchant })
    createCustomerToken(d, merchant, token, body, 'http://127.0.0.1:4545')
  }
  for (let i = 0; i < n; i++) {
    step(i)
    mock.authorize({ merchant })
  }
  if (forget) mock.reset(merchant)
}
function settled() {
  global.gc?.()
  global.gc?.()
  return process.memoryUsage()
}

const cold = settled()
make('warm-up', true)
const warmed = settled()
make('bench')
const full = settled()
const state = d.store.merchant('bench')
const objects = state.sessions.size + state.authorizations.size + state.tokens.size
console.log(
  `${n} customer tokens and ${n} unused authorizations: ${state.sessions.size} sessions, ${state.authorizations.size} authorizations, ${state.tokens.size} tokens`,
)
const above = (idle) =>
  `+${mb(full.rss - idle.rss)} (${Math.round((full.rss - idle.rss) / objects)} bytes per stored object)`
console.log(
  `rss ${mb(full.rss)}: above the warmed idle (${mb(warmed.rss)}) ${above(warmed)}; above the cold idle (${mb(cold.rss)}) ${above(cold)}`,
)
console.log(
  `heap used +${mb(full.heapUsed - warmed.heapUsed)}, array buffers +${mb(full.arrayBuffers - warmed.arrayBuffers)} (${objects} objects)`,
)
await mock.close()
