import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createCustomerToken, createOrderFromAuthorization, cancelAuthorization } from '../../domain/authorizations.js'
import { createSession, readSession, updateSession, categoryView } from '../../domain/sessions.js'
import { baseUrl } from '../../http/links.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { KlarnaErrorBody } from '../../schemas/common.js'
import {
  CreateOrderRequest, CustomerTokenCreationRequest, CustomerTokenCreationResponse, MerchantSession, Order,
  SessionCreate, SessionRead, SessionUpdate
} from '../../schemas/klarna.js'
import { AuthorizationParams, SessionParams } from '../../schemas/params.js'

const errors = { 400: KlarnaErrorBody, 401: KlarnaErrorBody, 403: KlarnaErrorBody, 404: KlarnaErrorBody, 409: KlarnaErrorBody }
const tags = ['Payments API v1']

/** Klarna Payments API v1: sessions and authorizations. */
const payments: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const d = app.domain

  app.post('/payments/v1/sessions', {
    schema: { operationId: 'createCreditSession', tags, body: SessionCreate, response: { 200: MerchantSession, ...errors } }
  }, async (request) => {
    const s = createSession(d, request.merchant, request.body)
    return { session_id: s.id, client_token: s.clientToken, payment_method_categories: s.paymentMethodCategories.map(c => categoryView(d, c)) }
  })

  app.get('/payments/v1/sessions/:session_id', {
    schema: { operationId: 'readCreditSession', tags, params: SessionParams, response: { 200: SessionRead, ...errors } }
  }, async (request) => readSession(d, request.merchant, request.params.session_id))

  app.post('/payments/v1/sessions/:session_id', {
    schema: { operationId: 'updateCreditSession', tags, params: SessionParams, body: SessionUpdate, response: { 204: { type: 'null' }, ...errors } }
  }, async (request, reply) => {
    updateSession(d, request.merchant, request.params.session_id, request.body)
    return reply.code(204).send()
  })

  app.post('/payments/v1/authorizations/:authorizationToken/order', {
    schema: { operationId: 'createOrder', tags, params: AuthorizationParams, body: CreateOrderRequest, response: { 200: Order, ...errors } }
  }, async (request) => createOrderFromAuthorization(d, request.merchant, request.params.authorizationToken, request.body, { baseUrl: baseUrl(request), patch: request.scenarioPatch }))

  app.delete('/payments/v1/authorizations/:authorizationToken', {
    schema: { operationId: 'cancelAuthorization', tags, params: AuthorizationParams, response: { 204: { type: 'null' }, ...errors } }
  }, async (request, reply) => {
    cancelAuthorization(d, request.merchant, request.params.authorizationToken)
    return reply.code(204).send()
  })

  app.post('/payments/v1/authorizations/:authorizationToken/customer-token', {
    schema: { operationId: 'purchaseToken', tags, params: AuthorizationParams, body: CustomerTokenCreationRequest, response: { 200: CustomerTokenCreationResponse, ...errors } }
  }, async (request) => createCustomerToken(d, request.merchant, request.params.authorizationToken, request.body, baseUrl(request)))
}

export default payments
