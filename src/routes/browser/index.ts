import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '../../typebox.js'
import type { FastifyReply } from 'fastify'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { authorize } from '../../domain/authorizations.js'
import type { Domain } from '../../domain/context.js'
import { KlarnaError, errors } from '../../domain/errors.js'
import { decideHpp, getHppSession, openHostedPage } from '../../domain/hpp.js'
import {
  checkHostedPageSignature,
  hostedPageQuery,
  verifyClientToken,
  type ClientTokenPayload,
} from '../../domain/links.js'
import { getSession } from '../../domain/sessions.js'
import type { Session } from '../../domain/store.js'
import { baseUrl } from '../../http/links.js'
import { assetsDir } from '../../paths.js'
import { browserErrors } from '../../schemas/common.js'
import { examples, withExample } from '../../schemas/examples.js'
import { AuthorizeResponse, authorizeFields } from '../../schemas/mock.js'
import { authorizePage, hostedPage, reviewPage, widgetPage, type CategoryView } from './pages.js'
import { named } from '../../http/named.js'

const tags = ['Browser (SDK stand-in, widget, hosted page)']
const Token = Type.String({ minLength: 1, maxLength: 8192 })
/**
 * The merchant, for a proxy that routes browsers by it (deploy/haproxy.cfg); the token or signature is what
 * is trusted.
 */
const M = Type.String({ minLength: 1, maxLength: 255 })
const CategoryList = Type.String({ minLength: 1, maxLength: 512 })
const HppQuery = Type.Object({
  m: M,
  id: Type.String({ minLength: 1, maxLength: 255 }),
  sig: Type.String({ minLength: 1, maxLength: 128 }),
})

const amountOf = (s: Session | undefined) =>
  s === undefined ? '' : `${(s.data.order_amount / 100).toFixed(2)} ${s.data.purchase_currency}`

/** Pages are answered as HTML, and may be framed by the merchant's page (as Klarna's iframes are). */
const html = (reply: FastifyReply, body: string) =>
  reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(body)

/**
 * What a browser talks to, without credentials: the SDK stand-in at Klarna's CDN path, the pages it
 * frames (widget, authorize dialog, payment review), the decision it posts, and the hosted payment
 * page. A client_token (a JWT signed with the link secret) or a signed page link says which
 * merchant's session is meant: nothing else from the query is trusted.
 */
const browser: FastifyPluginAsyncTypebox = async (app) => {
  const domain: Domain = app.domain
  const sdk = readFileSync(join(assetsDir, 'kp-sdk.js'), 'utf8')

  const tokenOf = (token: string, m?: string): ClientTokenPayload => {
    const payload = verifyClientToken(domain.links, token)
    if (payload === undefined || (m !== undefined && m !== payload.merchant)) {
      throw errors.invalidClientToken()
    }
    return payload
  }
  const categoryView = (id: string): CategoryView => ({
    id,
    name: domain.catalog.categories.get(id)?.name ?? id,
  })
  /** The token's session, or undefined once it is gone (the pages still render; authorize says no). */
  const sessionOf = (p: ClientTokenPayload): Session | undefined => {
    try {
      return getSession(domain, p.merchant, p.session_id)
    } catch {
      return undefined
    }
  }

  app.get(
    '/kp/lib/v1/api.js',
    {
      schema: {
        tags,
        security: [],
        summary: "The Payments JS SDK stand-in (Klarna's CDN path)",
        description:
          'Serve this where the page loads https://x.klarnacdn.net/kp/lib/v1/api.js (README, "Front-end tests").',
      },
    },
    async (_request, reply) =>
      reply
        .type('application/javascript; charset=utf-8')
        .header('Access-Control-Allow-Origin', '*')
        .header('Cache-Control', 'no-cache')
        .send(sdk),
  )

  const WidgetQuery = Type.Object({ client_token: Token, m: Type.Optional(M), category: CategoryList })
  app.get(
    '/_mock/widget',
    {
      schema: {
        tags,
        security: [],
        summary: 'The payment method widget (load())',
        description:
          "The page load() frames in the merchant's container: the category, labelled klarna-mock.",
        querystring: WidgetQuery,
        response: browserErrors,
      },
    },
    async (request, reply) => {
      const p = tokenOf(request.query.client_token, request.query.m)
      return html(
        reply,
        widgetPage(request.query.category.split(',').map(categoryView), amountOf(sessionOf(p))),
      )
    },
  )

  app.get(
    '/_mock/widget/authorize',
    {
      schema: {
        tags,
        security: [],
        summary: 'The authorize dialog (authorize(), finalize())',
        description: 'data-testid klarna-mock-approve / klarna-mock-deny / klarna-mock-email.',
        querystring: Type.Object({
          client_token: Token,
          m: Type.Optional(M),
          category: CategoryList,
          email: Type.Optional(Type.String({ maxLength: 320 })),
          purpose: Type.Optional(Type.Union([Type.Literal('authorize'), Type.Literal('finalize')])),
        }),
        response: browserErrors,
      },
    },
    async (request, reply) => {
      const p = tokenOf(request.query.client_token, request.query.m)
      const session = sessionOf(p)
      const email = request.query.email ?? session?.data.billing_address?.email ?? ''
      return html(
        reply,
        authorizePage(
          categoryView(request.query.category),
          amountOf(session),
          email,
          request.query.purpose ?? 'authorize',
        ),
      )
    },
  )

  app.get(
    '/_mock/widget/review',
    {
      schema: {
        tags,
        security: [],
        summary: 'The payment review (loadPaymentReview())',
        description: 'The page loadPaymentReview() frames: the authorized category and amount.',
        querystring: Type.Object({ client_token: Token, m: Type.Optional(M) }),
        response: browserErrors,
      },
    },
    async (request, reply) => {
      const p = tokenOf(request.query.client_token, request.query.m)
      const session = sessionOf(p)
      const category =
        session?.authorizationToken === undefined
          ? undefined
          : domain.store.find(p.merchant)?.authorizations.get(session.authorizationToken)
              ?.paymentMethodCategory
      return html(
        reply,
        reviewPage(category === undefined ? 'Klarna' : categoryView(category).name, amountOf(session)),
      )
    },
  )

  // The SDK posts the customer's approval from the merchant's page (another origin): CORS.
  const cors = (reply: FastifyReply) =>
    reply
      .header('Access-Control-Allow-Origin', '*')
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', 'content-type')
      .header('Access-Control-Max-Age', '600')
  app.options(
    '/_mock/widget/authorize',
    {
      schema: {
        tags,
        security: [],
        summary: "CORS preflight of the SDK's post",
        description:
          "The merchant's page is another origin: any origin may post the customer's decision (the client_token is what is trusted).",
      },
    },
    async (_request, reply) => cors(reply).code(204).send(),
  )
  app.post(
    '/_mock/widget/authorize',
    {
      schema: {
        tags,
        security: [],
        summary: "The customer's approval in the dialog",
        description:
          "Authorizes the client_token's session exactly as POST /_mock/sessions/{id}/authorize. A session that is gone or complete answers {approved: false, show_form: false}, as the SDK calls back.",
        querystring: Type.Object({ m: Type.Optional(M) }),
        body: withExample(
          Type.Object({ client_token: Token, ...authorizeFields }, { required: ['client_token'] }),
          examples.widgetAuthorize,
        ),
        response: { 200: AuthorizeResponse, ...browserErrors },
      },
    },
    async (request, reply) => {
      cors(reply)
      const { client_token: token, ...input } = request.body
      const p = tokenOf(token, request.query.m)
      try {
        return authorize(domain, p.merchant, p.session_id, input).result
      } catch (error) {
        if (error instanceof KlarnaError && error.statusCode === 404) {
          return { approved: false, show_form: false }
        }
        throw error
      }
    },
  )

  // The hosted payment page: opened from an HPP session's redirect_url (signed link).
  const hppOf = (q: { m: string; id: string; sig: string }) => {
    if (!checkHostedPageSignature(domain.links, q.m, q.id, q.sig)) throw errors.hppSessionNotFound()
    return q
  }
  app.get(
    '/_mock/hpp',
    {
      schema: {
        tags,
        security: [],
        summary: 'The hosted payment page (redirect_url of an HPP session)',
        description:
          'data-testid klarna-mock-approve (pay), klarna-mock-deny (cancel), klarna-mock-back, klarna-mock-email, klarna-mock-category.',
        querystring: HppQuery,
        response: browserErrors,
      },
    },
    async (request, reply) => {
      const q = hppOf(request.query)
      const { record, session } = openHostedPage(domain, q.m, q.id)
      return html(
        reply,
        hostedPage({
          title: record.pageTitle ?? 'Complete your purchase',
          amount: amountOf(session),
          categories: record.categories.map(categoryView),
          email: session?.data.billing_address?.email ?? '',
          status: record.status,
          decisionUrl: `/_mock/hpp/decision?${hostedPageQuery(domain.links, q.m, q.id)}`,
        }),
      )
    },
  )

  app.post(
    '/_mock/hpp/decision',
    {
      schema: {
        tags,
        security: [],
        summary: "The customer's choice on the hosted page",
        description:
          'Answers the new status and where the browser goes (the merchant URL with placeholders filled, when one was given).',
        querystring: HppQuery,
        body: withExample(
          Type.Object(
            {
              action: Type.Union([Type.Literal('approve'), Type.Literal('cancel'), Type.Literal('back')]),
              email: Type.Optional(Type.String({ maxLength: 320 })),
              payment_method_category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            },
            { required: ['action'] },
          ),
          examples.hppDecision,
        ),
        response: {
          200: Type.Object({ status: Type.String(), location: Type.Optional(Type.String()) }),
          ...browserErrors,
        },
      },
    },
    async (request) => {
      const q = hppOf(request.query)
      const { status, location } = decideHpp(domain, q.m, q.id, request.body.action, {
        ...request.body,
        baseUrl: baseUrl(request),
      })
      return location === undefined ? { status } : { status, location }
    },
  )

  app.get(
    '/_mock/hpp/qr',
    {
      schema: {
        tags,
        security: [],
        summary: "The hosted page's QR code (qr_code_url)",
        description: 'An SVG QR code of the hosted page link.',
        querystring: HppQuery,
        response: { 200: Type.String(), ...browserErrors },
      },
    },
    async (request, reply) => {
      const q = hppOf(request.query)
      getHppSession(domain, q.m, q.id)
      const page = `${baseUrl(request)}/_mock/hpp?${hostedPageQuery(domain.links, q.m, q.id)}`
      // Loaded on the first QR code asked for: start-up does not need it.
      const { default: QRCode } = await import('qrcode')
      return reply.type('image/svg+xml').send(await QRCode.toString(page, { type: 'svg', margin: 2 }))
    },
  )
}

export default named('browser', browser)
