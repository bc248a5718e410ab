import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * The OpenAPI 3 document of every endpoint, Klarna's and the control API's, generated from the
 * TypeBox route schemas: GET /_mock/openapi.json, and an interactive page at /_mock/docs.
 * Both answer without credentials. Must be registered before the routes.
 */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'klarna-mock',
        version,
        description:
          "Offline, stateful stand-in for Klarna's Payments API v1, Customer Token API v1 and Order Management API v1, with a test-control API under /_mock. Every Klarna error is {error_code, error_messages, correlation_id}.",
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic', description: 'The username is the merchant.' },
        },
      },
      security: [{ basic: [] }],
      tags: [
        { name: 'Payments API v1' },
        { name: 'Customer Token API v1' },
        { name: 'Order Management API v1' },
        { name: 'Control API (/_mock)' },
      ],
    },
    hideUntagged: true,
  })
  await app.register(swaggerUi, {
    routePrefix: '/_mock/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false },
  })
  app.get('/_mock/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
