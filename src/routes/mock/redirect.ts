import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors } from '../../domain/errors.js'
import { RedirectQuery } from '../../schemas/mock.js'
import { escapeHtml } from '../browser/pages.js'
import { tags } from './common.js'
import { named } from '../../http/named.js'

/**
 * Where every redirect_url the mock hands out leads. Opened by a browser, without credentials:
 * 302 to the session's merchant_urls.confirmation with {session.id} and {order.id} filled in,
 * or a small page saying what happened.
 */
const redirect: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/redirect',
    {
      schema: {
        tags,
        security: [],
        summary: 'Follow a redirect_url',
        description:
          'Where redirect_url links lead (opened by a browser, no credentials). The link is signed and self-contained: ' +
          'it works on any replica that shares the link secret. Its parameters: s (session), w (what happened), ' +
          'o (order), c (confirmation URL), tag; or link, the form of earlier versions.',
        querystring: RedirectQuery,
      },
    },
    async (request, reply) => {
      const { query } = request
      const link =
        query.link === undefined ? app.domain.links.verifyQuery(query) : app.domain.links.verify(query.link)
      if (link === undefined) throw errors.unknownRedirect()
      if (link.c !== undefined && link.c !== '') {
        const target = link.c
          .replaceAll('{session.id}', encodeURIComponent(link.s))
          .replaceAll('{order.id}', encodeURIComponent(link.o ?? ''))
        return reply.code(302).header('Location', target).send()
      }
      const html =
        `<!doctype html><html><head><meta charset="utf-8"><title>klarna-mock</title></head><body>` +
        `<h1>klarna-mock: ${escapeHtml(link.w)}</h1><p>Session ${escapeHtml(link.s)}` +
        `${link.o === undefined ? '' : `, order ${escapeHtml(link.o)}`}.</p>` +
        '<p>No merchant_urls.confirmation was given, so there is nowhere to send you.</p></body></html>'
      return reply.code(200).type('text/html; charset=utf-8').send(html)
    },
  )
}

export default named('mock: redirect', redirect)
