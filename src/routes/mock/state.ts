import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authorize } from '../../domain/authorizations.js'
import { clockOf, resetAll, sweepExpired } from '../../domain/context.js'
import { mintAuthorization } from '../../domain/mint.js'
import { baseUrl } from '../../http/links.js'
import { setTokenStatus } from '../../domain/tokens.js'
import {
  AuthorizeRequest,
  AuthorizeResponse,
  ClockAdvance,
  ClockResponse,
  MintRequest,
  MintResponse,
  TokenStatusControl,
  TokenStatusControlResponse,
} from '../../schemas/mock.js'
import { SessionParams, TokenParams } from '../../schemas/params.js'
import { examples, withExample } from '../../schemas/examples.js'
import { merchantErrors, noContent } from '../../schemas/common.js'
import { MerchantQuery, oneTarget, tags, target } from './common.js'
import { named } from '../../http/named.js'

/** Making state as the browser widget and Klarna would: mint, authorize, clock, reset, token status. */
const state: FastifyPluginAsyncTypebox = async (app) => {
  const domain = app.domain

  app.post(
    '/authorizations',
    {
      schema: {
        tags,
        summary: 'Mint an authorization',
        description:
          'Creates a payment session and authorizes it, as POST /payments/v1/sessions and the widget would, in one call. ' +
          'Playground e-mails in billing_address decide the outcome (denied, pending, step-up).',
        querystring: MerchantQuery,
        body: withExample(MintRequest, examples.mint),
        response: { 200: MintResponse, ...merchantErrors },
      },
    },
    async (request) => mintAuthorization(domain, oneTarget(request), request.body, baseUrl(request)),
  )

  app.post(
    '/sessions/:session_id/authorize',
    {
      schema: {
        tags,
        summary: "Authorize a session as the widget's authorize() would",
        description:
          'Answers as Klarna.Payments.authorize() calls back: approved with an authorization_token, or not with a reason.',
        params: SessionParams,
        querystring: MerchantQuery,
        body: withExample(AuthorizeRequest, examples.authorize),
        response: { 200: AuthorizeResponse, ...merchantErrors },
      },
    },
    async (request) => authorize(domain, oneTarget(request), request.params.session_id, request.body).result,
  )

  app.get(
    '/clock',
    {
      schema: {
        tags,
        summary: "Read the merchant's virtual clock",
        description:
          "The time every expiry of the caller's objects is measured on (each merchant has its own).",
        querystring: MerchantQuery,
        response: { 200: ClockResponse, ...merchantErrors },
      },
    },
    async (request) => ({ now: clockOf(domain, oneTarget(request)).iso() }),
  )

  app.post(
    '/clock',
    {
      schema: {
        tags,
        summary: "Move the merchant's virtual clock forward",
        description:
          "Expires the caller's authorizations (60 minutes), sessions (48 hours), idempotency keys (24 hours) and orders (28 days) without waiting; other merchants' clocks do not move.",
        querystring: MerchantQuery,
        body: withExample(ClockAdvance, examples.clock),
        response: { 200: ClockResponse, ...merchantErrors },
      },
    },
    async (request) => {
      const merchant = oneTarget(request)
      const now = domain.store.merchant(merchant).clock.advance(request.body.advance_seconds).toISOString()
      sweepExpired(domain, merchant)
      return { now }
    },
  )

  app.post(
    '/reset',
    {
      schema: {
        tags,
        summary: "Forget the merchant's state",
        description:
          "Forgets the caller's state, armed scenarios, journal entries and callbacks, and sets its clock back to real time; other merchants keep theirs. The operator: ?merchant=NAME or ?merchant=* (everyone).",
        querystring: MerchantQuery,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) => {
      resetAll(domain, target(request, { all: true }))
      return reply.code(204).send()
    },
  )

  app.post(
    '/tokens/:customerToken/status',
    {
      schema: {
        tags,
        summary: 'Set a customer token status as Klarna can',
        description: 'Suspends, reinstates or cancels a customer token; a cancelled token stays cancelled.',
        params: TokenParams,
        querystring: MerchantQuery,
        body: withExample(TokenStatusControl, examples.tokenStatusControl),
        response: { 200: TokenStatusControlResponse, ...merchantErrors },
      },
    },
    async (request) => {
      const token = setTokenStatus(
        domain,
        oneTarget(request),
        request.params.customerToken,
        request.body.status,
      )
      return { token_id: token.id, status: token.status }
    },
  )
}

export default named('mock: state', state)
