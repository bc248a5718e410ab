import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { MockOptions } from '../../dist/config.js'
import type { Test } from 'tap'
import { basic, build, tokenRequest, type Tap } from './app.js'

/** The headers of merchant-a's JSON calls. */
export const jsonHeaders = { authorization: basic(), 'content-type': 'application/json' }
/** A customer-token request body, as the text a client sends. */
export const tokenBody = JSON.stringify(tokenRequest({ description: 'Sub' }))

/** The app on a real port of 127.0.0.1, for tests where the wire matters. */
export async function listen(
  t: Tap,
  options: MockOptions = {},
): Promise<{ app: FastifyInstance; port: number; url: string }> {
  const app = await build(t, options)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { app, port: address.port, url: `http://127.0.0.1:${address.port}` }
}

export interface RawResponse {
  status: number
  rawHeaders: string[]
  headers: IncomingHttpHeaders
  body: string
}

/** One HTTP request with full control of headers and body framing; the raw header names come back. */
export async function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  chunks: string[] = [],
  opts: { chunked?: boolean } = {},
): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, headers: res.headers, body }),
      )
    })
    req.on('error', reject)
    if (opts.chunked === true) req.setHeader('Transfer-Encoding', 'chunked')
    for (const c of chunks) req.write(c)
    req.end()
  })
}

/** Header names as they were written on the wire. */
export const names = (r: RawResponse): string[] => r.rawHeaders.filter((_, i) => i % 2 === 0)

/**
 * A new authorization of merchant-a on `port` (POST /_mock/authorizations with `body`): its token.
 * Given a test, asserts the 200; otherwise any other status throws.
 */
export async function mintOn(port: number, body: Record<string, unknown> = {}, t?: Test): Promise<string> {
  const r = await raw(port, 'POST', '/_mock/authorizations', jsonHeaders, [JSON.stringify(body)])
  if (t !== undefined) t.equal(r.status, 200, `mint: ${r.body}`)
  else if (r.status !== 200) throw new Error(`mint: ${r.status} ${r.body}`)
  return (JSON.parse(r.body) as { authorization_token: string }).authorization_token
}
