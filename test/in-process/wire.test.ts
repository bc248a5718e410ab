import t from 'tap'
import { once } from 'node:events'
import { connect } from 'node:net'
import { basic, build } from '../helpers/app.js'
import { jsonHeaders as json, listen, mintOn, names, raw, tokenBody } from '../helpers/socket.js'

t.test('Content-Type and Klarna-Correlation-Id are written with Klarna casing', async (t) => {
  const { port } = await listen(t)
  const token = await mintOn(port)
  const ok = await raw(port, 'POST', `/payments/v1/authorizations/${token}/customer-token`, json, [tokenBody])
  t.equal(ok.status, 200)
  t.ok(names(ok).includes('Content-Type'), `Content-Type on the wire: ${names(ok).join(', ')}`)
  t.notOk(names(ok).includes('content-type'))
  t.ok(names(ok).includes('Klarna-Correlation-Id'))
  t.ok(names(ok).includes('Content-Length'), 'every name in its canonical casing, Content-Length too')
  t.same(
    names(ok).filter((name) => name !== name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase())),
    [],
    'no name in lower case',
  )
  t.equal(ok.headers['content-type'], 'application/json', 'without a charset')
  t.notOk('location' in ok.headers, 'no Location header')

  const err = await raw(port, 'POST', `/payments/v1/authorizations/${token}/customer-token`, json, [
    tokenBody,
  ])
  t.equal(err.status, 403)
  const body = JSON.parse(err.body)
  t.same(Object.keys(body), ['error_code', 'error_messages', 'correlation_id'])
  t.equal(
    body.correlation_id,
    err.headers['klarna-correlation-id'],
    'body and header carry the same correlation id',
  )
  t.ok(names(err).includes('Content-Type'))
})

t.test(
  'answers given before routing (an id over 255 characters, a broken escape) are written the same way',
  async (t) => {
    const { port } = await listen(t)
    for (const path of [
      `/customer-token/v1/tokens/${'a'.repeat(300)}`,
      '/customer-token/v1/tokens/%E0%A4%A',
    ]) {
      const r = await raw(port, 'GET', path, { authorization: basic() })
      t.equal(r.status, 400, path.slice(0, 40))
      t.same(
        names(r).filter((name) => name !== name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase())),
        [],
        `no name in lower case: ${names(r).join(', ')}`,
      )
      t.equal(r.headers['content-type'], 'application/json', 'without a charset')
      t.equal(JSON.parse(r.body).correlation_id, r.headers['klarna-correlation-id'])
    }
  },
)

t.test(
  'every response carries a distinct Klarna-Correlation-Id, 401 (documented JSON) and 404 included',
  async (t) => {
    const { port } = await listen(t, { fidelity: 'documented' })
    const ids = new Set<string>()
    for (const [method, path, headers] of [
      ['GET', '/_mock/health', {}],
      ['GET', '/payments/v1/sessions/x', {}],
      ['GET', '/no/such/route', { authorization: basic() }],
      ['DELETE', '/payments/v1/authorizations/unknown', { authorization: basic() }],
    ] as const) {
      const r = await raw(port, method, path, headers)
      const id = r.headers['klarna-correlation-id']
      t.match(id, /^[0-9a-f-]{36}$/, `${method} ${path} (${r.status})`)
      ids.add(String(id))
      if (r.status >= 400) t.equal(JSON.parse(r.body).correlation_id, id)
    }
    t.equal(ids.size, 4)
  },
)

t.test("401 under fidelity 'documented' has WWW-Authenticate: Basic and Klarna shape", async (t) => {
  const { port } = await listen(t, { fidelity: 'documented' })
  const r = await raw(
    port,
    'POST',
    '/payments/v1/authorizations/x/customer-token',
    { 'content-type': 'application/json' },
    [tokenBody],
  )
  t.equal(r.status, 401)
  t.ok(names(r).includes('WWW-Authenticate'))
  t.match(r.headers['www-authenticate'], /^Basic /)
  t.equal(JSON.parse(r.body).error_code, 'UNAUTHORIZED')
})

t.test('DELETE with Content-Type: application/json and an empty body is accepted', async (t) => {
  const { port } = await listen(t)
  for (const extra of [{ 'content-length': '0' }, {}] as Array<Record<string, string>>) {
    const token = await mintOn(port)
    const r = await raw(port, 'DELETE', `/payments/v1/authorizations/${token}`, { ...json, ...extra })
    t.equal(r.status, 204, JSON.stringify(extra))
    t.equal(r.body, '')
    t.ok(names(r).includes('Klarna-Correlation-Id'))
  }
})

t.test('GET with Content-Type: application/json and no body is accepted', async (t) => {
  const { port } = await listen(t)
  const r = await raw(port, 'GET', '/_mock/clock', json)
  t.equal(r.status, 200)
})

t.test('chunked request bodies without Content-Length are accepted', async (t) => {
  const { port } = await listen(t)
  const token = await mintOn(port)
  const half = Math.floor(tokenBody.length / 2)
  const r = await raw(
    port,
    'POST',
    `/payments/v1/authorizations/${token}/customer-token`,
    json,
    [tokenBody.slice(0, half), tokenBody.slice(half)],
    { chunked: true },
  )
  t.equal(r.status, 200, r.body)
})

t.test(
  'malformed JSON, wrong content types, poisoned bodies: Klarna-shaped 400, state untouched',
  async (t) => {
    const { port } = await listen(t)
    const token = await mintOn(port)
    const path = `/payments/v1/authorizations/${token}/customer-token`
    const cases: Array<[string, Record<string, string>, string]> = [
      ['malformed JSON', json, '{"purchase_country": '],
      ['text/plain', { ...json, 'content-type': 'text/plain' }, tokenBody],
      ['form', { ...json, 'content-type': 'application/x-www-form-urlencoded' }, 'a=b'],
      ['no content type', { authorization: basic() }, tokenBody],
      ['__proto__', json, '{"__proto__": {"polluted": true}, "purchase_country": "SE"}'],
      ['constructor.prototype', json, '{"constructor": {"prototype": {"polluted": true}}}'],
      ['JSON array', json, '[1,2]'],
      ['JSON string', json, '"hello"'],
    ]
    for (const [name, headers, body] of cases) {
      const r = await raw(port, 'POST', path, headers, [body])
      t.equal(r.status, 400, `${name}: ${r.body}`)
      const parsed = JSON.parse(r.body)
      t.equal(parsed.error_code, 'BAD_REQUEST', name)
      t.equal(parsed.correlation_id, r.headers['klarna-correlation-id'], name)
      t.ok(names(r).includes('Content-Type'), name)
    }
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
    const after = await raw(port, 'POST', path, json, [tokenBody])
    t.equal(after.status, 200, 'the authorization still works')
  },
)

t.test('bodies over the limit: 413 in Klarna shape', async (t) => {
  const { port } = await listen(t, { bodyLimit: 1024 })
  const r = await raw(port, 'POST', '/payments/v1/sessions', json, [
    JSON.stringify({ merchant_data: 'x'.repeat(2048) }),
  ])
  t.equal(r.status, 413)
  t.equal(JSON.parse(r.body).error_code, 'REQUEST_TOO_LARGE')
})

t.test('the 401 is the real playground page by default: text/html, no correlation id', async (t) => {
  const { port } = await listen(t)
  const r = await raw(port, 'GET', '/customer-token/v1/tokens/x', {})
  t.equal(r.status, 401)
  t.match(r.headers['content-type'], /^text\/html/)
  t.match(r.body, /<title>401 Authorization Required<\/title>/)
  t.equal(r.headers['www-authenticate'], 'Basic realm="very closed site"')
  t.notOk('klarna-correlation-id' in r.headers, 'no correlation id, as on the playground')
  const ok = await raw(port, 'GET', '/customer-token/v1/tokens/x', { authorization: basic() })
  t.equal(ok.status, 404, 'other errors stay JSON')
  t.ok(names(ok).includes('Klarna-Correlation-Id'))
})

t.test('an HTTP/1.0 request without a Host header still gets working links', async (t) => {
  const { port } = await listen(t)
  const { connect } = await import('node:net')
  const token = await mintOn(port)
  const body = tokenBody
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /payments/v1/authorizations/${token}/customer-token HTTP/1.0\r\nAuthorization: ${basic()}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      )
    })
    let out = ''
    socket.on('data', (c) => {
      out += c.toString()
    })
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
  t.match(text, /^HTTP\/1\.[01] 200/)
  t.match(text, new RegExp(`"redirect_url":"http://127\\.0\\.0\\.1:${port}/_mock/redirect\\?s=`))
})

t.test('inject() answers with the same head as the socket, its streamed form too', async (t) => {
  const app = await build(t)
  for (const payloadAsStream of [false, true]) {
    const res = await app.inject({
      url: '/customer-token/v1/tokens/nope',
      headers: { authorization: basic() },
      payloadAsStream,
    })
    t.equal(res.statusCode, 404, `payloadAsStream ${String(payloadAsStream)}`)
    t.equal(res.headers['content-type'], 'application/json')
    t.match(res.headers['klarna-correlation-id'], /^[0-9a-f-]{36}$/)
    const body = payloadAsStream ? (await res.stream().toArray()).join('') : res.body
    t.equal(JSON.parse(body).correlation_id, res.headers['klarna-correlation-id'])
  }
})

t.test(
  "close waits for the requests under way, not for connections without one (a browser's preconnect) or kept alive after",
  async (t) => {
    const dir = t.testdir({
      'slow.yaml':
        'name: slow\ndescription: answers after 300 ms\napplies_to: ["*"]\nfault:\n  kind: delay\n  ms: 300\n',
    })
    const { app, port } = await listen(t, { scenarioDirs: [dir] })
    const open = async () => {
      const socket = connect(port, '127.0.0.1')
      await once(socket, 'connect')
      const seen = { data: '', ended: false }
      socket.on('data', (chunk: Buffer) => {
        seen.data += chunk.toString()
      })
      socket.on('end', () => {
        seen.ended = true
      })
      socket.on('error', () => {})
      return { socket, seen }
    }
    const unused = await open()
    const halfAHead = await open()
    halfAHead.socket.write('GET /payments/v1/sessions/s-1 HTTP/1.1\r\nHost: x\r\n')
    const underWay = await open()
    const arrived = once(app.server, 'request')
    underWay.socket.write(
      `GET /payments/v1/sessions/s-1 HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic()}\r\nKlarna-Mock-Scenario: slow\r\n\r\n`,
    )
    await arrived
    const clientsStillOpen = [unused, halfAHead, underWay].every(({ socket }) => !socket.destroyed)
    t.ok(clientsStillOpen, 'no client has closed its side')
    // Without this, the close waited until each client closed: about a minute for Chromium's
    // preconnected sockets, and Fastify's keep-alive timeout (72 s) after the slow answer.
    let bound: NodeJS.Timeout | undefined
    const closed = await Promise.race([
      app.close().then(() => 'closed'),
      new Promise((resolve) => (bound = setTimeout(resolve, 10_000, 'still waiting after 10 s'))),
    ])
    clearTimeout(bound)
    t.equal(closed, 'closed')
    // Each client sees its connection close (an end, or a reset) once what was sent to it has come:
    // waited for, not for a time.
    const closedByServer = await Promise.all(
      [unused, halfAHead, underWay].map(async ({ socket }) => {
        if (socket.destroyed) return true // closed already (this test destroys none before the end)
        let bound: NodeJS.Timeout | undefined
        const seen = await Promise.race([
          once(socket, 'close').then(() => true),
          new Promise<boolean>((resolve) => (bound = setTimeout(resolve, 5_000, false))),
        ])
        clearTimeout(bound)
        return seen
      }),
    )
    t.match(underWay.seen.data, /^HTTP\/1\.1 404 Not Found\r\n/, 'the request under way was answered')
    t.match(underWay.seen.data, /Klarna-Mock-Scenario-Applied: slow/)
    for (const [i, name] of ['unused', 'halfAHead', 'underWay'].entries()) {
      t.ok(closedByServer[i], `${name}: the server closed the connection`)
    }
    for (const { socket } of [unused, halfAHead, underWay]) socket.destroy()
  },
)

t.test('a connection that arrives while the server closes is closed at once', async (t) => {
  const app = await build(t)
  let port = 0
  let late: { closedByServer: boolean; answered: string } | undefined
  // Runs after the mock's own preClose hooks, while the server still accepts connections.
  app.addHook('preClose', async () => {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => {})
    const seen = { closedByServer: false, answered: '' }
    socket.on('data', (chunk: Buffer) => {
      seen.answered += chunk.toString()
    })
    await once(socket, 'connect')
    socket.write(`GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n`)
    await once(socket, 'close')
    seen.closedByServer = true
    late = seen
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as { port: number }).port
  await app.close()
  t.same(
    late,
    { closedByServer: true, answered: '' },
    'closed without an answer, and the close did not wait for it',
  )
})
