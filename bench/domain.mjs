// The domain's part of the two measured calls, alone in a loop: µs per createCustomerToken (one
// fresh authorization each) and per readToken, through the same domain calls the routes and the
// fast lane make, with no HTTP. `npm run bench:domain` (BENCH_OBJECTS authorizations a round,
// 60,000 by default; BENCH_ROUNDS rounds, 5 by default; the median is the figure).
//
// Two figures per call. "Warm": back to back, everything the call touches stays in the CPU's
// caches. "Cold": each call after 4 MB of other memory has been written (the cache's contents
// evicted, as between two requests of a server under load, where the HTTP stack runs in between);
// the time of the eviction itself is not counted. The cold figure is the one that predicts the
// server: under load a creation's domain part costs about what it costs cold, three to four times
// its warm figure (docs/performance.md, tenth pass), because each step (a hash-table probe, a
// crypto call, a Buffer conversion, a JSON.stringify) then starts from memory.
//
// Not a figure of issue #16's table (those are ratios to bare Fastify in the same run: bench/run.mjs)
// but the way to see a change in the domain on a noisy host, where a whole-server comparison moves
// by ±15 % from one run to the next.
import { startMock } from '../dist/index.js'
import { createCustomerToken } from '../dist/domain/tokenize.js'
import { readToken } from '../dist/domain/tokens.js'
import { median, tokenBody } from './lib.mjs'

const n = Number(process.env.BENCH_OBJECTS ?? 60000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const mock = await startMock({ journalLimit: 1000 })
const domain = mock.app.domain
const body = JSON.parse(tokenBody)

/** Memory written between two cold calls: larger than the machine's per-core caches. */
const other = new Uint8Array(4 << 20)
let written = 0
function evict() {
  for (let i = 0; i < other.length; i += 64) written += other[i]++
}

/** µs per call of `call(i)` for i below `count`, warm (back to back) or cold (each after evict()). */
function timed(count, cold, call) {
  if (!cold) {
    const t0 = performance.now()
    for (let i = 0; i < count; i++) call(i)
    return ((performance.now() - t0) * 1000) / count
  }
  let total = 0
  for (let i = 0; i < count; i++) {
    evict()
    const t0 = performance.now()
    call(i)
    total += performance.now() - t0
  }
  return (total * 1000) / count
}

const figures = { created: [], read: [], createdCold: [], readCold: [] }
for (let round = 0; round < rounds; round++) {
  const pool = Array.from({ length: n }, () => mock.authorize({ merchant: 'bench' }).authorization_token)
  const tokens = new Array(n)
  const create = (i) => {
    tokens[i] = createCustomerToken(domain, 'bench', pool[i], { ...body }, 'http://127.0.0.1:4545').token_id
  }
  const read = (i) => readToken(domain, 'bench', tokens[i])
  // The cold rounds take a tenth of the authorizations: each eviction costs about a millisecond.
  const coldCount = Math.ceil(n / 10)
  figures.createdCold.push(timed(coldCount, true, create))
  figures.created.push(timed(n - coldCount, false, (i) => create(i + coldCount)))
  figures.read.push(timed(n, false, read))
  figures.readCold.push(timed(coldCount, true, read))
}
const fmt = (xs) => `${median(xs).toFixed(2)} µs (rounds: ${xs.map((x) => x.toFixed(2)).join(', ')})`
console.log(`node ${process.version}, ${n} authorizations a round, ${rounds} rounds, the median:`)
console.log(`  customer-token creation, warm  ${fmt(figures.created)}`)
console.log(`  customer-token creation, cold  ${fmt(figures.createdCold)}`)
console.log(`  token read, warm               ${fmt(figures.read)}`)
console.log(`  token read, cold               ${fmt(figures.readCold)}`)
if (written < 0) console.log('') // keeps the eviction's writes from being optimized away
await mock.close()
