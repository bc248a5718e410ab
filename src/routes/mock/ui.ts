import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { assetsDir } from '../../paths.js'
import { tags } from './common.js'
import { named } from '../../http/named.js'

/**
 * The dashboard: one page and its script and style, from the package (no CDN), behind the
 * merchant's Basic auth like the rest of the control API (the browser's own prompt signs in).
 * It reads the control API: /_mock/objects, /requests, /callbacks, /scenarios, /clock.
 */
const ui: FastifyPluginAsyncTypebox = async (app) => {
  const files = {
    html: readFileSync(join(assetsDir, 'ui', 'index.html'), 'utf8'),
    js: readFileSync(join(assetsDir, 'ui', 'app.js'), 'utf8'),
    css: readFileSync(join(assetsDir, 'ui', 'app.css'), 'utf8'),
  }
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }
  app.get(
    '/ui',
    {
      schema: {
        tags,
        summary: 'The dashboard',
        description:
          "A page that shows and drives the merchant's state: authorizations with their countdown, sessions, tokens (suspend, reinstate, cancel), orders, the request journal, callbacks, scenarios and the clock.",
      },
    },
    async (_request, reply) =>
      reply
        .headers(headers)
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:")
        .send(files.html),
  )
  app.get(
    '/ui/app.js',
    {
      schema: {
        tags,
        summary: "The dashboard's script",
        description: 'Plain JavaScript, no framework (README, "Dashboard").',
      },
    },
    async (_request, reply) =>
      reply.headers(headers).type('application/javascript; charset=utf-8').send(files.js),
  )
  app.get(
    '/ui/app.css',
    { schema: { tags, summary: "The dashboard's style", description: "The dashboard's only stylesheet." } },
    async (_request, reply) => reply.headers(headers).type('text/css; charset=utf-8').send(files.css),
  )
}

export default named('mock: dashboard', ui)
