// Throughput through HAProxy (deploy/haproxy.cfg) with one and with three replicas, measured in
// the same run: `npm run bench:scale`. 50 merchants (one Basic username each) read a customer
// token of their own, spread over the connections. Needs Debian's haproxy. BENCH_SECONDS
// (default 10) and BENCH_CONNECTIONS (default 50) tune it. Traffic goes to 127.0.0.1 only.
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { customerToken, freePort, root, serverNodeFlags } from './lib.mjs'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const basic = (m) => 'Basic ' + Buffer.from(`${m}:pw`).toString('base64')

async function startReplica(port) {
  const child = spawn(
    process.execPath,
    [
      ...serverNodeFlags,
      join(root, 'dist', 'klarna-mock.mjs'),
      '--port',
      String(port),
      '--log-level',
      'warn',
      '--link-secret',
      'bench',
    ],
    { stdio: 'ignore' },
  )
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/_mock/health`)).ok) return child
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('replica did not start')
}

async function setUp(replicaCount) {
  const ports = await Promise.all(Array.from({ length: 3 }, freePort))
  const live = ports.slice(0, replicaCount)
  const children = await Promise.all(live.map(startReplica))
  const proxyPort = await freePort()
  // One replica: every server line points at it.
  const env = { ...process.env, KLARNA_MOCK_PROXY_BIND: `127.0.0.1:${proxyPort}` }
  for (let i = 0; i < 3; i++) env[`KLARNA_MOCK_REPLICA${i + 1}`] = `127.0.0.1:${live[i % live.length]}`
  const proxy = spawn('haproxy', ['-f', join(root, 'deploy', 'haproxy.cfg')], { env, stdio: 'ignore' })
  children.push(proxy)
  const base = `http://127.0.0.1:${proxyPort}`
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/_mock/health`)).ok) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  // Each merchant: a customer token to read.
  const requests = []
  for (let i = 0; i < 50; i++) {
    const m = `bench-${i}`
    const token = await customerToken(base, basic(m))
    requests.push({
      method: 'GET',
      path: `/customer-token/v1/tokens/${token}`,
      headers: { authorization: basic(m) },
    })
  }
  return { base, requests, stop: () => children.forEach((c) => c.kill('SIGKILL')) }
}

for (const n of [1, 3]) {
  const { base, requests, stop } = await setUp(n)
  const result = await new Promise((resolve, reject) =>
    autocannon({ url: base, connections, duration: seconds, requests }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  )
  stop()
  const codes = Object.entries(result.statusCodeStats ?? {})
    .map(([c, v]) => `${c}×${v.count}`)
    .join(' ')
  console.log(
    `${n} replica${n === 1 ? ' ' : 's'} behind HAProxy: ${Math.round(result.requests.average)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ${codes}  errors ${result.errors + result.timeouts}`,
  )
}
