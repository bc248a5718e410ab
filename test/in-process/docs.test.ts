import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { build, call, mint, tokenRequest } from '../helpers/app.js'
import { exampleSessionId } from '../../dist/schemas/examples.js'

t.test('GET /_mock/openapi.json is a valid OpenAPI 3 document listing every route', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/_mock/openapi.json' })
  t.equal(res.statusCode, 200, 'no credentials needed')
  const doc = res.json()
  t.match(doc.openapi, /^3\./)
  await t.resolves(SwaggerParser.validate(structuredClone(doc)), 'valid')
  // Every route the router serves (but the docs' own files) is in the document.
  const served = new Set<string>()
  let stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line)
    if (m === null) continue
    const depth = (m[1] ?? '').length / 4
    stack = stack.slice(0, depth)
    const path = (stack.join('') + (m[2] ?? '')).replace(/(.)\/$/, '$1')
    stack.push(m[2] ?? '')
    for (const method of (m[3] ?? '').split(', ')) if (method !== 'HEAD') served.add(`${method} ${path}`)
  }
  const documented = new Set<string>()
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) {
      documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)
    }
  }
  const missing = [...served].filter(
    (r) => !r.includes('/_mock/docs') && r !== 'GET /_mock/openapi.json' && !documented.has(r),
  )
  t.same(missing, [], 'every route is documented')
  t.ok(served.size >= 20, `${served.size} routes seen`)
  t.match(doc.paths['/payments/v1/authorizations/{authorizationToken}/customer-token'].post, {
    operationId: 'purchaseToken',
    requestBody: Object,
    responses: { 200: Object, 404: Object },
  })
  t.same(doc.paths['/_mock/health'].get.security, [], 'health is documented as open')
})

t.test('the interactive page at /_mock/docs', async (t) => {
  const app = await build(t)
  // Swagger UI is registered on the first visit (src/http/docs.ts), not at start.
  t.notMatch(
    app.printRoutes({ commonPrefix: false }),
    /swagger-initializer|static/,
    'no Swagger UI route at start',
  )
  const res = await app.inject({ url: '/_mock/docs' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /swagger-ui/i)
  t.match(res.headers['content-type'], /^text\/html/)
  const json = await app.inject({ url: '/_mock/docs/json' })
  t.equal(json.statusCode, 200)
  t.same(json.json(), (await app.inject({ url: '/_mock/openapi.json' })).json(), 'the same document')

  const css = await app.inject({ url: '/_mock/docs/static/swagger-ui.css' })
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /^text\/css/)
  t.ok(css.rawPayload.length > 10_000, `the whole file (${css.rawPayload.length} bytes)`)
  t.equal(css.headers['content-length'], String(css.rawPayload.length))
  const etag = css.headers.etag
  t.type(etag, 'string', 'an ETag, passed on')
  const again = await app.inject({
    url: '/_mock/docs/static/swagger-ui.css',
    headers: { 'if-none-match': String(etag) },
  })
  t.equal(again.statusCode, 304, 'a conditional request is answered 304')
  const head = await app.inject({ method: 'HEAD', url: '/_mock/docs/static/swagger-ui.css' })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], css.headers['content-length'], 'HEAD: the length of the GET')
  t.equal(head.rawPayload.length, 0)

  const missing = await app.inject({ url: '/_mock/docs/static/no-such-file.js' })
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), {
    error_code: 'NOT_FOUND',
    error_messages: ['No such endpoint: GET /_mock/docs/static/no-such-file.js'],
    correlation_id: String,
  })
})

t.test(
  'every operation has a summary and a description; every request body a realistic example that the mock accepts',
  async (t) => {
    const app = await build(t)
    const doc = (await app.inject({ url: '/_mock/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId?: string
            summary?: string
            description?: string
            requestBody?: { content: Record<string, { example?: unknown }> }
          }
        >
      >
    }
    const sent: string[] = []
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const label = `${method.toUpperCase()} ${path}`
        t.ok((op.summary ?? '').length > 3, `${label}: summary`)
        t.ok((op.description ?? '').length > 10, `${label}: description`)
        if (op.requestBody === undefined) continue
        const example = op.requestBody.content['application/json']?.example
        t.ok(example !== undefined, `${label}: an example`)
        if (example === undefined) continue
        // What each example needs to exist first: a GB authorization of the example cart, a token, a session.
        const cart = {
          purchase_country: 'GB',
          intent: 'buy_and_tokenize',
          order_amount: 10000,
          order_tax_amount: 2000,
          order_lines: (
            doc.paths['/payments/v1/sessions']?.post?.requestBody?.content['application/json']?.example as {
              order_lines: unknown[]
            }
          ).order_lines,
        }
        const { authorization_token: auth, session_id: sid } = await mint(app, cart)
        const { authorization_token: tokenAuth } = await mint(app, cart)
        const token = (
          await call(
            app,
            'POST',
            `/payments/v1/authorizations/${tokenAuth}/customer-token`,
            tokenRequest({ purchase_country: 'GB', purchase_currency: 'GBP', locale: 'en-GB' }),
          )
        ).json().token_id as string
        // Order Management: an order of the example token order (GB, 25.00), with a capture of 12.00 to
        // refund from and act on.
        const order = (
          await call(
            app,
            'POST',
            `/customer-token/v1/tokens/${token}/order`,
            doc.paths['/customer-token/v1/tokens/{customerToken}/order']?.post?.requestBody?.content[
              'application/json'
            ]?.example,
          )
        ).json().order_id as string
        const captureId = (
          await call(app, 'POST', `/ordermanagement/v1/orders/${order}/captures`, { captured_amount: 1200 })
        ).headers['capture-id'] as string
        const url = path
          .replace('{session_id}', sid)
          .replace('{authorizationToken}', auth)
          .replace('{customerToken}', token)
          .replace('{order_id}', order)
          .replace('{capture_id}', captureId)
        // HPP and the browser's posts need a live payment session, an HPP session, a client_token.
        if (
          path.startsWith('/hpp/') ||
          path === '/_mock/widget/authorize' ||
          path === '/_mock/hpp/decision'
        ) {
          const live = (
            await call(
              app,
              'POST',
              '/payments/v1/sessions',
              doc.paths['/payments/v1/sessions']?.post?.requestBody?.content['application/json']?.example,
            )
          ).json() as { session_id: string; client_token: string }
          const body = JSON.parse(
            JSON.stringify(example)
              .replaceAll(exampleSessionId, live.session_id)
              .replace(/eyJ[^"]*…/, live.client_token),
          ) as unknown
          const hpp = (
            await call(app, 'POST', '/hpp/v1/sessions', {
              payment_session_url: `/payments/v1/sessions/${live.session_id}`,
            })
          ).json() as { session_id: string; redirect_url: string }
          const target =
            path === '/_mock/hpp/decision'
              ? `${path}${new URL(hpp.redirect_url).search}`
              : path.replace('{session_id}', hpp.session_id)
          const res = await call(app, method.toUpperCase() as 'POST', target, body)
          t.ok(
            res.statusCode < 300,
            `${label}: the example is accepted (${res.statusCode} ${res.body.slice(0, 200)})`,
          )
          sent.push(label)
          continue
        }
        const res = await call(
          app,
          method.toUpperCase() as 'POST',
          url.startsWith('/_mock/sessions/')
            ? `/_mock/sessions/${(await call(app, 'POST', '/payments/v1/sessions', doc.paths['/payments/v1/sessions']?.post?.requestBody?.content['application/json']?.example)).json().session_id as string}/authorize`
            : url,
          example,
        )
        t.ok(
          res.statusCode < 300,
          `${label}: the example is accepted (${res.statusCode} ${res.body.slice(0, 200)})`,
        )
        sent.push(label)
      }
    }
    t.equal(sent.length, 23, `${sent.length} examples sent`)
  },
)

t.test('GET / says where to start, without credentials', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    name: 'klarna-mock',
    docs: '/_mock/docs',
    openapi: '/_mock/openapi.json',
    dashboard: '/_mock/ui',
    sdk: '/kp/lib/v1/api.js',
  })
})
