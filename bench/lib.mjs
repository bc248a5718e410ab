// Helpers shared by the benchmark scripts (bench/run.mjs, bench/peers.mjs): servers started in their
// own process pinned to core 0 (taskset, when the machine has it), autocannon load, authorizations
// minted for the customer-token case.
import autocannon from 'autocannon'
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serverNodeFlags } from '../scripts/node-flags.mjs'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const seconds = Number(process.env.BENCH_SECONDS ?? 5)
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
export const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0

/** Runs this very script again pinned to core 1 (the load generator), unless it already is. */
export function pinLoadGenerator(script) {
  if (!canPin || process.env.BENCH_PINNED !== undefined) return
  const again = spawnSync(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, fileURLToPath(script), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } },
  )
  process.exit(again.status ?? 1)
}

/**
 * More customer-token creations a second than any server here answers on these machines (raw
 * node:http peaked at 31,000): the authorizations minted for a load are sized by it, since a load
 * that runs out of them gets cheap 400s (consumed) that flatter the mock.
 */
export const mostPerSecond = 40000

/** The value below which `share` of the (ascending) `sorted` values lie; 0 for none. */
export const percentile = (sorted, share) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0

/** The median of numbers in any order (the upper one of an even count); 0 for none. */
export const median = (xs) => percentile(Float64Array.from(xs).sort(), 0.5)

export const auth = 'Basic ' + Buffer.from('bench:secret').toString('base64')
export const headers = { authorization: auth, 'content-type': 'application/json' }
export const tokenBody = JSON.stringify({
  purchase_country: 'SE',
  purchase_currency: 'SEK',
  locale: 'sv-SE',
  description: 'bench',
  intended_use: 'SUBSCRIPTION',
})

export { serverNodeFlags }

/**
 * The command of a mock's bundle on `port`, as `npm start` runs it: under the start script's Node
 * flags (scripts/node-flags.mjs), logging nothing.
 */
export const mockCommand = (bundle) => (port) => [
  process.execPath,
  ...serverNodeFlags,
  bundle,
  '--port',
  String(port),
  '--log-level',
  'silent',
]

export const servers = {
  raw: (port) => [process.execPath, 'bench/baselines.mjs', 'raw', String(port)],
  fastify: (port) => [process.execPath, 'bench/baselines.mjs', 'fastify', String(port)],
  mock: mockCommand('dist/klarna-mock.mjs'),
}

/** A port free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Starts a server; resolves once `health` answers (any status below 500), with the time that took (spawn included). */
export async function start(name, command = servers[name], health = '/_mock/health') {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const [program, ...args] = command(port)
  const t0 = performance.now()
  const child = canPin
    ? spawn('taskset', ['-c', '0', program, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    : spawn(program, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  let exited = false
  child.on('exit', () => {
    exited = true
  })
  for (;;) {
    if (exited) throw new Error(`${name} exited before answering`)
    try {
      if ((await fetch(`${url}${health}`)).status < 500) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  return { name, url, child, startMs: performance.now() - t0 }
}

export const stop = (s) =>
  new Promise((resolve) => {
    s.child.once('exit', resolve)
    s.child.kill('SIGKILL')
  })

/**
 * autocannon's load on `url`: for `duration` seconds, or `amount` requests when given; each answer's
 * latency (ms) pushed to `latencies` when given (percentiles over several loads).
 */
export function load(
  url,
  requests,
  { duration = seconds, amount, connections: clients = connections, latencies } = {},
) {
  return new Promise((resolve, reject) => {
    const length = amount === undefined ? { duration } : { amount }
    const instance = autocannon({ url, connections: clients, ...length, headers, requests }, (err, result) =>
      err ? reject(err) : resolve(result),
    )
    if (latencies !== undefined) {
      instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
    }
  })
}

/** Authorizations for the mock's customer-token case, one per request. */
export async function mint(url, n) {
  const tokens = []
  const worker = async () => {
    while (tokens.length < n) {
      const res = await fetch(`${url}/_mock/authorizations`, { method: 'POST', headers, body: '{}' })
      tokens.push((await res.json()).authorization_token)
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
  return tokens
}

/** A customer token of a new authorization, for the read cases; `auth` is the merchant's Basic header. */
export async function customerToken(url, auth = headers.authorization) {
  const given = { ...headers, authorization: auth }
  const minted = await fetch(`${url}/_mock/authorizations`, { method: 'POST', headers: given, body: '{}' })
  const authorization = (await minted.json()).authorization_token
  const made = await fetch(`${url}/payments/v1/authorizations/${authorization}/customer-token`, {
    method: 'POST',
    headers: given,
    body: tokenBody,
  })
  return (await made.json()).token_id
}
