import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cancelAuthorization } from '../../domain/authorizations.js'
import { createOrderFromAuthorization } from '../../domain/authorization-orders.js'
import { createCustomerToken } from '../../domain/tokenize.js'
import { createSession, createdSessionView, readSession, updateSession } from '../../domain/sessions.js'
import { replayedBody } from '../../http/fast-lane.js'
import { baseUrl } from '../../http/links.js'
import { rateLimitHooks } from '../../http/rate-limits.js'
import { scenarioHooks } from '../../http/scenarios.js'
import { merchantErrorsWithConflict, noContent } from '../../schemas/common.js'
import { examples, withExample } from '../../schemas/examples.js'
import {
  CreateOrderRequest,
  CustomerTokenCreationRequest,
  CustomerTokenCreationResponse,
  MerchantSession,
  Order,
  SessionCreate,
  SessionRead,
  SessionUpdate,
} from '../../schemas/klarna.js'
import { AuthorizationParams, SessionParams } from '../../schemas/params.js'
import { tokenCreation } from '../hot-calls.js'
import { named } from '../../http/named.js'

const tags = ['Payments API v1']

/** Klarna Payments API v1: sessions and authorizations. */
const payments: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.basicAuth)
  rateLimitHooks(app, app.mockOptions.rateLimits ?? 'off')
  scenarioHooks(app)
  const domain = app.domain

  app.post(
    '/payments/v1/sessions',
    {
      schema: {
        operationId: 'createCreditSession',
        tags,
        summary: 'Create a payment session',
        description:
          'Opens a session for 48 hours with the cart, the market and the intent; answers the session id, the client_token for ' +
          'the browser widget, and the payment method categories the market offers. Amounts and taxes are checked as Klarna checks them.',
        body: withExample(SessionCreate, examples.session),
        response: { 200: MerchantSession, ...merchantErrorsWithConflict },
      },
    },
    async (request) => {
      return createdSessionView(
        domain,
        request.merchant,
        createSession(domain, request.merchant, request.body, baseUrl(request)),
      )
    },
  )

  app.get(
    '/payments/v1/sessions/:session_id',
    {
      schema: {
        operationId: 'readCreditSession',
        tags,
        summary: 'Read a payment session',
        description:
          "What the merchant sent, the status, the expiry, and once authorized the customer's addresses and details.",
        params: SessionParams,
        response: { 200: SessionRead, ...merchantErrorsWithConflict },
      },
    },
    async (request) => readSession(domain, request.merchant, request.params.session_id),
  )

  app.post(
    '/payments/v1/sessions/:session_id',
    {
      schema: {
        operationId: 'updateCreditSession',
        tags,
        summary: 'Update a payment session',
        description: 'Changes the cart or any other field before the order is placed; 204 with no body.',
        params: SessionParams,
        body: withExample(SessionUpdate, examples.sessionUpdate),
        response: { ...noContent, ...merchantErrorsWithConflict },
      },
    },
    async (request, reply) => {
      updateSession(domain, request.merchant, request.params.session_id, request.body)
      return reply.code(204).send()
    },
  )

  app.post(
    '/payments/v1/authorizations/:authorizationToken/order',
    {
      schema: {
        operationId: 'createOrder',
        tags,
        summary: 'Place the order of an authorization',
        description:
          'Within 60 minutes of the authorization, with the cart and addresses that were authorized. The same body again ' +
          'answers the same order; a different one is a 409.',
        params: AuthorizationParams,
        body: withExample(CreateOrderRequest, examples.order),
        response: { 200: Order, ...merchantErrorsWithConflict },
      },
    },
    async (request) =>
      createOrderFromAuthorization(
        domain,
        request.merchant,
        request.params.authorizationToken,
        request.body,
        {
          baseUrl: baseUrl(request),
          patch: request.scenarioPatch,
        },
      ),
  )

  app.delete(
    '/payments/v1/authorizations/:authorizationToken',
    {
      schema: {
        operationId: 'cancelAuthorization',
        tags,
        summary: 'Cancel an authorization',
        description: 'The authorization token is unknown to every call after it; 204 with no body.',
        params: AuthorizationParams,
        response: { ...noContent, ...merchantErrorsWithConflict },
      },
    },
    async (request, reply) => {
      cancelAuthorization(domain, request.merchant, request.params.authorizationToken)
      return reply.code(204).send()
    },
  )

  app.post(
    tokenCreation.url,
    {
      // The body the fast lane read before handing the call over (src/http/fast-lane.ts).
      preParsing: replayedBody,
      schema: {
        operationId: tokenCreation.operationId,
        tags,
        summary: 'Create a customer token from an authorization',
        description:
          'Once per authorization, within its 60 minutes, for intents that allow it, where the payment method can be tokenized ' +
          'in the country. The token can then be charged with the Customer Token API.',
        params: AuthorizationParams,
        body: withExample(CustomerTokenCreationRequest, examples.customerToken),
        response: { 200: CustomerTokenCreationResponse, ...merchantErrorsWithConflict },
      },
    },
    async (request) =>
      createCustomerToken(
        domain,
        request.merchant,
        request.params.authorizationToken,
        request.body,
        baseUrl(request),
      ),
  )
}

export default named('payments', payments)
