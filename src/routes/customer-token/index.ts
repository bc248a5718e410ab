import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cancelToken, createTokenOrder, readToken } from '../../domain/tokens.js'
import { baseUrl } from '../../http/links.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { KlarnaErrorBody } from '../../schemas/common.js'
import { CustomerTokenOrder, CustomerTokenRead, Order, TokenStatusUpdate } from '../../schemas/klarna.js'
import { TokenParams } from '../../schemas/params.js'

const errors = { 400: KlarnaErrorBody, 401: KlarnaErrorBody, 403: KlarnaErrorBody, 404: KlarnaErrorBody, 409: KlarnaErrorBody }
const tags = ['Customer Token API v1']

/** Klarna Customer Token API v1: read a token, cancel it, charge it. */
const customerToken: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const d = app.domain

  app.get('/customer-token/v1/tokens/:customerToken', {
    schema: { operationId: 'readCustomerToken', tags, params: TokenParams, response: { 200: CustomerTokenRead, ...errors } }
  }, async (request) => readToken(d, request.merchant, request.params.customerToken))

  app.patch('/customer-token/v1/tokens/:customerToken/status', {
    schema: { operationId: 'patchCustomerToken', tags, params: TokenParams, body: TokenStatusUpdate, response: { 202: { type: 'null' }, ...errors } }
  }, async (request, reply) => {
    cancelToken(d, request.merchant, request.params.customerToken)
    return reply.code(202).send()
  })

  app.post('/customer-token/v1/tokens/:customerToken/order', {
    schema: {
      operationId: 'createTokenOrder',
      tags,
      params: TokenParams,
      // Not a `headers` schema: validation drops what a schema does not declare (see app.ts),
      // which would strip every other header. The key is checked in the domain instead.
      description: 'Header Klarna-Idempotency-Key (optional, 1-255 characters): the same key within 24 hours returns the same response without charging again.',
      body: CustomerTokenOrder,
      response: { 200: Order, ...errors }
    }
  }, async (request, reply) => {
    const key = request.headers['klarna-idempotency-key']
    const result = createTokenOrder(d, request.merchant, request.params.customerToken, request.body, {
      baseUrl: baseUrl(request),
      patch: request.scenarioPatch,
      idempotencyKey: Array.isArray(key) ? key[0] : key
    })
    if (result.replayed) reply.header('Klarna-Idempotent-Replayed', 'true')
    return result.body
  })
}

export default customerToken
