import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authorize } from '../../domain/authorizations.js'
import { mintAuthorization } from '../../domain/mint.js'
import { resetAll } from '../../domain/context.js'
import { setTokenStatus } from '../../domain/tokens.js'
import { KlarnaErrorBody } from '../../schemas/common.js'
import {
  AuthorizeRequest, AuthorizeResponse, ClockAdvance, ClockResponse, Health, MintRequest, MintResponse,
  TokenStatusControl, TokenStatusControlResponse
} from '../../schemas/mock.js'
import { SessionParams, TokenParams } from '../../schemas/params.js'
import { ArmRequest, ScenarioListEntry } from '../../schemas/scenario.js'
import { CallbackEntry, JournalEntrySchema } from '../../schemas/mock.js'
import { Type } from '@sinclair/typebox'
import redirect from './redirect.js'

const errors = { 400: KlarnaErrorBody, 401: KlarnaErrorBody, 403: KlarnaErrorBody, 404: KlarnaErrorBody }
const tags = ['Control API (/_mock)']

/** The test-control API under /_mock: no Klarna path starts with it. */
const mock: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags, security: [], response: { 200: Health } } }, async () => ({ status: 'ok' as const }))
  await app.register(redirect)

  // Everything else needs the merchant's Basic credentials.
  await app.register(guardedRoutes)
}

const guardedRoutes: FastifyPluginAsyncTypebox = async (guarded) => {
  const d = guarded.domain
  guarded.addHook('onRequest', guarded.basicAuth)

  guarded.post('/authorizations', {
    schema: { tags, description: 'Creates a payment session and authorizes it, as the browser widget would.', body: MintRequest, response: { 200: MintResponse, ...errors } }
  }, async (request) => mintAuthorization(d, request.merchant, request.body))

  guarded.post('/sessions/:session_id/authorize', {
    schema: { tags, description: 'Klarna.Payments.authorize() of the browser widget.', params: SessionParams, body: AuthorizeRequest, response: { 200: AuthorizeResponse, ...errors } }
  }, async (request) => authorize(d, request.merchant, request.params.session_id, request.body).result)

  guarded.get('/clock', { schema: { tags, response: { 200: ClockResponse } } }, async () => ({ now: d.clock.iso() }))

  guarded.post('/clock', {
    schema: { tags, description: 'Moves the virtual clock forward.', body: ClockAdvance, response: { 200: ClockResponse, ...errors } }
  }, async (request) => ({ now: d.clock.advance(request.body.advance_seconds).toISOString() }))

  guarded.post('/reset', { schema: { tags, description: 'Forgets all state and sets the clock back to real time.', response: { 204: { type: 'null' } } } }, async (_request, reply) => {
    resetAll(d)
    return reply.code(204).send()
  })

  guarded.get('/scenarios', {
    schema: { tags, description: 'Every loaded scenario.', response: { 200: Type.Array(ScenarioListEntry) } }
  }, async () => d.scenarios.list().map(s => {
    const only = s.steps.length === 1 || s.repeat ? s.steps[0] : undefined
    return {
      name: s.name,
      description: s.description,
      applies_to: s.appliesTo,
      ...(only?.error === undefined ? {} : { status: only.error.status, error_code: only.error.error_code })
    }
  }))

  guarded.post('/scenarios/arm', {
    schema: { tags, description: "Arms a scenario for this merchant's next calls.", body: ArmRequest, response: { 200: ArmRequest, ...errors } }
  }, async (request) => {
    const { name, times = 1, operation } = request.body
    d.scenarios.arm(request.merchant, name, times, operation)
    return { name, times, ...(operation === undefined ? {} : { operation }) }
  })

  // With a credentials list a merchant sees only its own requests; with open auth any username
  // passes anyway, so the journal is shared and `merchant` filters it.
  const journalScope = (merchant: string, asked?: string) => guarded.mockOptions.credentials == null ? asked : merchant

  guarded.get('/requests', {
    schema: {
      tags,
      description: 'The request journal, newest first.',
      querystring: Type.Object({
        merchant: Type.Optional(Type.String()),
        path: Type.Optional(Type.String()),
        status: Type.Optional(Type.String({ pattern: '^[1-5][0-9][0-9]$' })),
        limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' }))
      }),
      response: { 200: Type.Array(JournalEntrySchema), ...errors }
    }
  }, async (request) => {
    const q = request.query
    return d.journal.list({
      merchant: journalScope(request.merchant, q.merchant),
      path: q.path,
      status: q.status === undefined ? undefined : Number(q.status),
      limit: q.limit === undefined ? undefined : Number(q.limit)
    })
  })

  guarded.delete('/requests', { schema: { tags, description: 'Clears the request journal.', response: { 204: { type: 'null' } } } }, async (request, reply) => {
    d.journal.clear(journalScope(request.merchant))
    return reply.code(204).send()
  })

  guarded.get('/callbacks', {
    schema: { tags, description: "Klarna's callbacks to this merchant's URLs: sent, failed and still due (newest first).", response: { 200: Type.Array(CallbackEntry) } }
  }, async (request) => d.outbox.list(journalScope(request.merchant)).map(c => ({
    id: c.id,
    kind: c.kind,
    url: c.url,
    body: c.body,
    due_at: new Date(c.dueAtMs).toISOString(),
    state: c.state,
    attempts: c.attempts,
    last_result: c.lastResult ?? null
  })))

  guarded.post('/tokens/:customerToken/status', {
    schema: { tags, description: 'Suspends, reinstates or cancels a customer token, as Klarna can.', params: TokenParams, body: TokenStatusControl, response: { 200: TokenStatusControlResponse, ...errors } }
  }, async (request) => {
    const token = setTokenStatus(d, request.merchant, request.params.customerToken, request.body.status)
    return { token_id: token.id, status: token.status }
  })
}

export default mock
