// klarna-mock against the generic mocks a team might use instead, answering the same
// customer-token request in the same run: Prism (from Klarna's Payments OpenAPI spec), Mockoon (the
// same spec imported), WireMock (a stub, warmed up first: the JVM needs it) and raw node:http as
// the floor. Not run in CI: the peers are large and are installed apart, in .peers/ (git-ignored):
//
//   npm install --prefix .peers @stoplight/prism-cli@5 @mockoon/cli@9 wiremock@3   (Java 17 for WireMock)
//   npm run bench:peers
//
// Servers on core 0, the load generator (autocannon) on core 1, as bench/run.mjs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  connections,
  load,
  mint,
  mostPerSecond,
  pinLoadGenerator,
  root,
  seconds,
  servers,
  start,
  stop,
  tokenBody,
} from './lib.mjs'

pinLoadGenerator(import.meta.url)

const peers = process.env.PEERS_DIR ?? join(root, '.peers')
const bin = (name) => join(peers, 'node_modules', '.bin', name)
const spec = join(root, 'test', 'openapi', 'klarna-payments-v1.yml')
const missing = ['prism', 'mockoon-cli', 'wiremock'].filter((name) => !existsSync(bin(name)))
if (missing.length > 0) {
  console.error(`not installed in ${peers}: ${missing.join(', ')}. Run:`)
  console.error(`  npm install --prefix ${peers} @stoplight/prism-cli@5 @mockoon/cli@9 wiremock@3`)
  process.exit(1)
}

// WireMock: one stub answering what the mock answers (same size), created before start-up.
const wiremockRoot = mkdtempSync(join(tmpdir(), 'wiremock-'))
const mappings = join(wiremockRoot, 'mappings')
mkdirSync(mappings)
writeFileSync(
  join(mappings, 'customer-token.json'),
  JSON.stringify({
    request: { method: 'POST', urlPathPattern: '/payments/v1/authorizations/[^/]+/customer-token' },
    response: {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      jsonBody: {
        token_id: 'b0ec4b9b-2d2c-4d8a-9a1c-0b3d2d8f6f4a',
        redirect_url: 'http://127.0.0.1/_mock/redirect?link=x',
      },
    },
  }),
)
const jar = join(peers, 'node_modules', 'wiremock', 'build')
const wiremockJar = join(jar, readdirSync(jar).find((f) => f.endsWith('.jar')) ?? 'wiremock.jar')

const peerServers = {
  prism: (port) => [bin('prism'), 'mock', '-h', '127.0.0.1', '-p', String(port), spec],
  mockoon: (port) => [bin('mockoon-cli'), 'start', '--data', spec, '--port', String(port)],
  wiremock: (port) => [
    'java',
    '-jar',
    wiremockJar,
    '--port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--root-dir',
    wiremockRoot,
    '--disable-banner',
    '--no-request-journal',
  ],
}

async function createRate(name) {
  const command = peerServers[name] ?? servers[name]
  const server = await start(name, command, name === 'wiremock' ? '/__admin/health' : '/_mock/health')
  try {
    let pool = ['x']
    if (name === 'mock') pool = await mint(server.url, Math.ceil(seconds * mostPerSecond))
    let next = 0
    const requests = [
      {
        method: 'POST',
        body: tokenBody,
        setupRequest: (req) => ({
          ...req,
          path: `/payments/v1/authorizations/${pool[Math.min(next++, pool.length - 1)]}/customer-token`,
        }),
      },
    ]
    if (name === 'wiremock') await load(server.url, requests) // warm the JVM
    const result = await load(server.url, requests)
    return {
      name,
      rps: result.requests.average,
      p99: result.latency.p99,
      ok: result['2xx'] / Math.max(1, result['2xx'] + result.non2xx),
    }
  } finally {
    await stop(server)
  }
}

console.log(`${seconds}s per server, ${connections} connections, node ${process.version}`)
const results = {}
for (const name of ['raw', 'mock', 'prism', 'wiremock', 'mockoon']) {
  results[name] = await createRate(name)
  const r = results[name]
  console.log(
    `${name.padEnd(9)} ${String(Math.round(r.rps)).padStart(7)} req/s  p99 ${String(r.p99).padStart(5)} ms  ` +
      `${(r.ok * 100).toFixed(1)} % 2xx`,
  )
}
const raw = results.raw.rps
console.log('\nratios (customer-token creation req/s):')
for (const name of ['prism', 'wiremock', 'mockoon']) {
  console.log(`  klarna-mock ÷ ${name.padEnd(9)} ${(results.mock.rps / results[name].rps).toFixed(1)}`)
}
for (const name of ['mock', 'prism', 'wiremock', 'mockoon']) {
  console.log(`  ${name.padEnd(9)} ÷ raw node:http ${(results[name].rps / raw).toFixed(2)}`)
}
