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
import { errors, noContent, tags } from './common.js'

/** Making state as the browser widget and Klarna would: mint, authorize, clock, reset, token status. */
const state: FastifyPluginAsyncTypebox = async (app) => {
  const d = app.domain

  app.post('/authorizations', {
    schema: { tags, description: 'Creates a payment session and authorizes it, as the browser widget would.', body: MintRequest, response: { 200: MintResponse, ...errors } }
  }, async (request) => mintAuthorization(d, request.merchant, request.body))

  app.post('/sessions/:session_id/authorize', {
    schema: { tags, description: 'Klarna.Payments.authorize() of the browser widget.', params: SessionParams, body: AuthorizeRequest, response: { 200: AuthorizeResponse, ...errors } }
  }, async (request) => authorize(d, request.merchant, request.params.session_id, request.body).result)

  app.get('/clock', { schema: { tags, response: { 200: ClockResponse } } }, async () => ({ now: d.clock.iso() }))

  app.post('/clock', {
    schema: { tags, description: 'Moves the virtual clock forward.', body: ClockAdvance, response: { 200: ClockResponse, ...errors } }
  }, async (request) => ({ now: d.clock.advance(request.body.advance_seconds).toISOString() }))

  app.post('/reset', { schema: { tags, description: 'Forgets all state and sets the clock back to real time.', response: noContent } }, async (_request, reply) => {
    resetAll(d)
    return reply.code(204).send()
  })

  app.post('/tokens/:customerToken/status', {
    schema: { tags, description: 'Suspends, reinstates or cancels a customer token, as Klarna can.', params: TokenParams, body: TokenStatusControl, response: { 200: TokenStatusControlResponse, ...errors } }
  }, async (request) => {
    const token = setTokenStatus(d, request.merchant, request.params.customerToken, request.body.status)
    return { token_id: token.id, status: token.status }
  })
}

export default state
