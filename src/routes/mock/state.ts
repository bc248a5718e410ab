import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authorize } from '../../domain/authorizations.js'
import { resetAll } from '../../domain/context.js'
import { mintAuthorization } from '../../domain/mint.js'
import { setTokenStatus } from '../../domain/tokens.js'
import {
  AuthorizeRequest, AuthorizeResponse, ClockAdvance, ClockResponse, MintRequest, MintResponse,
  TokenStatusControl, TokenStatusControlResponse
} from '../../schemas/mock.js'
import { SessionParams, TokenParams } from '../../schemas/params.js'
import { examples, withExample } from '../../schemas/examples.js'
import { errors, noContent, tags } from './common.js'

/** Making state as the browser widget and Klarna would: mint, authorize, clock, reset, token status. */
const state: FastifyPluginAsyncTypebox = async (app) => {
  const d = app.domain

  app.post('/authorizations', {
    schema: {
      tags,
      summary: 'Mint an authorization',
      description: 'Creates a payment session and authorizes it, as POST /payments/v1/sessions and the widget would, in one call. ' +
        'Playground e-mails in billing_address decide the outcome (denied, pending, step-up).',
      body: withExample(MintRequest, examples.mint),
      response: { 200: MintResponse, ...errors }
    }
  }, async (request) => mintAuthorization(d, request.merchant, request.body))

  app.post('/sessions/:session_id/authorize', {
    schema: {
      tags,
      summary: "Authorize a session as the widget's authorize() would",
      description: 'Answers as Klarna.Payments.authorize() calls back: approved with an authorization_token, or not with a reason.',
      params: SessionParams,
      body: withExample(AuthorizeRequest, examples.authorize),
      response: { 200: AuthorizeResponse, ...errors }
    }
  }, async (request) => authorize(d, request.merchant, request.params.session_id, request.body).result)

  app.get('/clock', {
    schema: { tags, summary: 'Read the virtual clock', description: 'The time every expiry is measured on.', response: { 200: ClockResponse } }
  }, async () => ({ now: d.clock.iso() }))

  app.post('/clock', {
    schema: {
      tags,
      summary: 'Move the virtual clock forward',
      description: 'Expires authorizations (60 minutes), sessions (48 hours) and idempotency keys (24 hours) without waiting.',
      body: withExample(ClockAdvance, examples.clock),
      response: { 200: ClockResponse, ...errors }
    }
  }, async (request) => ({ now: d.clock.advance(request.body.advance_seconds).toISOString() }))

  app.post('/reset', {
    schema: { tags, summary: 'Forget everything', description: 'Forgets all state and sets the clock back to real time.', response: noContent }
  }, async (_request, reply) => {
    resetAll(d)
    return reply.code(204).send()
  })

  app.post('/tokens/:customerToken/status', {
    schema: {
      tags,
      summary: 'Set a customer token status as Klarna can',
      description: 'Suspends, reinstates or cancels a customer token; a cancelled token stays cancelled.',
      params: TokenParams,
      body: withExample(TokenStatusControl, examples.tokenStatusControl),
      response: { 200: TokenStatusControlResponse, ...errors }
    }
  }, async (request) => {
    const token = setTokenStatus(d, request.merchant, request.params.customerToken, request.body.status)
    return { token_id: token.id, status: token.status }
  })
}

export default state
