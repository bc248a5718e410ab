import t, { type Test } from 'tap'
import fc from 'fast-check'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { basic, tokenRequest } from '../helpers/app.js'
import {
  jsonHeaders as json,
  listen,
  mintOn,
  names,
  raw,
  tokenBody,
  type RawResponse,
} from '../helpers/socket.js'
import type { MockOptions } from '../../dist/config.js'
import { readConfig } from '../../dist/cli.js'
import { buildApp } from '../../dist/app.js'

/**
 * src/http/fast-lane.ts answers plain token reads and customer-token creations without Fastify's
 * hooks. Each case runs on two servers, one with the lane and one without (`fastLane: false`), on
 * the same frozen clock: status, header names in order, header values, body and journal entry must
 * be the same but for what is random (ids, the signed link, the date), and the lane's counts say
 * which path answered, so that a lane that never answers fails too.
 */

const frozen = Date.parse('2026-11-28T10:00:00Z')

/** Ids, signed links and dates made comparable. */
const normal = (text: string): string =>
  text
    .replace(/%2D/g, '-')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/tag=[\w-]+/g, 'tag=TAG')
    .replace(/127\.0\.0\.1:\d+/g, 'HOST')

function shape(r: RawResponse): { status: number; head: string[][]; body: string } {
  const head: string[][] = []
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i] as string
    head.push([name, name === 'Date' ? 'DATE' : normal(r.rawHeaders[i + 1] as string)])
  }
  return { status: r.status, head, body: normal(r.body) }
}

interface Server {
  app: FastifyInstance
  port: number
}

async function pair(t: Test, options: MockOptions = {}): Promise<[Server, Server]> {
  const base = { now: () => frozen, linkSecret: 'same', ...options }
  const lane = await listen(t, base)
  const plain = await listen(t, { ...base, fastLane: false })
  t.ok(lane.app.fastLane, 'the lane is on by default')
  t.notOk(plain.app.fastLane, 'fastLane: false turns it off')
  return [lane, plain]
}

async function lastEntry(port: number): Promise<unknown> {
  const r = await raw(port, 'GET', '/_mock/requests?limit=1', { authorization: json.authorization })
  const entry = (JSON.parse(r.body) as unknown[])[0]
  return entry === undefined ? null : JSON.parse(normal(JSON.stringify(entry)))
}

/** The same call on both servers (`path` given the server's own authorization token); both answers. */
async function both(
  t: Test,
  servers: [Server, Server],
  what: string,
  call: (server: Server, index: number) => Promise<RawResponse>,
): Promise<[RawResponse, RawResponse]> {
  const [a, b] = [await call(servers[0], 0), await call(servers[1], 1)]
  t.same(shape(a), shape(b), `${what}: the same answer with and without the lane`)
  t.same(
    await lastEntry(servers[0].port),
    await lastEntry(servers[1].port),
    `${what}: the same journal entry`,
  )
  return [a, b]
}

/** POST …/customer-token on `port` for `authorization`, the body tokenBody. */
const createToken = (
  port: number,
  authorization: string,
  headers: Record<string, string> = json,
): Promise<RawResponse> =>
  raw(port, 'POST', `/payments/v1/authorizations/${authorization}/customer-token`, headers, [tokenBody])

const counts = (s: Server): { answered: number; handedOver: number } => ({
  ...(s.app.fastLane ?? { answered: -1, handedOver: -1 }),
})

t.test('a customer token created and read: the same answers and journal, answered by the lane', async (t) => {
  const servers = await pair(t)
  const auths = [await mintOn(servers[0].port, {}, t), await mintOn(servers[1].port, {}, t)]
  const created = await both(t, servers, 'creation', (s, i) => createToken(s.port, auths[i] as string))
  t.equal(created[0].status, 200)
  t.same(names(created[0]), [
    'Content-Type',
    'Content-Length',
    'Klarna-Correlation-Id',
    'Date',
    'Connection',
    'Keep-Alive',
  ])
  const tokens = created.map((r) => (JSON.parse(r.body) as { token_id: string }).token_id)
  const [read] = await both(t, servers, 'read', (s, i) =>
    raw(s.port, 'GET', `/customer-token/v1/tokens/${tokens[i]}`, {
      authorization: json.authorization,
    }),
  )
  t.equal(read.status, 200)
  t.match(JSON.parse(read.body), { status: 'ACTIVE' })
  t.same(counts(servers[0]), { answered: 2, handedOver: 0 }, 'both answered by the lane')

  // The state after: the authorization is consumed, on both paths alike.
  await both(t, servers, 'the authorization again', (s, i) => createToken(s.port, auths[i] as string))
  t.same(counts(servers[0]), { answered: 2, handedOver: 1 }, 'the 403 was handed to Fastify with its body')
})

t.test('calls the lane answers, hands over or leaves to Fastify: the answer Fastify gives', async (t) => {
  const servers = await pair(t)
  const path = (token: string) => `/payments/v1/authorizations/${token}/customer-token`
  // lane: answered by the lane (1), handed to Fastify after the lane read the body (-1), left (0).
  const cases: Array<{
    what: string
    mint?: Record<string, unknown>
    headers?: Record<string, string>
    body?: string[]
    /** Sent with a Content-Length (default) or in chunks. */
    chunked?: boolean
    path?: (token: string) => string
    lane: 1 | 0 | -1
    status: number
  }> = [
    { what: 'a plain creation', lane: 1, status: 200 },
    { what: 'a chunked body', chunked: true, lane: 1, status: 200 },
    {
      what: 'a body in three chunks',
      body: [tokenBody.slice(0, 9), tokenBody.slice(9, 30), tokenBody.slice(30)],
      chunked: true,
      lane: 1,
      status: 200,
    },
    {
      what: 'nulls for fields not given',
      body: [JSON.stringify({ ...tokenRequest(), billing_address: null })],
      lane: 1,
      status: 200,
    },
    {
      what: 'a charset on the JSON type',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      lane: 1,
      status: 200,
    },
    {
      what: 'fields Klarna does not define',
      body: [JSON.stringify({ ...tokenRequest(), surplus: { a: 1 } })],
      lane: 1,
      status: 200,
    },
    { what: 'a body that is not JSON', body: ['{"purchase_country":'], lane: -1, status: 400 },
    { what: 'an empty JSON object', body: ['{}'], lane: -1, status: 400 },
    { what: 'an empty chunked body', body: [], chunked: true, lane: -1, status: 400 },
    { what: 'a body that poisons __proto__', body: ['{"__proto__":{"x":1}}'], lane: -1, status: 400 },
    {
      what: 'a wrong field type',
      body: [JSON.stringify(tokenRequest({ intended_use: 7 }))],
      lane: -1,
      status: 400,
    },
    {
      what: "a purchase country not the session's",
      body: [
        JSON.stringify(tokenRequest({ purchase_country: 'DE', purchase_currency: 'EUR', locale: 'de-DE' })),
      ],
      lane: -1,
      status: 400,
    },
    { what: 'an unknown authorization', path: () => path('no-such-token'), lane: -1, status: 404 },
    {
      what: 'a chunked body over 64 KiB',
      body: [JSON.stringify({ ...tokenRequest(), surplus: 'x'.repeat(70_000) })],
      chunked: true,
      lane: -1,
      status: 200,
    },
    {
      what: 'a Content-Length over 64 KiB',
      body: [JSON.stringify({ ...tokenRequest(), surplus: 'x'.repeat(70_000) })],
      lane: 0,
      status: 200,
    },
    {
      what: 'a scenario header',
      headers: { 'Klarna-Mock-Scenario': 'authorization-consumed' },
      lane: 0,
      status: 403,
    },
    {
      what: 'a scenario sticky to the authorization',
      mint: { scenario: 'authorization-consumed' },
      // Asked once the body is read (just before the creation reads the same authorization): handed over.
      lane: -1,
      status: 403,
    },
    { what: 'a query string', path: (token) => `${path(token)}?x=1`, lane: 0, status: 200 },
    {
      what: 'a percent-encoded token',
      path: (token) => path(token.replace(/-/g, '%2D')),
      lane: 0,
      status: 200,
    },
    {
      what: 'the scheme in lower case',
      headers: { authorization: json.authorization.replace('Basic', 'basic') },
      lane: 0,
      status: 200,
    },
    { what: 'no credentials', headers: { authorization: '' }, lane: 0, status: 401 },
    { what: 'an empty password', headers: { authorization: basic('merchant-a', '') }, lane: 0, status: 401 },
    { what: 'a text/plain body', headers: { 'content-type': 'text/plain' }, lane: 0, status: 400 },
  ]
  for (const c of cases) {
    const before = counts(servers[0])
    const auths = [await mintOn(servers[0].port, c.mint, t), await mintOn(servers[1].port, c.mint, t)]
    const body = c.body ?? [tokenBody]
    const [a] = await both(t, servers, c.what, (s, i) => {
      const headers: Record<string, string> = { ...json, ...c.headers }
      if (headers.authorization === '') delete headers.authorization
      if (c.chunked !== true) headers['content-length'] = String(Buffer.byteLength(body.join('')))
      return raw(
        s.port,
        'POST',
        (c.path ?? path)(auths[i] as string),
        headers,
        body,
        c.chunked === true ? { chunked: true } : {},
      )
    })
    t.equal(a.status, c.status, `${c.what}: ${a.status}`)
    const after = counts(servers[0])
    t.same(
      [after.answered - before.answered, after.handedOver - before.handedOver],
      c.lane === 1 ? [1, 0] : c.lane === -1 ? [0, 1] : [0, 0],
      `${c.what}: ${c.lane === 1 ? 'answered by the lane' : c.lane === -1 ? 'handed over with its body' : 'left to Fastify'}`,
    )
  }
  // Reads the lane leaves to Fastify: it answers only tokens it finds, with ids the schema accepts.
  for (const [what, id] of [
    ['an unknown token', 'no-such-token'],
    ['a token id too long', 'x'.repeat(300)],
  ] as const) {
    const before = counts(servers[0])
    await both(t, servers, what, (s) =>
      raw(s.port, 'GET', `/customer-token/v1/tokens/${id}`, { authorization: json.authorization }),
    )
    t.same(counts(servers[0]), before, `${what}: left to Fastify`)
  }
})

t.test('an armed scenario plays through Fastify; once played, the lane answers again', async (t) => {
  const servers = await pair(t)
  for (const s of servers) {
    const r = await raw(s.port, 'POST', '/_mock/scenarios/arm', json, [
      JSON.stringify({ name: 'authorization-consumed' }),
    ])
    t.equal(r.status, 200, r.body)
  }
  const auths = [await mintOn(servers[0].port, {}, t), await mintOn(servers[1].port, {}, t)]
  const call = (s: Server, i: number) => createToken(s.port, auths[i] as string)
  const [armed] = await both(t, servers, 'armed', call)
  t.equal(armed.status, 403)
  t.equal(armed.headers['klarna-mock-scenario-applied'], 'authorization-consumed')
  t.same(counts(servers[0]), { answered: 0, handedOver: 0 })
  const [after] = await both(t, servers, 'after it played', call)
  t.equal(after.status, 200)
  t.same(counts(servers[0]), { answered: 1, handedOver: 0 })
})

t.test(
  "with a credentials list, only listed pairs pass the lane; another merchant's token is not found",
  async (t) => {
    const servers = await pair(t, { credentials: ['merchant-a:secret', 'merchant-b:other'] })
    const auths = [await mintOn(servers[0].port, {}, t), await mintOn(servers[1].port, {}, t)]
    await both(t, servers, 'a wrong password', (s, i) =>
      createToken(s.port, auths[i] as string, {
        ...json,
        authorization: basic('merchant-a', 'wrong'),
      }),
    )
    await both(t, servers, 'another merchant', (s, i) =>
      createToken(s.port, auths[i] as string, {
        ...json,
        authorization: basic('merchant-b', 'other'),
      }),
    )
    t.same(
      counts(servers[0]),
      { answered: 0, handedOver: 1 },
      'merchant-b passed, its call was handed over (403)',
    )
    const [ok] = await both(t, servers, 'the right pair', (s, i) => createToken(s.port, auths[i] as string))
    t.equal(ok.status, 200)
    t.same(counts(servers[0]), { answered: 1, handedOver: 1 })
  },
)

t.test('the request log has the same line for a call the lane answered', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    },
  })
  const servers = await pair(t, { logger: { level: 'info', stream } })
  const auths = [await mintOn(servers[0].port, {}, t), await mintOn(servers[1].port, {}, t)]
  for (const [i, s] of servers.entries()) {
    lines.length = 0
    await createToken(s.port, auths[i] as string)
    const line = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('POST /payments'))
    t.ok(line, 'a line for the call')
    t.same(
      Object.keys(line ?? {}).filter((k) => !['pid', 'hostname'].includes(k)),
      ['level', 'time', 'correlation_id', 'method', 'url', 'status', 'merchant', 'ms', 'msg'],
    )
    t.match(line, {
      level: 30,
      status: 200,
      merchant: 'merchant-a',
      msg: /^POST \/payments\/v1\/authorizations\/[\w-]+\/customer-token 200 \d+ms merchant=merchant-a [0-9a-f-]{36}$/,
    })
    t.equal((line?.msg as string).slice(-36), line?.correlation_id)
  }
  t.same(counts(servers[0]), { answered: 1, handedOver: 0 })
})

t.test(
  'a client that goes away in the middle of its body: nothing created, the server goes on',
  async (t) => {
    const [lane] = await pair(t)
    const auth = await mintOn(lane.port, {}, t)
    await new Promise<void>((resolve) => {
      const socket = connect(lane.port, '127.0.0.1', () => {
        socket.write(
          `POST /payments/v1/authorizations/${auth}/customer-token HTTP/1.1\r\nHost: x\r\nAuthorization: ${json.authorization}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${tokenBody.length}\r\n\r\n${tokenBody.slice(0, 20)}`,
        )
        setTimeout(() => socket.destroy(), 50)
      })
      socket.on('close', () => resolve())
    })
    // Until the server has seen the close and handed the call over.
    for (let i = 0; i < 200 && counts(lane).handedOver === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    t.same(counts(lane), { answered: 0, handedOver: 1 }, 'handed to Fastify with what came')
    const ok = await createToken(lane.port, auth)
    t.equal(ok.status, 200, 'the authorization was not consumed: it makes a token now')
    t.same(counts(lane), { answered: 1, handedOver: 1 })
  },
)

t.test('a token the lane created is in the state file', async (t) => {
  const dir = t.testdir({})
  const stateFile = `${dir}/state.json`
  const first = await listen(t, { stateFile })
  const auth = await mintOn(first.port, {}, t)
  const created = await createToken(first.port, auth)
  t.same(counts(first), { answered: 1, handedOver: 0 })
  const tokenId = (JSON.parse(created.body) as { token_id: string }).token_id
  await first.app.close()
  const second = await listen(t, { stateFile })
  const read = await raw(second.port, 'GET', `/customer-token/v1/tokens/${tokenId}`, {
    authorization: json.authorization,
  })
  t.equal(read.status, 200, 'read back after a restart')
  t.same(counts(second), { answered: 1, handedOver: 0 })
})

t.test('the lane stays off with rate limits or fsync durability, and on --fast-lane off', async (t) => {
  const dir = t.testdir({})
  t.notOk((await listen(t, { rateLimits: 'playground' })).app.fastLane, 'rate limits')
  t.notOk((await listen(t, { stateFile: `${dir}/fsync.json`, durability: 'fsync' })).app.fastLane, 'fsync')
  t.ok(
    (await listen(t, { stateFile: `${dir}/write.json` })).app.fastLane,
    'a state file with write durability',
  )
  t.equal(readConfig([], {}).options.fastLane, true, 'on by default on the command line')
  t.equal(readConfig(['--fast-lane', 'off'], {}).options.fastLane, false)
  t.equal(readConfig([], { KLARNA_MOCK_FAST_LANE: 'off' }).options.fastLane, false)
  t.throws(() => readConfig(['--fast-lane', 'maybe'], {}), /--fast-lane must be one of on, off; got "maybe"/)
  await t.rejects(buildApp({ fastLane: 'no' as unknown as boolean }), /option fastLane must be true or false/)
})

t.test(
  'random creation bodies (fast-check): the same answer and journal with and without the lane',
  async (t) => {
    const servers = await pair(t)
    const valid = tokenRequest({ description: 'Sub' })
    // The valid body itself (so that the lane answers some: without it, runs where none of 150 random
    // bodies was valid failed now and then); a valid body with fields dropped, set to null or
    // replaced by random JSON, plus stray fields; or any JSON at all; or text that is not JSON.
    const value = fc.oneof(
      fc.constant(null),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('SE', 'DE', 'sv-SE'),
    )
    const body = fc.oneof(
      fc.constant(JSON.stringify(valid)),
      fc
        .record({
          drop: fc.subarray(Object.keys(valid)),
          set: fc.dictionary(
            fc.constantFrom(...Object.keys(valid), 'customer', 'billing_address', 'extra'),
            value,
            {
              maxKeys: 3,
            },
          ),
        })
        .map(({ drop, set }) => {
          const out: Record<string, unknown> = { ...valid }
          for (const key of drop) delete out[key]
          return JSON.stringify({ ...out, ...set })
        }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    )
    let answered = 0
    let handedOver = 0
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, chunked) => {
        const before = counts(servers[0])
        const auths = [await mintOn(servers[0].port), await mintOn(servers[1].port)]
        const answers = await Promise.all(
          servers.map(async (s, i) => {
            const headers: Record<string, string> = { ...json }
            if (!chunked) headers['content-length'] = String(Buffer.byteLength(text))
            const path = `/payments/v1/authorizations/${auths[i] as string}/customer-token`
            return await raw(
              s.port,
              'POST',
              path,
              headers,
              text === '' ? [] : [text],
              chunked ? { chunked } : {},
            )
          }),
        )
        const [a, b] = answers as [RawResponse, RawResponse]
        if (JSON.stringify(shape(a)) !== JSON.stringify(shape(b))) return false
        const entries = [await lastEntry(servers[0].port), await lastEntry(servers[1].port)]
        if (JSON.stringify(entries[0]) !== JSON.stringify(entries[1])) return false
        const after = counts(servers[0])
        answered += after.answered - before.answered
        handedOver += after.handedOver - before.handedOver
        // Every call the lane took it either answered (200) or handed over (an error).
        return after.answered - before.answered === (a.status === 200 ? 1 : 0)
      }),
      { numRuns: 150 },
    )
    t.ok(answered > 0, `the lane answered some (${answered})`)
    t.ok(handedOver > 0, `and handed some over (${handedOver})`)
  },
)
