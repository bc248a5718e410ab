import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

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
  app.get('/_mock/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  // The interactive page is Swagger UI (@fastify/swagger-ui, which serves its files with
  // @fastify/static), loaded and registered on the first visit in an app of its own that the
  // page's requests are handed to: registering it at start was 25–45 ms of the command-line
  // server's 300 and about 1 ms of every app a test builds, for a page few open. Its answers are
  // passed on as they came (status, headers, body), but a failure (a file it does not have): that
  // is the mock's own 404, in Klarna's shape, as for any unknown path.
  let page: Promise<FastifyInstance> | undefined
  app.addHook('onClose', async () => {
    await (await page?.catch(() => undefined))?.close()
  })
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    page ??= swaggerUiFor(app.swagger())
    const ui = await page
    // Always a GET: for a HEAD, Fastify answers the GET's head without its body.
    const res = await ui.inject({ method: 'GET', url: request.url, headers: passedOn(request.headers) })
    if (res.statusCode >= 400) return reply.callNotFound()
    return await reply.code(res.statusCode).headers(passedOn(res.headers)).send(res.rawPayload)
  }
  app.get('/_mock/docs', { schema: { hide: true } }, answer)
  app.get('/_mock/docs/*', { schema: { hide: true } }, answer)
}

/** Headers about the connection, which each side sets for its own. */
const notPassedOn = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
  'host',
])

/** `headers` without those about the connection (a request's to the page, or the page's answer). */
function passedOn<Value>(headers: Record<string, Value | undefined>): Record<string, Value> {
  const out: Record<string, Value> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !notPassedOn.has(name)) out[name] = value
  }
  return out
}

/** Swagger UI over `document`, at the same paths as the mock's, in an app that never listens. */
async function swaggerUiFor(document: unknown): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui')
  const ui = Fastify()
  await ui.register(swagger, { mode: 'static', specification: { document: document as never } })
  await ui.register(swaggerUi, {
    routePrefix: '/_mock/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false },
  })
  await ui.ready()
  return ui
}
