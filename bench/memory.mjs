// Memory of stored objects: RSS above idle after 100,000 customer tokens and 100,000 more unused
// authorizations, made in-process through the same domain calls the routes make. `npm run bench:memory`
// (BENCH_OBJECTS changes the count). Run with --expose-gc.
//
// Both figures are of an idle server: before the calls, and once it has settled after them
// (BENCH_SETTLE_SECONDS, 30 by default, sampled every second). With Node's default sizing, V8's
// young generation is still grown right after a burst of calls (about 25 MB on Node 20, whatever
// is kept) and given back after some seconds without work (its memory reducer); the figure right
// after is printed too.
//
// It runs under the Node flags the server runs with (`npm start`'s, scripts/node-flags.mjs), which
// hold the young generation at one size: its size is part of the RSS. Started without them, it
// runs itself again with them.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { serverNodeFlags, tokenBody } from './lib.mjs'

if (serverNodeFlags.some((flag) => !process.execArgv.includes(flag))) {
  const again = spawnSync(
    process.execPath,
    [...process.execArgv, ...serverNodeFlags, fileURLToPath(import.meta.url)],
    { stdio: 'inherit' },
  )
  process.exit(again.status ?? 1)
}
const { startMock } = await import('../dist/index.js')
const { createCustomerToken } = await import('../dist/domain/tokenize.js')

const n = Number(process.env.BENCH_OBJECTS ?? 100000)
const settle = Number(process.env.BENCH_SETTLE_SECONDS ?? 30)
const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`
/** A growth with its sign (a small count can leave the RSS lower than before). */
const grown = (x) => `${x < 0 ? '-' : '+'}${mb(Math.abs(x))}`
const mock = await startMock({ journalLimit: 1000 })
const d = mock.app.domain
const body = JSON.parse(tokenBody)
function measured() {
  global.gc?.()
  global.gc?.()
  return process.memoryUsage()
}

const idle = measured()
for (let i = 0; i < n; i++) {
  const { authorization_token: token } = mock.authorize({ merchant: 'bench' })
  createCustomerToken(d, 'bench', token, body, 'http://127.0.0.1:4545')
}
for (let i = 0; i < n; i++) mock.authorize({ merchant: 'bench' })
const after = measured()
let settled = after
for (let s = 0; s < settle; s++) {
  await new Promise((resolve) => setTimeout(resolve, 1000))
  settled = measured()
}
const state = d.store.merchant('bench')
const objects = state.sessions.size + state.authorizations.size + state.tokens.size
console.log(`node flags: ${process.execArgv.join(' ')}`)
console.log(
  `${n} customer tokens and ${n} unused authorizations: ${state.sessions.size} sessions, ${state.authorizations.size} authorizations, ${state.tokens.size} tokens`,
)
const above = (m) =>
  `${grown(m.rss - idle.rss)} (${Math.round((m.rss - idle.rss) / objects)} bytes per stored object)`
console.log(
  `rss ${mb(idle.rss)} idle -> ${mb(settled.rss)} idle again after ${settle} s: ${above(settled)}; right after the calls ${above(after)}`,
)
console.log(
  `heap used ${grown(settled.heapUsed - idle.heapUsed)}, array buffers ${grown(settled.arrayBuffers - idle.arrayBuffers)} (${objects} objects)`,
)
await mock.close()
