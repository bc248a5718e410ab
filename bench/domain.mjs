// The domain's part of the two measured calls, alone in a loop: µs per createCustomerToken (one
// fresh authorization each) and per readToken, through the same domain calls the routes and the
// fast lane make, with no HTTP. `npm run bench:domain` (BENCH_OBJECTS authorizations a round,
// 60,000 by default; BENCH_ROUNDS rounds, 5 by default; the median is the figure).
//
// Not a figure of issue #16's table (those are ratios to bare Fastify in the same run: bench/run.mjs)
// but the way to see a change in the domain on a noisy host, where a whole-server comparison moves
// by ±15 % from one run to the next: under load each µs of this loop costs about three in the
// server (docs/performance.md, eighth pass).
import { startMock } from '../dist/index.js'
import { createCustomerToken } from '../dist/domain/tokenize.js'
import { readToken } from '../dist/domain/tokens.js'
import { tokenBody } from './lib.mjs'

const n = Number(process.env.BENCH_OBJECTS ?? 60000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const mock = await startMock({ journalLimit: 1000 })
const domain = mock.app.domain
const body = JSON.parse(tokenBody)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const created = []
const read = []
for (let round = 0; round < rounds; round++) {
  const pool = Array.from({ length: n }, () => mock.authorize({ merchant: 'bench' }).authorization_token)
  const tokens = new Array(n)
  let t0 = performance.now()
  for (let i = 0; i < n; i++) {
    tokens[i] = createCustomerToken(domain, 'bench', pool[i], { ...body }, 'http://127.0.0.1:4545').token_id
  }
  created.push(((performance.now() - t0) * 1000) / n)
  t0 = performance.now()
  for (let i = 0; i < n; i++) readToken(domain, 'bench', tokens[i])
  read.push(((performance.now() - t0) * 1000) / n)
}
const fmt = (xs) => `${median(xs).toFixed(2)} µs (rounds: ${xs.map((x) => x.toFixed(2)).join(', ')})`
console.log(`node ${process.version}, ${n} authorizations a round, ${rounds} rounds, the median:`)
console.log(`  customer-token creation  ${fmt(created)}`)
console.log(`  token read               ${fmt(read)}`)
await mock.close()
