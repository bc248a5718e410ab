import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { build } from './helpers/app.js'

t.test('GET /_mock/openapi.json is a valid OpenAPI 3 document listing every route', async t => {
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
    const path = (stack.join('') + (m[2] ?? '')).replace(/\/$/, '')
    stack.push(m[2] ?? '')
    for (const method of (m[3] ?? '').split(', ')) if (method !== 'HEAD') served.add(`${method} ${path}`)
  }
  const documented = new Set<string>()
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)
  }
  const missing = [...served].filter(r => !r.includes('/_mock/docs') && r !== 'GET /_mock/openapi.json' && !documented.has(r))
  t.same(missing, [], 'every route is documented')
  t.ok(served.size >= 20, `${served.size} routes seen`)
  t.match(doc.paths['/payments/v1/authorizations/{authorizationToken}/customer-token'].post, { operationId: 'purchaseToken', requestBody: Object, responses: { 200: Object, 404: Object } })
  t.same(doc.paths['/_mock/health'].get.security, [], 'health is documented as open')
})

t.test('the interactive page at /_mock/docs', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/_mock/docs' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /swagger-ui/i)
  const json = await app.inject({ url: '/_mock/docs/json' })
  t.equal(json.statusCode, 200)
})
