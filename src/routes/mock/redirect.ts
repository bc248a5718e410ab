import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { notFound } from '../../domain/errors.js'
import { tags } from './common.js'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/**
 * Where every redirect_url the mock hands out leads. Opened by a browser, without credentials:
 * 302 to the session's merchant_urls.confirmation with {session.id} and {order.id} filled in,
 * or a small page saying what happened.
 */
const redirect: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/redirect/:id', {
    schema: { tags, security: [], summary: 'Follow a redirect_url', description: 'Where redirect_url links lead (opened by a browser, no credentials).', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) }
  }, async (request, reply) => {
    const link = app.domain.store.redirects.get(request.params.id)
    if (link === undefined) throw notFound('Unknown redirect')
    if (link.confirmation !== undefined && link.confirmation !== '') {
      const target = link.confirmation
        .replaceAll('{session.id}', encodeURIComponent(link.sessionId))
        .replaceAll('{order.id}', encodeURIComponent(link.orderId ?? ''))
      return reply.code(302).header('Location', target).send()
    }
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>klarna-mock</title></head><body>` +
      `<h1>klarna-mock: ${escapeHtml(link.what)}</h1><p>Session ${escapeHtml(link.sessionId)}` +
      `${link.orderId === undefined ? '' : `, order ${escapeHtml(link.orderId)}`}.</p>` +
      '<p>No merchant_urls.confirmation was given, so there is nowhere to send you.</p></body></html>'
    return reply.code(200).type('text/html; charset=utf-8').send(html)
  })
}

export default redirect
