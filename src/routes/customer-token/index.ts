import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cancelToken, createTokenOrder, readToken } from '../../domain/tokens.js'
import { baseUrl } from '../../http/links.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { merchantErrorsWithConflict } from '../../schemas/common.js'
import { examples, withExample } from '../../schemas/examples.js'
import { CustomerTokenOrder, CustomerTokenRead, Order, TokenStatusUpdate } from '../../schemas/klarna.js'
import { TokenParams } from '../../schemas/params.js'
import { tokenRead } from '../hot-calls.js'
import { named } from '../../http/named.js'

const tags = ['Customer Token API v1']

/** Klarna Customer Token API v1: read a token, cancel it, charge it. */
const customerToken: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const domain = app.domain

  app.get(
    tokenRead.url,
    {
      schema: {
        operationId: tokenRead.operationId,
        tags,
        summary: 'Read a customer token',
        description:
          'Its status (ACTIVE, SUSPENDED, CANCELLED) and payment method, with the card or direct-debit details where it has them.',
        params: TokenParams,
        response: { 200: CustomerTokenRead, ...merchantErrorsWithConflict },
      },
    },
    async (request) => readToken(domain, request.merchant, request.params.customerToken),
  )

  app.patch(
    '/customer-token/v1/tokens/:customerToken/status',
    {
      schema: {
        operationId: 'patchCustomerToken',
        tags,
        summary: 'Cancel a customer token',
        description:
          'Status CANCELLED (any letter case) is final: every later charge is a 403 TOKEN_CANCELLED. 202 with no body.',
        params: TokenParams,
        body: withExample(TokenStatusUpdate, examples.tokenStatus),
        response: { 202: { type: 'null' }, ...merchantErrorsWithConflict },
      },
    },
    async (request, reply) => {
      cancelToken(domain, request.merchant, request.params.customerToken)
      return reply.code(202).send()
    },
  )

  app.post(
    '/customer-token/v1/tokens/:customerToken/order',
    {
      schema: {
        operationId: 'createTokenOrder',
        tags,
        summary: 'Charge a customer token',
        // Not a `headers` schema: validation drops what a schema does not declare (see app.ts),
        // which would strip every other header. The key is checked in the domain instead.
        description:
          'Places an order on the token. Header Klarna-Idempotency-Key (optional, 1-255 characters): the same key within 24 ' +
          'hours returns the same order without charging again. step_up SUPPORTED: a charge that needs the customer answers a step_up_id.',
        params: TokenParams,
        body: withExample(CustomerTokenOrder, examples.tokenOrder),
        response: { 200: Order, ...merchantErrorsWithConflict },
      },
    },
    async (request, reply) => {
      const key = request.headers['klarna-idempotency-key']
      const result = createTokenOrder(domain, request.merchant, request.params.customerToken, request.body, {
        baseUrl: baseUrl(request),
        patch: request.scenarioPatch,
        idempotencyKey: Array.isArray(key) ? key[0] : key,
      })
      if (result.replayed) reply.header('Klarna-Idempotent-Replayed', 'true')
      return result.body
    },
  )
}

export default named('customer token', customerToken)
