// Two or more builds of the mock compared under load on a noisy host: every server (bare Fastify
// first, then each bundle given) runs at once on core 0, each loaded by its own autocannon for the
// same number of requests in each round, and each one's CPU time per request is read from /proc. A
// change of the host's speed then hits all of them alike, where runs one after another (bench/run.mjs)
// move by ±15 % between them. Prints per round and the medians, and bare Fastify's CPU ÷ each one's.
//
// Usage: node bench/side-by-side.mjs [--read] [--rounds 6] [--requests 4000] BUNDLE...
//   e.g. node bench/side-by-side.mjs /tmp/before/dist/klarna-mock.mjs dist/klarna-mock.mjs
// Linux only (/proc). Each bundle runs with --log-level silent from the repository's root, under the
// Node flags `npm start` gives the server (scripts/node-flags.mjs).
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  headers,
  load,
  median,
  mint,
  mockCommand,
  pinLoadGenerator,
  servers,
  start,
  stop,
  tokenBody,
} from './lib.mjs'

pinLoadGenerator(import.meta.url)
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    read: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '4000' },
  },
})
const rounds = Number(values.rounds)
const requests = Number(values.requests)
if (positionals.length === 0 || !(rounds > 0) || !(requests > 0)) {
  console.error('usage: node bench/side-by-side.mjs [--read] [--rounds N] [--requests N] BUNDLE...')
  process.exit(2)
}

/** CPU time (user + system) of a process, in µs (clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1e4
}

const all = []
try {
  for (const name of ['fastify', ...positionals]) {
    const server = await start(name, name === 'fastify' ? servers.fastify : mockCommand(name))
    // taskset runs the server in its own process (it execs): the child's pid is the server's.
    all.push({ ...server, pid: server.child.pid, cpu: [] })
  }
  for (const server of all) {
    // Bare Fastify answers any authorization; each mock gets a fresh one per creation (and a round to spare).
    const needed = values.read ? 1 : (rounds + 2) * requests
    const pool = server.name === 'fastify' ? ['x'] : await mint(server.url, needed)
    let next = 0
    let token = 'x'
    if (server.name !== 'fastify') {
      const made = await fetch(`${server.url}/payments/v1/authorizations/${pool.pop()}/customer-token`, {
        method: 'POST',
        headers,
        body: tokenBody,
      })
      token = (await made.json()).token_id
    }
    server.requests = () =>
      values.read
        ? [{ method: 'GET', path: `/customer-token/v1/tokens/${token}` }]
        : [
            {
              method: 'POST',
              body: tokenBody,
              setupRequest: (req) => ({
                ...req,
                path: `/payments/v1/authorizations/${pool[next++ % pool.length]}/customer-token`,
              }),
            },
          ]
  }
  // A warm-up round, not counted.
  const each = { amount: requests, connections: 25 }
  await Promise.all(all.map((server) => load(server.url, server.requests(), each)))
  for (let round = 0; round < rounds; round++) {
    const before = all.map((server) => cpuMicros(server.pid))
    await Promise.all(
      all.map(async (server, i) => {
        const result = await load(server.url, server.requests(), each)
        if (result.non2xx > 0) throw new Error(`${server.name}: ${result.non2xx} answers not 2xx`)
        server.cpu.push((cpuMicros(server.pid) - before[i]) / requests)
      }),
    )
  }
  const bare = all[0].cpu
  console.log(
    `${values.read ? 'token read' : 'customer-token creation'}, ${rounds} rounds of ${requests} requests each, all servers at once on one core`,
  )
  for (const server of all) {
    const ratio = median(server.cpu.map((us, i) => bare[i] / us))
    console.log(
      `${server.name.padEnd(40)} CPU µs a request ${median(server.cpu).toFixed(1).padStart(6)} ` +
        `(rounds: ${server.cpu.map((us) => us.toFixed(0)).join(', ')}); bare Fastify ÷ it ${ratio.toFixed(2)}`,
    )
  }
} finally {
  for (const server of all) await stop(server)
}
