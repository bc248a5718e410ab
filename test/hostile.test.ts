import t, { type Test } from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parseCredentials } from '../dist/config.js'
import { loadCatalog } from '../dist/domain/catalog.js'
import { mintAuthorization } from '../dist/domain/mint.js'
import { MAX_ARMED_PER_MERCHANT } from '../dist/domain/scenarios.js'
import { LINGER_CLOSING_IDLE_MS, LINGER_IDLE_MS, REFUSED_LINGER_MS } from '../dist/http/linger.js'
import { basic, build, call, errorOf, mint } from './helpers/app.js'
import { listen } from './helpers/socket.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const usedBytes = (): number => {
  gc()
  gc()
  const m = process.memoryUsage()
  // `external` already counts the memory of ArrayBuffers and Buffers (`arrayBuffers` is part of it).
  return m.heapUsed + m.external
}

/** Writes raw bytes to the server and reads until it closes (or `ms` pass). */
async function rawExchange(
  port: number,
  chunks: Array<string | Buffer>,
  opts: { pauseMs?: number; ms?: number } = {},
): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let out = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => {
      out += c
    })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(out)
    }, opts.ms ?? 5000)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(out)
    })
    socket.on('error', (err) => {
      if (out !== '') resolve(out)
      else reject(err)
    })
    void (async () => {
      for (const c of chunks) {
        if (socket.destroyed) return
        socket.write(c)
        if (opts.pauseMs !== undefined) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs))
      }
    })()
  })
}

/**
 * Closes `app` and asserts it took less than half of `lingerMs`, the wait a lingering socket would
 * otherwise hold the close for: once closing, the server waits LINGER_CLOSING_IDLE_MS for the client.
 */
async function closesSoonerThan(
  t: Test,
  app: { close: () => Promise<unknown> },
  lingerMs: number,
): Promise<void> {
  const closing = performance.now()
  await app.close()
  const closedInMs = performance.now() - closing
  t.ok(
    closedInMs < lingerMs / 2,
    `closed in ${Math.round(closedInMs)} ms (${LINGER_CLOSING_IDLE_MS} ms once closing, not ${lingerMs})`,
  )
}

function klarnaShaped(t: Test, response: string, status: number, code: string, message: RegExp): void {
  const [head = '', body = ''] = response.split('\r\n\r\n')
  t.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), `status ${status}`)
  const id = /\r\nKlarna-Correlation-Id: ([0-9a-f-]{36})/.exec(head)?.[1]
  t.ok(id, 'a Klarna-Correlation-Id header')
  t.match(head, /\r\nContent-Type: application\/json/)
  t.match(JSON.parse(body), { error_code: code, error_messages: [message], correlation_id: id })
}

t.test(
  'the journal keeps bodies cut at 16 KiB of UTF-8: full of the worst bodies it stays far below 100 MB',
  async (t) => {
    const app = await build(t)
    const send = async (i: number, payload: string) =>
      await app.inject({
        method: 'DELETE',
        url: `/payments/v1/authorizations/a${i}`,
        headers: { authorization: basic(), 'content-type': 'application/json' },
        payload,
      })
    // Just over the 16 KiB the journal keeps: 17 KB of empty objects, about 400 KB once parsed, so a
    // journal that kept parsed bodies would hold about 400 MB when full of them. The newest fifth of
    // the journal's 1000 entries is measured (each costs a parse of 5,800 objects), after small
    // bodies have filled the rest and warmed up the route.
    for (let i = 0; i < 800; i++) await send(i, '[{}]')
    const worst = '[' + '{},'.repeat(5_800) + '{}]'
    const before = usedBytes()
    for (let i = 800; i < 1000; i++) await send(i, worst)
    const perEntry = (usedBytes() - before) / 200
    t.ok(
      perEntry * 1000 < 64 * 1024 * 1024,
      `an entry of a 17 KB body holds ${(perEntry / 1024).toFixed(1)} KB: ${((perEntry * 1000) / 1048576).toFixed(1)} MB when full`,
    )
    const res = await call(app, 'GET', '/_mock/requests')
    t.equal(res.json().length, 100, 'the answer lists 100 entries unless asked for more')
    t.ok(res.body.length < 4 * 1024 * 1024, `and stays small (${res.body.length} bytes)`)
    t.match(res.json()[0], { request_body: /^\[\{\},\{\}/, request_body_truncated: true })
    t.equal((await call(app, 'GET', '/_mock/requests?limit=5000')).json().length, 1000, 'at most the journal')
    t.same((await call(app, 'GET', '/_mock/requests?limit=0')).json(), [], 'limit=0 lists nothing')
  },
)

t.test('the journal shows the body as it was sent, fields Klarna does not define included', async (t) => {
  const app = await build(t)
  await call(app, 'POST', '/payments/v1/sessions', {
    purchase_country: 'SE',
    purchase_currency: 'SEK',
    order_amount: 100,
    order_lines: [{ name: 'x', quantity: 1, unit_price: 100, total_amount: 100, colour: 'red' }],
    my_field: 1,
  })
  await call(app, 'POST', '/payments/v1/sessions', '{"not json')
  const [bad, good] = (await call(app, 'GET', '/_mock/requests')).json()
  t.match(good, {
    status: 200,
    request_body: { my_field: 1, order_lines: [{ colour: 'red' }] },
    request_body_truncated: false,
  })
  t.match(bad, { status: 400, request_body: '{"not json' }, 'malformed JSON is shown as the text that came')
})

t.test('with callbacks off the callback list keeps the newest 1000', async (t) => {
  const app = await build(t, { callbacks: { enabled: false } })
  // The domain's own mint, which queues the callback as POST /_mock/authorizations does, in a
  // tenth of the time of 1,100 requests.
  for (let i = 0; i < 1100; i++) {
    const input = { merchant_urls: { authorization: `http://127.0.0.1:9/cb/${i}` } }
    mintAuthorization(app.domain, 'merchant-a', input, 'http://localhost')
  }
  const list = (await call(app, 'GET', '/_mock/callbacks')).json()
  t.equal(list.length, 1000)
  t.equal(list[0].url, 'http://127.0.0.1:9/cb/1099', 'newest first')
  t.equal(list[999].url, 'http://127.0.0.1:9/cb/100', 'the oldest were dropped')
})

t.test('a request that stores nothing creates no merchant; merchants left empty are swept', async (t) => {
  let now = Date.parse('2030-01-01T00:00:00.000Z')
  const app = await build(t, { now: () => now })
  for (let i = 0; i < 200; i++) {
    await call(app, 'GET', `/customer-token/v1/tokens/t${i}`, undefined, { user: `u${i}-${'x'.repeat(500)}` })
    await call(
      app,
      'POST',
      '/customer-token/v1/tokens/nope/order',
      { purchase_currency: 'SEK' },
      { user: `v${i}` },
    )
  }
  t.equal(app.domain.store.merchantCount, 0, 'no merchant from failed calls')
  await mint(app, {}, 'short-lived')
  await mint(app, {}, 'time-traveller')
  await call(app, 'POST', '/_mock/clock', { advance_seconds: 60 }, { user: 'time-traveller' })
  t.equal(app.domain.store.merchantCount, 2)
  now += 3 * 24 * 3600 * 1000
  await call(app, 'GET', '/_mock/health')
  t.equal(app.domain.store.merchantCount, 1, 'the merchant went with its expired session')
  t.ok(app.domain.store.find('time-traveller'), 'a merchant whose clock moved keeps its time')
})

t.test('armed scenarios are capped per merchant', async (t) => {
  const app = await build(t)
  for (let i = 0; i < MAX_ARMED_PER_MERCHANT; i++) {
    t.equal(
      (await call(app, 'POST', '/_mock/scenarios/arm', { name: 'token-not-found', times: 1000 })).statusCode,
      200,
    )
  }
  const refused = errorOf(await call(app, 'POST', '/_mock/scenarios/arm', { name: 'token-not-found' }))
  t.same(refused, {
    status: 400,
    code: 'BAD_REQUEST',
    messages: [
      `At most ${MAX_ARMED_PER_MERCHANT} scenarios can be armed at once; ${MAX_ARMED_PER_MERCHANT} are waiting. Let them play or clear them (DELETE /_mock/scenarios/arm).`,
    ],
  })
  t.equal(
    (await call(app, 'POST', '/_mock/scenarios/arm', { name: 'token-not-found' }, { user: 'other' }))
      .statusCode,
    200,
    'another merchant has its own cap',
  )
})

t.test('two Klarna-Mock-Scenario headers are refused, naming both', async (t) => {
  const { port } = await listen(t)
  const res = await rawExchange(port, [
    `GET /customer-token/v1/tokens/x HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic()}\r\nKlarna-Mock-Scenario: token-not-found\r\nKlarna-Mock-Scenario: rate-limited\r\nConnection: close\r\n\r\n`,
  ])
  klarnaShaped(
    t,
    res,
    400,
    'BAD_REQUEST',
    /^Send one Klarna-Mock-Scenario header; got 2: token-not-found, rate-limited$/,
  )
})

t.test('names that are properties of every object are just unknown categories', async (t) => {
  const app = await build(t)
  for (const category of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    t.same(
      errorOf(await call(app, 'POST', '/_mock/authorizations', { payment_method_category: category })),
      { status: 400, code: 'BAD_VALUE', messages: ['Bad value: payment_method_category'] },
      category,
    )
  }
  t.same(
    errorOf(await call(app, 'POST', '/_mock/authorizations', { payment_method_type: 'constructor' }))
      .messages,
    ['Bad value: payment_method_type'],
  )
  t.equal(app.domain.store.find('merchant-a')?.tokens.size ?? 0, 0)
})

t.test('the virtual clock stops before year 10000', async (t) => {
  const app = await build(t)
  const max = 10 * 365 * 24 * 3600
  let res
  for (let i = 0; i < 1000; i++) {
    res = await call(app, 'POST', '/_mock/clock', { advance_seconds: max })
    if (res.statusCode !== 200) break
  }
  t.match(errorOf(res as never), {
    status: 400,
    code: 'BAD_VALUE',
    messages: [/^Bad value: advance_seconds \(the virtual clock cannot pass 99\d\d-/],
  })
  const now = (await call(app, 'GET', '/_mock/clock')).json().now as string
  t.match(now, /^9\d{3}-/, 'the clock still reads')
  const minted = await mint(app)
  t.match(minted.expires_at, /^9\d{3}-/, 'and every date it makes is a valid date')
})

t.test(
  'scenario files that would break at run time are refused at start, naming file and field',
  async (t) => {
    const dir = t.testdir()
    const scenario = (name: string, headers: string) =>
      `name: ${name}\ndescription: x\napplies_to: ["*"]\nerror: {status: 429, error_code: X, error_messages: [], headers: ${headers}}\n`
    const cases: Array<[string, string, RegExp]> = [
      ['crlf', '{X-A: "a\\r\\nSet-Cookie: b"}', /crlf\.yaml: error\.headers\.X-A: /],
      [
        'framing',
        '{Transfer-Encoding: chunked}',
        /framing\.yaml: headers\.Transfer-Encoding: the mock sets this header itself/,
      ],
      [
        'length',
        '{content-length: "5"}',
        /length\.yaml: headers\.content-length: the mock sets this header itself/,
      ],
    ]
    for (const [name, headers, message] of cases) {
      const sub = join(dir, name)
      mkdirSync(sub)
      writeFileSync(join(sub, `${name}.yaml`), scenario(name, headers))
      await t.rejects(build(t, { scenarioDirs: [sub] }), { message }, name)
    }
    const ok = join(dir, 'ok')
    mkdirSync(ok)
    writeFileSync(
      join(ok, 'odd-header.yaml'),
      scenario('odd-header', '{constructor: "yes", Retry-After: "1"}'),
    )
    const app = await build(t, { scenarioDirs: [ok] })
    const res = await call(app, 'GET', '/customer-token/v1/tokens/x', undefined, {
      headers: { 'klarna-mock-scenario': 'odd-header' },
    })
    t.equal(res.statusCode, 429)
    t.equal(res.headers.constructor, 'yes', 'a header named constructor is sent as any other')

    const folder = join(dir, 'folder')
    mkdirSync(join(folder, 'x.yaml'), { recursive: true })
    await t.rejects(build(t, { scenarioDirs: [folder] }), { message: /folder\/x\.yaml: not a regular file/ })
    const fifo = join(dir, 'fifo')
    mkdirSync(fifo)
    execFileSync('mkfifo', [join(fifo, 'x.yaml')])
    await t.rejects(
      build(t, { scenarioDirs: [fifo] }),
      { message: /fifo\/x\.yaml: not a regular file/ },
      'a FIFO does not hang start-up',
    )
  },
)

t.test("requests Node's parser refuses are answered in Klarna's shape with a correlation id", async (t) => {
  const { port } = await listen(t)
  const auth = `Authorization: ${basic()}\r\n`
  klarnaShaped(
    t,
    await rawExchange(port, [
      `GET /customer-token/v1/tokens/x HTTP/1.1\r\nHost: x\r\n${auth}X-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    ]),
    431,
    'BAD_REQUEST',
    /headers are too large/,
  )
  klarnaShaped(
    t,
    await rawExchange(port, [
      `POST /payments/v1/sessions HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: abc\r\n\r\n`,
    ]),
    400,
    'BAD_REQUEST',
    /Invalid Content-Length/,
  )
  klarnaShaped(
    t,
    await rawExchange(port, [
      `POST /payments/v1/sessions HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: -5\r\n\r\n`,
    ]),
    400,
    'BAD_REQUEST',
    /Invalid Content-Length/,
  )
  klarnaShaped(
    t,
    await rawExchange(port, [
      `POST /payments/v1/sessions HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    ]),
    400,
    'BAD_REQUEST',
    /Content-Length and Transfer-Encoding/,
  )
  klarnaShaped(
    t,
    await rawExchange(port, [`BREW /payments/v1/sessions HTTP/1.1\r\nHost: x\r\n${auth}\r\n`]),
    400,
    'BAD_REQUEST',
    /Unknown HTTP method/,
  )
})

t.test(
  "a client that keeps its side open after a refused request does not hold the server's close",
  async (t) => {
    const { app, port } = await listen(t)
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    t.teardown(() => socket.destroy())
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    const ended = new Promise((resolve) => socket.once('end', resolve))
    socket.write(`POST /payments/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`)
    await ended
    t.match(answer, /^HTTP\/1\.1 400 /, 'answered, then half-closed by the server')
    // The server would drop the connection after REFUSED_LINGER_MS; closing, it waits only
    // LINGER_CLOSING_IDLE_MS for the client (src/http/linger.ts).
    await closesSoonerThan(t, app, REFUSED_LINGER_MS)
  },
)

t.test('a request body that trickles in gets a Klarna-shaped 408', async (t) => {
  const { port } = await listen(t, { requestTimeoutSeconds: 1 })
  const head = `POST /payments/v1/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic()}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`
  const started = Date.now()
  const res = await rawExchange(port, [head, ...'{"purchase_country"'.split('')], {
    pauseMs: 300,
    ms: 10_000,
  })
  klarnaShaped(t, res, 408, 'REQUEST_TIMEOUT', /not received in full within 1 seconds/)
  t.ok(Date.now() - started < 5000, 'the connection did not stay open')
})

t.test('a body over the limit: the client reads the 413 although it is still sending', async (t) => {
  const { app, url } = await listen(t, { bodyLimit: 64 * 1024 })
  const chunk = Buffer.from('{},'.repeat(20_000))
  for (let i = 0; i < 4; i++) {
    const body = new ReadableStream({
      start(controller) {
        for (let k = 0; k < 40; k++) controller.enqueue(chunk)
        controller.close()
      },
    })
    const res = await fetch(`${url}/payments/v1/sessions`, {
      method: 'POST',
      duplex: 'half',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body,
    } as RequestInit)
    t.equal(res.status, 413, `chunked try ${i + 1}`)
    t.match(await res.json(), { error_code: 'REQUEST_TOO_LARGE' })
  }
  const res = await fetch(`${url}/payments/v1/sessions`, {
    method: 'POST',
    headers: { authorization: basic(), 'content-type': 'application/json' },
    body: Buffer.concat(Array(40).fill(chunk)),
  })
  t.equal(res.status, 413, 'with a Content-Length too')
  // fetch keeps its side of those connections open: the server's close does not wait out the
  // LINGER_IDLE_MS since the client's last bytes (nearly all of it was left), but only
  // LINGER_CLOSING_IDLE_MS (src/http/linger.ts). Half the former is a wide margin over the latter.
  await closesSoonerThan(t, app, LINGER_IDLE_MS)
})

t.test('a credentials file has one username:password a line; the password may hold commas', async (t) => {
  const users = parseCredentials('# shop users\nbob:pass,carol:evil\n\nalice: spaced pass \r\n', 'file')
  t.same(
    [...users],
    [
      ['bob', 'pass,carol:evil'],
      ['alice', ' spaced pass '],
    ],
  )
  t.same(
    [...parseCredentials('bob:pass,carol:good', 'env')],
    [
      ['bob', 'pass'],
      ['carol', 'good'],
    ],
    'the environment variable keeps its comma list',
  )
  t.throws(() => parseCredentials('bob:a\nbob:b', 'file'), /line 2: username "bob" is listed twice/)
  t.throws(() => parseCredentials('nopassword\n', 'file'), /line 1: expected username:password/)
})

t.test(
  'fixtures and tokenization rules are checked: an unknown country or category is an error',
  async (t) => {
    const dir = t.testdir({
      'country.json': JSON.stringify({
        default: { pay_later: true },
        countries: { XX: { pay_later: true } },
      }),
      'lower.json': JSON.stringify({ default: { pay_later: true }, countries: { de: { pay_later: true } } }),
      'category.json': JSON.stringify({ default: { pay_latr: true } }),
      'type.json': JSON.stringify({ default: { pay_later: 'yes' } }),
      'markets.json': JSON.stringify({
        markets: [{ country: 'SE', name: 'Sweden', currency: 'SEK', locales: [], region: 'EU' }],
      }),
    })
    t.throws(
      () => loadCatalog({ tokenizationRules: join(dir, 'country.json') }),
      /country\.json: countries\.XX: not a market/,
    )
    t.throws(
      () => loadCatalog({ tokenizationRules: join(dir, 'lower.json') }),
      /lower\.json: countries\.de: not a market/,
    )
    t.throws(
      () => loadCatalog({ tokenizationRules: join(dir, 'category.json') }),
      /category\.json: default\.pay_latr: unknown payment method category/,
    )
    t.throws(
      () => loadCatalog({ tokenizationRules: join(dir, 'type.json') }),
      /type\.json: default\.pay_later: Expected boolean/,
    )
    t.throws(
      () => loadCatalog({ markets: join(dir, 'markets.json') }),
      /markets\.json: markets\.0\.locales: Expected array length/,
    )
  },
)

t.test(
  "a GET whose body came unframed (Node's client writes it so) gets its answer, then the connection closes",
  async (t) => {
    const { port } = await listen(t)
    const res = await rawExchange(port, [
      `GET /customer-token/v1/tokens/x HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic()}\r\nContent-Type: application/json\r\n\r\n{}`,
    ])
    t.match(res, /^HTTP\/1\.1 404 /, 'the answer to the GET, not a 400 for the stray "{}"')
    t.match(res, /\r\nConnection: close\r\n/i)
    t.equal(res.match(/HTTP\/1\.1 /g)?.length, 1, 'one answer')
  },
)
