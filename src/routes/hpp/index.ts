import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  createHppSession,
  disableHppSession,
  distributeHppSession,
  readHppSession,
  type HppLinks,
} from '../../domain/hpp.js'
import { hostedPageQuery } from '../../domain/links.js'
import { baseUrl } from '../../http/links.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { created, merchantErrors, noContent } from '../../schemas/common.js'
import { examples, withExample } from '../../schemas/examples.js'
import {
  HppDistribution,
  HppParams,
  HppSessionCreate,
  HppSessionCreated,
  HppSessionView,
} from '../../schemas/hpp.js'
import { named } from '../../http/named.js'

const tags = ['Hosted Payment Page API v1']

/** The links of an HPP session: the hosted page and its QR code are pages of the mock, signed. */
export function hppLinks(request: FastifyRequest): HppLinks {
  const base = baseUrl(request)
  const query = (id: string) => hostedPageQuery(request.server.domain.links, request.merchant, id)
  return {
    baseUrl: base,
    pageUrl: (id) => `${base}/_mock/hpp?${query(id)}`,
    qrUrl: (id) => `${base}/_mock/hpp/qr?${query(id)}`,
  }
}

/** Klarna Hosted Payment Page API v1 over the mock's Payments sessions (src/domain/hpp.ts). */
const hpp: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const domain = app.domain

  app.post(
    '/hpp/v1/sessions',
    {
      schema: {
        operationId: 'createHppSession',
        tags,
        summary: 'Create an HPP session',
        description:
          'Hosts a Payments session (payment_session_url: …/payments/v1/sessions/{id}) on a page of the mock. redirect_url opens it; ' +
          'the customer approves there and is sent to merchant_urls.success with {{session_id}}, {{authorization_token}} and {{order_id}} filled in.',
        body: withExample(HppSessionCreate, examples.hppSession),
        response: { 201: HppSessionCreated, ...merchantErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(createHppSession(domain, request.merchant, request.body, hppLinks(request))),
  )

  app.get(
    '/hpp/v1/sessions/:session_id',
    {
      schema: {
        operationId: 'getSessionById',
        tags,
        summary: 'Read an HPP session',
        description:
          'Status (WAITING, IN_PROGRESS, COMPLETED, CANCELLED, BACK, FAILED, DISABLED, ERROR), and once completed the authorization_token and, when the page placed it, the order_id.',
        params: HppParams,
        response: { 200: HppSessionView, ...merchantErrors },
      },
    },
    async (request) => readHppSession(domain, request.merchant, request.params.session_id),
  )

  app.delete(
    '/hpp/v1/sessions/:session_id',
    {
      schema: {
        operationId: 'disableHppSession',
        tags,
        summary: 'Disable an HPP session',
        description: 'The page no longer takes the customer; 400 once the session was completed.',
        params: HppParams,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) => {
      disableHppSession(domain, request.merchant, request.params.session_id)
      return reply.code(204).send()
    },
  )

  app.post(
    '/hpp/v1/sessions/:session_id/distribution',
    {
      schema: {
        operationId: 'distributeHppSession',
        tags,
        summary: 'Distribute an HPP session',
        description:
          'Klarna sends the link by e-mail or SMS; the mock is offline and sends nothing: it checks the request, records it on the session and answers 201.',
        params: HppParams,
        body: withExample(HppDistribution, examples.hppDistribution),
        response: { ...created, ...merchantErrors },
      },
    },
    async (request, reply) => {
      distributeHppSession(domain, request.merchant, request.params.session_id, request.body)
      return reply.code(201).send()
    },
  )
}

export default named('hosted payment page', hpp)
