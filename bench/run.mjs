// Speed and memory of klarna-mock as ratios to bare Fastify and raw node:http measured in the same
// run (these machines are noisy: only a same-run ratio means anything). `npm run bench`:
//
//   npm run bench                      req/s, p50, p99 and start-up of the three servers, N runs
//   npm run bench -- --runs 3          the worst of three runs is the figure to quote
//   npm run bench -- --soak 600        RSS of the mock every 10 s under load that retains nothing
//   npm run bench -- --soak 600 --mixed   the same under mint, customer token and read at 900 req/s:
//                                      what it keeps, and the RSS it grew by per kept object
//   BENCH_SECONDS, BENCH_CONNECTIONS   per case (defaults 5 s, 50 connections)
//   BENCH_STARTS                       starts of each server a run, in turns, for the start-up's median (5)
//   BENCH_SLICES=1                     each turn's req/s on stderr, as it ends
//
// Each server runs in its own process pinned to core 0 (taskset, when the machine has it); the
// load generator (autocannon, the Fastify team's benchmarking library) runs here, pinned to core 1.
// The three are started together and loaded in turns of one second (measureAll()): the host's speed
// drifts over seconds, and servers measured one after another saw different hosts.
// Memory after 100,000 customer tokens and 100,000 unused authorizations: bench/memory.mjs, run by
// each run in a process of its own (on core 0), its settled figure quoted.
import autocannon from 'autocannon'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  canPin,
  connections,
  customerToken,
  headers,
  load,
  median,
  mint,
  mostPerSecond,
  percentile,
  pinLoadGenerator,
  seconds,
  serverNodeFlags,
  start,
  stop,
  tokenBody,
} from './lib.mjs'

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    soak: { type: 'string' },
    mixed: { type: 'boolean', default: false },
  },
})
// The load generator on core 1, the servers on core 0.
pinLoadGenerator(import.meta.url)

/** Unused authorizations the mock has for each creation turn: more than a turn can use. */
const turnReserve = Math.ceil((seconds / Math.max(1, Math.round(seconds))) * mostPerSecond)

/** A server started, with what its two cases send (a fresh authorization per creation for the mock). */
async function prepare(name) {
  const server = await start(name)
  let pool = ['x']
  let readToken = 'x'
  if (name === 'mock') {
    pool = await mint(server.url, turnReserve)
    readToken = await customerToken(server.url)
  }
  let next = 0
  // At least this many unused authorizations for each of the mock's creation turns (minted after
  // the turn before): a turn that ran out would answer cheap 400s (consumed) and flatter the mock.
  server.topUp = async () => {
    if (name !== 'mock' || pool.length - next >= turnReserve) return
    pool = [...pool.slice(next), ...(await mint(server.url, turnReserve - (pool.length - next)))]
    next = 0
  }
  server.cases = {
    create: [
      {
        method: 'POST',
        body: tokenBody,
        setupRequest: (req) => ({
          ...req,
          path: `/payments/v1/authorizations/${pool[Math.min(next++, pool.length - 1)]}/customer-token`,
        }),
      },
    ],
    read: [{ method: 'GET', path: `/customer-token/v1/tokens/${readToken}` }],
  }
  server.results = { create: { slices: [], latencies: [] }, read: { slices: [], latencies: [] } }
  return server
}

/**
 * One case's slices as one result: requests a second over all of them, percentiles over all of
 * their answers (a slice's own p99 would make one garbage collection's pause weigh five times).
 */
function combine({ slices, latencies }) {
  const total = slices.reduce((sum, r) => sum + r.requests.total, 0)
  const duration = slices.reduce((sum, r) => sum + r.duration, 0)
  const sorted = Float64Array.from(latencies).sort()
  return {
    requests: { average: total / duration },
    latency: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
    '2xx': slices.reduce((sum, r) => sum + r['2xx'], 0),
    non2xx: slices.reduce((sum, r) => sum + r.non2xx, 0),
  }
}

/**
 * The three servers measured in turns: each case is cut into one-second slices, and in each slice
 * every server takes its turn (the first one rotating), so that the host's speed, which drifts over
 * seconds on these machines, weighs on the three alike. Servers not under load are idle.
 */
async function measureAll() {
  const servers = []
  try {
    for (const name of ['raw', 'fastify', 'mock']) servers.push(await prepare(name))
    const slices = Math.max(1, Math.round(seconds))
    for (const kase of ['create', 'read']) {
      // A turn of each first, not counted: a server's first second under a load ran at a third to a
      // half of its later ones (the JIT compiling its code), and made the first slice weigh for it.
      for (const server of servers) {
        await load(server.url, server.cases[kase], { duration: seconds / slices })
        if (kase === 'create') await server.topUp()
      }
      for (let slice = 0; slice < slices; slice++) {
        for (let turn = 0; turn < servers.length; turn++) {
          const server = servers[(slice + turn) % servers.length]
          const result = server.results[kase]
          result.slices.push(
            await load(server.url, server.cases[kase], {
              duration: seconds / slices,
              latencies: result.latencies,
            }),
          )
          // After its turn, not before: minting just before a turn left the mock collecting the
          // garbage of tens of thousands of mints during it (its slices then ran at 11,000 to 26,000 a second).
          if (kase === 'create') await server.topUp()
          if (process.env.BENCH_SLICES) {
            console.error(kase, server.name, Math.round(result.slices.at(-1).requests.average))
          }
        }
      }
    }
  } finally {
    for (const server of servers) await stop(server)
  }
  const ok = (r) => r['2xx'] / Math.max(1, r['2xx'] + r.non2xx)
  const m = {}
  for (const server of servers) {
    const create = combine(server.results.create)
    const read = combine(server.results.read)
    m[server.name] = {
      name: server.name,
      create,
      read,
      createOk: ok(create),
      readOk: ok(read),
    }
  }
  return m
}

/**
 * Start-up, spawn to the first answer on the health route: each server started and stopped
 * `rounds` times, in turns (the first one rotating, as the loads are), the median of each's. One
 * start each, as the runs took until the twelfth pass, is one sample of a 250–500 ms event on a
 * host whose speed drifts: single runs gave 1.46 against 1.13–1.14 for the same build.
 */
async function startUps(rounds = Number(process.env.BENCH_STARTS ?? 5)) {
  const names = ['raw', 'fastify', 'mock']
  const times = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const server = await start(names[(round + turn) % names.length])
      times[server.name].push(server.startMs)
      await stop(server)
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]))
}

const fmt = (x, digits = 2) => x.toFixed(digits)
/** The RSS of process `pid`, in MB (Linux). */
const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
const rps = (r) => r.requests.average

async function oneRun(i) {
  const m = await measureAll()
  for (const [name, ms] of Object.entries(await startUps())) m[name].startMs = ms
  const f = m.fastify
  const k = m.mock
  console.log(
    `\nrun ${i + 1}: ${seconds}s per case in one-second turns, ${connections} connections, ${canPin ? 'server on core 0, load on core 1' : 'not pinned (no taskset or one core)'}, node ${process.version}, the mock run with ${serverNodeFlags.join(' ') || 'no Node flags'} (npm start's)`,
  )
  console.log('server    create req/s   p50   p99 | read req/s   p50   p99 | start ms (median)')
  for (const s of Object.values(m)) {
    console.log(
      `${s.name.padEnd(9)} ${String(Math.round(rps(s.create))).padStart(12)} ${fmt(s.create.latency.p50, 1).padStart(5)} ${fmt(s.create.latency.p99, 1).padStart(5)} | ` +
        `${String(Math.round(rps(s.read))).padStart(10)} ${fmt(s.read.latency.p50, 1).padStart(5)} ${fmt(s.read.latency.p99, 1).padStart(5)} | ${fmt(s.startMs, 0).padStart(8)}`,
    )
  }
  if (k.createOk < 0.99 || k.readOk < 0.99) {
    console.log(
      `warning: the mock answered non-2xx (create ${fmt(k.createOk * 100, 1)} % ok, read ${fmt(k.readOk * 100, 1)} % ok)`,
    )
  }
  const ratios = {
    'customer-token creation req/s ÷ bare Fastify': rps(k.create) / rps(f.create),
    'customer-token creation p99 ÷ bare Fastify p99':
      k.create.latency.p99 / Math.max(0.01, f.create.latency.p99),
    'token read req/s ÷ bare Fastify': rps(k.read) / rps(f.read),
    'start to first 200 on /_mock/health ÷ bare Fastify': k.startMs / f.startMs,
    'RSS above idle, 100,000 tokens + 100,000 authorizations (MB)': memoryMb(),
    'bare Fastify create req/s ÷ raw node:http': rps(f.create) / rps(m.raw.create),
  }
  for (const [what, x] of Object.entries(ratios)) {
    console.log(`  ${what.padEnd(62)} ${fmt(x)}${verdict(what, x)}`)
  }
  return ratios
}

/** Issue #16's goals, by the start of the figure's name. */
const goals = [
  ['customer-token creation req/s', (x) => x >= 0.7, '≥ 0.7'],
  ['customer-token creation p99', (x) => x <= 1.5, '≤ 1.5'],
  ['token read', (x) => x >= 0.9, '≥ 0.9'],
  ['start', (x) => x <= 1.3, '≤ 1.3'],
  ['RSS', (x) => x < 60, '< 60'],
]
function verdict(what, x) {
  const goal = goals.find(([start]) => what.startsWith(start))
  return goal === undefined ? '' : `   goal ${goal[2]}: ${goal[1](x) ? 'met' : 'not met'}`
}
const higherIsWorse = (what) => what.includes('p99') || what.includes('start') || what.includes('MB')

/** bench/memory.mjs in its own process: the RSS above idle once the server has settled, in MB. */
function memoryMb() {
  const out = execFileSync(
    canPin ? 'taskset' : process.execPath,
    [
      ...(canPin ? ['-c', '0', process.execPath] : []),
      // bench/memory.mjs runs itself again under the server's Node flags.
      '--expose-gc',
      new URL('memory.mjs', import.meta.url).pathname,
    ],
    { encoding: 'utf8' },
  )
  const figure = /idle again after \d+ s: \+?(-?[\d.]+) MB/.exec(out)
  if (figure === null) throw new Error(`bench/memory.mjs printed no figure:\n${out}`)
  return Number(figure[1])
}

/**
 * The server's RSS every 10 s, printed as taken, with what `also` adds to each sample (printed
 * too); `stop()` ends the sampling.
 */
function sampleRss(server, also = () => ({})) {
  const samples = []
  const timer = setInterval(() => {
    const sample = { rss: rssMb(server.child.pid), ...also() }
    samples.push(sample)
    const more = Object.entries(sample)
      .filter(([name]) => name !== 'rss')
      .map(([name, value]) => `, ${value} ${name} kept`)
      .join('')
    console.log(`${samples.length * 10}s rss ${fmt(sample.rss, 1)} MB${more}`)
  }, 10_000)
  return { samples, stop: () => clearInterval(timer) }
}

async function soak(total) {
  const server = await start('mock')
  const token = await customerToken(server.url)
  const order = JSON.stringify({
    purchase_currency: 'SEK',
    order_amount: 100,
    order_tax_amount: 0,
    order_lines: [
      { name: 'x', quantity: 1, unit_price: 100, tax_rate: 0, total_amount: 100, total_tax_amount: 0 },
    ],
  })
  // Requests that keep nothing by design: reads, one replayed idempotent order, 404s, a forced scenario.
  const requests = [
    { method: 'GET', path: `/customer-token/v1/tokens/${token}` },
    {
      method: 'POST',
      path: `/customer-token/v1/tokens/${token}/order`,
      body: order,
      headers: { ...headers, 'klarna-idempotency-key': 'soak' },
    },
    { method: 'GET', path: '/customer-token/v1/tokens/unknown' },
    {
      method: 'GET',
      path: `/customer-token/v1/tokens/${token}`,
      headers: { ...headers, 'klarna-mock-scenario': 'service-unavailable' },
    },
  ]
  const sampling = sampleRss(server)
  await load(server.url, requests, { duration: total })
  sampling.stop()
  await stop(server)
  const rss = sampling.samples.map((sample) => sample.rss)
  const first = median(rss.slice(0, 6))
  const last = median(rss.slice(-6))
  console.log(
    `soak ${total}s: first minute median ${fmt(first, 1)} MB, last minute median ${fmt(last, 1)} MB (${fmt((last / first - 1) * 100, 1)} %)`,
  )
}

/**
 * Issue #16's mixed soak: each connection mints an authorization (POST /_mock/authorizations: a
 * session and its authorization), makes a customer token of it, reads the token, over and over,
 * 900 requests a second in all. Everything made is kept (nothing expires in ten minutes), so the
 * RSS grows; the figure is its growth between the first and the last minute's medians per record
 * made between them (sessions, authorizations and tokens), against issue #16's 300 bytes.
 */
async function mixedSoak(total) {
  const server = await start('mock')
  let records = 0
  const requests = [
    {
      method: 'POST',
      path: '/_mock/authorizations',
      body: '{}',
      onResponse: (status, body, context) => {
        if (status === 200) {
          context.authorization = JSON.parse(body).authorization_token
          records += 2
        }
      },
    },
    {
      method: 'POST',
      body: tokenBody,
      setupRequest: (req, context) => ({
        ...req,
        path: `/payments/v1/authorizations/${context.authorization}/customer-token`,
      }),
      onResponse: (status, body, context) => {
        if (status === 200) {
          context.token = JSON.parse(body).token_id
          records += 1
        }
      },
    },
    {
      method: 'GET',
      setupRequest: (req, context) => ({ ...req, path: `/customer-token/v1/tokens/${context.token}` }),
    },
  ]
  const sampling = sampleRss(server, () => ({ records }))
  const samples = sampling.samples
  const result = await new Promise((resolve, reject) =>
    autocannon(
      { url: server.url, connections: 10, duration: total, headers, requests, overallRate: 900 },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  )
  sampling.stop()
  await stop(server)
  const window = (xs) => ({ rss: median(xs.map((x) => x.rss)), records: median(xs.map((x) => x.records)) })
  const first = window(samples.slice(0, 6))
  const last = window(samples.slice(-6))
  const perRecord = ((last.rss - first.rss) * 1024 * 1024) / Math.max(1, last.records - first.records)
  console.log(
    `mixed soak ${total}s, ${fmt(result.requests.average, 0)} req/s (${result.non2xx} not 2xx): first minute median ` +
      `${fmt(first.rss, 1)} MB with ${first.records} records, last minute median ${fmt(last.rss, 1)} MB with ` +
      `${last.records}: ${fmt(perRecord, 0)} bytes of RSS per record kept   goal ≤ 300: ${perRecord <= 300 ? 'met' : 'not met'}`,
  )
}

if (opts.soak !== undefined) {
  await (opts.mixed ? mixedSoak : soak)(Number(opts.soak))
} else {
  const all = []
  for (let i = 0; i < Number(opts.runs); i++) all.push(await oneRun(i))
  if (all.length > 1) {
    console.log(`\nworst of ${all.length} runs:`)
    for (const what of Object.keys(all[0])) {
      const xs = all.map((r) => r[what])
      const worst = higherIsWorse(what) ? Math.max(...xs) : Math.min(...xs)
      console.log(`  ${what.padEnd(62)} ${fmt(worst)}${verdict(what, worst)}`)
    }
  }
}
