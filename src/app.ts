import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { checkOptions, defaults, type MockOptions, type ResolvedOptions } from './config.js'
import { loadCatalog } from './domain/catalog.js'
import { Clock } from './domain/clock.js'
import { defaultSettings, longestLifetimeMs, type Domain } from './domain/context.js'
import { newId } from './domain/ids.js'
import { errors } from './domain/errors.js'
import { Journal } from './domain/journal.js'
import { LinkSigner } from './domain/links.js'
import { Outbox } from './domain/outbox.js'
import { loadScenarios } from './domain/scenario-files.js'
import { Scenarios } from './domain/scenarios.js'
import { Store } from './domain/store.js'
import { registerAuth } from './http/auth.js'
import { defaultCallbackOptions, registerCallbacks } from './http/callbacks.js'
import { registerDocs } from './http/docs.js'
import { clientErrorHandler } from './http/client-errors.js'
import { closeWithoutWaiting } from './http/closing.js'
import { registerErrorHandling, sendKlarnaError } from './http/errors.js'
import { installFastLane } from './http/fast-lane.js'
import { registerOperation } from './http/operation.js'
import { lazyCompilers } from './http/lazy-compilers.js'
import { registerRequestLog, registerSweep } from './http/housekeeping.js'
import { registerJournal } from './http/journal.js'
import { dropNulls, registerJsonParser } from './http/parser.js'
import { onKlarnaWire, registerWire } from './http/wire.js'
import { scenariosDir, version } from './paths.js'
import { persistState } from './persistence.js'
import browserRoutes from './routes/browser/index.js'
import customerTokenRoutes from './routes/customer-token/index.js'
import hppRoutes from './routes/hpp/index.js'
import mockRoutes from './routes/mock/index.js'
import orderManagementRoutes from './routes/order-management/index.js'
import paymentsRoutes from './routes/payments/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    domain: Domain
    mockOptions: ResolvedOptions
    /** Readies, in the background, the validators and serializers no call has needed yet (lazy-compilers.ts). */
    warmUp: () => Promise<number>
    /** The fast lane's counts (absent when it is off): calls it answered, calls it read and handed to Fastify. */
    fastLane?: { answered: number; handedOver: number }
  }
}

/** Builds the mock as a Fastify instance (no listen). Each call has its own state and clock. */
export async function buildApp(given: MockOptions = {}): Promise<FastifyInstance> {
  const options = checkOptions(given as Record<string, unknown>)
  const requestTimeout = Math.round((options.requestTimeoutSeconds ?? defaults.requestTimeoutSeconds) * 1000)
  const compilers = lazyCompilers()
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: newId,
    // One log line per request (below), with the correlation id, instead of Fastify's two.
    // Every log line of a request carries its correlation id under Klarna's name.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlation_id' }),
    requestIdHeader: false,
    // Validators and serializers compiled on a route's first call, not at start-up (src/http/lazy-compilers.ts).
    schemaController: { compilersFactory: compilers.factory },
    // A silent logger writes nothing: each request shares it instead of building a child (per-call cost).
    childLoggerFactory: (logger, bindings, childOptions) =>
      logger.level === 'silent' ? logger : logger.child(bindings, childOptions),
    bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    // A request (headers and body) must arrive within this time: a slow sender gets a 408.
    requestTimeout,
    http: {
      requestTimeout,
      headersTimeout: requestTimeout,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeout / 4)),
    },
    clientErrorHandler: clientErrorHandler(requestTimeout),
    // On close, idle keep-alive connections are closed and requests under way finish, each the last
    // of its connection; connections with no request are closed too (src/http/closing.ts); sockets
    // held by a timeout scenario are destroyed in preClose (src/http/scenarios.ts).
    forceCloseConnections: 'idle',
    // Klarna's ids are at most 255 characters (session_id ≤ 255); longer ones are refused below.
    routerOptions: { maxParamLength: 255 },
    frameworkErrors: (error, request, reply) => {
      const answer = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? errors.paramTooLong() : errors.invalidUrl()
      // Answered before routing: no hook runs, not even src/http/wire.ts's, so it is asked here.
      onKlarnaWire(reply, request.id)
      void sendKlarnaError(request, reply, answer)
    },
    // allErrors: every bad field is named; no coercion ("100" is not an integer); fields Klarna
    // does not define are dropped before any rule sees them (lenient, and nothing unknown is stored).
    ajv: {
      customOptions: { allErrors: true, coerceTypes: false, removeAdditional: 'all', useDefaults: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const settings = {
    ...defaultSettings,
    fidelity: options.fidelity ?? defaultSettings.fidelity,
    authorizationLifetimeSeconds:
      options.authorizationLifetimeSeconds ?? defaults.authorizationLifetimeSeconds,
  }
  const newClock = () => new Clock(options.now, longestLifetimeMs(settings))
  const domain: Domain = {
    store: new Store(newClock),
    clock: newClock(),
    links: new LinkSigner(options.linkSecret),
    catalog: loadCatalog(options.catalogFiles),
    journal: new Journal(options.journalLimit ?? defaults.journalLimit),
    outbox: new Outbox(),
    scenarios: new Scenarios(loadScenarios([scenariosDir, ...(options.scenarioDirs ?? [])])),
    settings,
  }
  app.decorate('domain', domain)
  // The schemas are handed to the compilers when the app is ready: warm up after that. It never
  // rejects: a schema that cannot compile is logged here and answered as an error by its route.
  app.decorate('warmUp', async () => {
    try {
      await app.ready()
      return await compilers.warmUp()
    } catch (err) {
      app.log.error({ err }, 'compiling the schemas ahead failed')
      return 0
    }
  })
  app.addHook('onClose', async () => compilers.stop())
  app.decorate('mockOptions', options)

  registerErrorHandling(app)
  registerOperation(app)
  registerWire(app)
  const closing = closeWithoutWaiting(app)
  registerJournal(app)
  const logRequests = registerRequestLog(app)
  const sweepIfDue = registerSweep(app)
  registerJsonParser(app)
  await registerAuth(app, options.credentials ?? null, options.admin)

  // A route with a body schema and no body validates as {} so that every missing field is named.
  // A body's null properties are "not given" (src/http/parser.ts).
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.expectsBody) request.body = {}
    else dropNulls(request.body)
    done()
  })

  // Before the routes, so that its hook sees every answer.
  const stateWriter =
    options.stateFile === undefined ? undefined : persistState(app, options.stateFile, options.durability)
  await registerDocs(app, version)
  await app.register(paymentsRoutes)
  await app.register(customerTokenRoutes)
  await app.register(orderManagementRoutes)
  await app.register(hppRoutes)
  await app.register(browserRoutes)
  await app.register(mockRoutes, { prefix: '/_mock' })
  // GET /: where to go from here (no credentials; nothing about any merchant).
  app.get(
    '/',
    {
      schema: {
        tags: ['Control API (/_mock)'],
        security: [],
        summary: 'Where to start',
        description: 'Names the documentation, the OpenAPI document, the dashboard and the SDK stand-in.',
      },
    },
    async () => ({
      name: 'klarna-mock',
      version,
      docs: '/_mock/docs',
      openapi: '/_mock/openapi.json',
      dashboard: '/_mock/ui',
      sdk: '/kp/lib/v1/api.js',
      health: '/_mock/health',
    }),
  )
  const tick = registerCallbacks(app, { ...defaultCallbackOptions, ...options.callbacks })
  // Token reads and customer-token creation without Fastify's per-request machinery, where nothing
  // unusual is asked (src/http/fast-lane.ts). Not with rate limits (their headers are on every
  // answer) nor an fsync per answer (the sync is the cost there).
  if (
    (options.fastLane ?? true) &&
    (options.rateLimits ?? 'off') === 'off' &&
    (options.stateFile === undefined || options.durability !== 'fsync')
  ) {
    installFastLane(app, {
      compilers,
      credentials: options.credentials ?? null,
      admin: options.admin,
      publicBaseUrl: options.publicBaseUrl,
      bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
      logRequests,
      sweepIfDue,
      tick,
      stateWriter,
      closing,
    })
  }
  return app
}

/**
 * Starts the warm-up (`app.warmUp()`) once the listening server has answered its first request (a
 * readiness probe, usually: Docker's health check, `wait-on`), or after `idleMs` without one. The
 * compiling holds the event loop a few milliseconds a schema, and the first, with Ajv's own code
 * still cold, about a tenth of a second: a probe that came meanwhile waited for it (start to the
 * first answer of /_mock/health, one core: a median of 563 ms against 784, docs/performance.md). Not
 * after the server has closed. The command-line server uses it; startMock() warms up at once (its
 * `warmedUp`).
 */
export function warmUpAfterFirstAnswer(app: FastifyInstance, idleMs = 1000): void {
  let started = false
  const start = (): void => {
    if (started) return
    started = true
    clearTimeout(timer)
    void app.warmUp()
  }
  const timer = setTimeout(start, idleMs).unref()
  app.server.once('request', (_request, response: ServerResponse) => response.once('close', start))
  app.server.once('close', () => {
    started = true
    clearTimeout(timer)
  })
}
