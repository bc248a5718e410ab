import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { FastifyInstance, preParsingHookHandler } from 'fastify'
import { stickyScenario } from '../domain/authorizations.js'
import { clockOf } from '../domain/context.js'
import { newId } from '../domain/ids.js'
import { answerEntry, keepRequestBody, openEntry } from '../domain/journal.js'
import { createCustomerToken } from '../domain/tokenize.js'
import { readToken } from '../domain/tokens.js'
import { tokenCreation, tokenRead } from '../routes/hot-calls.js'
import type { StateWriter } from '../persistence.js'
import { checkCredentials, type AdminCredential, type Credentials } from './auth.js'
import { logAnswer } from './housekeeping.js'
import type { LazyCompilers } from './lazy-compilers.js'
import { originOf } from './links.js'
import { dropNulls } from './parser.js'
import { SCENARIO_HEADER } from './scenarios.js'

/**
 * The fast lane: the two calls a merchant's suite makes most, reading a customer token and
 * creating one from an authorization, answered without Fastify's per-request machinery (its
 * request and reply objects, a dozen hooks in five phases) when they need nothing unusual. It
 * runs the same steps the hooks run, with the same functions: Basic auth (checkCredentials), the
 * route's own compiled validators and serializer, the domain call, the journal entry, the state
 * file's flush, the request log line, the sweep and the callbacks.
 *
 * It answers successes only. A call it cannot answer exactly as Fastify would is handed to Fastify
 * untouched, before anything changed: a scenario by header or armed, a credential or URL out of the
 * plain form, rate limits on, fsync durability, the server closing. A call it has started is
 * handed over as soon as a step fails (a body that is not JSON or not valid, a scenario sticky to
 * the authorization, a domain error: the domain changes nothing before it throws), with the body it read
 * replayed to the route (`replayedBody`); Fastify then answers the error as it always does.
 * `fastLane: false` (`--fast-lane off`) sends every call through Fastify. inject() never comes
 * here (it calls Fastify's handler): the socket tests cover the lane, test/in-process/fast-lane.test.ts
 * compares the two paths answer by answer.
 */

/** What the lane needs of the app, gathered by buildApp() once everything is registered. */
export interface LaneDeps {
  compilers: LazyCompilers
  credentials: Credentials
  admin: AdminCredential | undefined
  publicBaseUrl: string | undefined
  bodyLimit: number
  logRequests: boolean
  sweepIfDue: () => void
  tick: () => void
  stateWriter: StateWriter | undefined
  /** Whether the app has begun to close (src/http/closing.ts). */
  closing: () => boolean
}

const READ = tokenRead.url
const CREATE = tokenCreation.url
/** What comes before and after a route's one path parameter. */
const around = (url: string): [string, string] => {
  const at = url.indexOf(':')
  const end = url.indexOf('/', at)
  return [url.slice(0, at), end < 0 ? '' : url.slice(end)]
}
const [READ_PREFIX] = around(READ)
const [CREATE_PREFIX, CREATE_SUFFIX] = around(CREATE)
/**
 * A path parameter that reads the same before and after Fastify's decoding; its length is the
 * route's params schema's to check (a longer one is handed to Fastify, which refuses it).
 */
const PLAIN_ID = /^[A-Za-z0-9_-]+$/
/**
 * A subset of what @fastify/basic-auth accepts (its scheme is any case, with any token68), decoded
 * and checked as it does: no control characters, user and password split at the first colon, by
 * its very expression (which, like it, refuses line separators in the password).
 */
const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const CONTROL = /[\x00-\x1F\x7F]/u
const USER_PASS = /^([^:]*):(.*)$/u
/** The lane reads bodies up to this size (customer-token bodies are a few hundred bytes). */
const MAX_LANE_BODY = 64 * 1024
const JSON_TYPES = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
])

/** Bodies the lane started to read and handed on: the route's preParsing hook gives them to Fastify's parser. */
const replays = new WeakMap<IncomingMessage, Readable>()

/** preParsing hook of the routes the lane may hand over after reading the body: the body, replayed. */
export const replayedBody: preParsingHookHandler = (request, _reply, payload, done) => {
  const body = replays.get(request.raw)
  if (body === undefined) return done(null, payload)
  replays.delete(request.raw)
  done(null, body)
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Puts the lane in front of Fastify's handler of `app.server`'s requests. Call once routes are registered. */
export function installFastLane(app: FastifyInstance, deps: LaneDeps): void {
  const server = app.server
  // Fastify's handler: the server's one listener, added when Fastify made the server.
  const fastify = server.listeners('request')[0] as Handler
  const { domain } = app
  const { compilers } = deps
  // Fastify's own JSON parser (src/http/parser.ts uses it too): synchronous, refuses __proto__ and constructor.
  const parseJson = app.getDefaultJsonParser('error', 'error') as unknown as (
    request: unknown,
    text: string,
    done: (err: Error | null, value?: unknown) => void,
  ) => void
  const counts = { answered: 0, handedOver: 0 }
  app.decorate('fastLane', counts)

  /**
   * Without a credentials list, whether a credential passes depends on it alone (and the operator's,
   * fixed at start): the answers are remembered, a few hundred at most. A list (a Map the library
   * user could change) is asked every time, as Fastify's hook does.
   */
  const known = new Map<string, string | undefined>()
  function merchantOf(authorization: string | undefined): string | undefined {
    if (authorization === undefined) return undefined
    if (deps.credentials !== null) return checkBasic(authorization)
    let merchant = known.get(authorization)
    if (merchant === undefined && !known.has(authorization)) {
      merchant = checkBasic(authorization)
      if (known.size >= 500) known.clear()
      known.set(authorization, merchant)
    }
    return merchant
  }

  /** The merchant of a plain Basic credential that passes; undefined: Fastify will answer. */
  function checkBasic(authorization: string): string | undefined {
    const basic = BASIC.exec(authorization)
    if (basic === null) return undefined
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf-8')
    if (CONTROL.test(decoded)) return undefined
    const userPass = USER_PASS.exec(decoded)
    if (userPass === null) return undefined
    return checkCredentials(deps.credentials, deps.admin, userPass[1] as string, userPass[2] as string)
      ?.merchant
  }

  /** Writes the answer as the route, its hooks and src/http/wire.ts would, then the onResponse work. */
  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    startedMs: number,
    merchant: string,
    operation: string,
    payload: string,
    requestText: string,
  ): void {
    const id = newId()
    counts.answered++
    deps.stateWriter?.flush()
    if (domain.journal.enabled) {
      // Timed on the merchant's virtual clock, as the journal's hooks end up timing it.
      const timeMs = clockOf(domain, merchant).nowMs()
      const entry = openEntry(id, timeMs, req.method as string, req.url as string, operation, req.headers)
      keepRequestBody(entry, requestText)
      answerEntry(entry, merchant, undefined, 200, payload)
      domain.journal.add(entry)
      domain.journal.seal(entry)
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'Klarna-Correlation-Id': id,
    })
    res.end(payload)
    if (deps.logRequests) {
      logAnswer(app.log.child({ correlation_id: id }), {
        method: req.method as string,
        url: req.url as string,
        status: 200,
        merchant,
        scenario: undefined,
        elapsedMs: performance.now() - startedMs,
        correlationId: id,
      })
    }
    deps.sweepIfDue()
    deps.tick()
  }

  /** The routes' own validators and serializers, looked up once (they exist once the app is ready). */
  type Validate = (data: unknown) => boolean
  type Serialize = (data: unknown) => string
  let routes:
    | {
        readParams: Validate
        readAnswer: Serialize
        createParams: Validate
        createBody: Validate
        createAnswer: Serialize
      }
    | undefined
  function routeFunctions(): typeof routes {
    if (routes !== undefined) return routes
    const readParams = compilers.routeFunction<Validate>('validator', 'GET', READ, 'params')
    const readAnswer = compilers.routeFunction<Serialize>('serializer', 'GET', READ, '200')
    const createParams = compilers.routeFunction<Validate>('validator', 'POST', CREATE, 'params')
    const createBody = compilers.routeFunction<Validate>('validator', 'POST', CREATE, 'body')
    const createAnswer = compilers.routeFunction<Serialize>('serializer', 'POST', CREATE, '200')
    if (readParams && readAnswer && createParams && createBody && createAnswer) {
      routes = { readParams, readAnswer, createParams, createBody, createAnswer }
    }
    return routes
  }

  function read(
    req: IncomingMessage,
    res: ServerResponse,
    startedMs: number,
    merchant: string,
    id: string,
  ): boolean {
    const route = routeFunctions()
    if (route === undefined || !route.readParams({ customerToken: id })) return false
    let token
    try {
      token = readToken(domain, merchant, id)
    } catch {
      return false
    }
    answer(req, res, startedMs, merchant, tokenRead.operationId, route.readAnswer(token), '')
    return true
  }

  function create(
    req: IncomingMessage,
    res: ServerResponse,
    startedMs: number,
    merchant: string,
    token: string,
  ): boolean {
    const type = req.headers['content-type']
    const length = req.headers['content-length']
    const framing = req.headers['transfer-encoding']
    const limit = Math.min(MAX_LANE_BODY, deps.bodyLimit)
    // A length of 1 to `limit` bytes, or chunks (Node's parser takes them apart) up to `limit`.
    const size =
      framing === undefined && length !== undefined && /^[1-9]\d{0,5}$/.test(length)
        ? Number(length)
        : framing === 'chunked' && length === undefined
          ? undefined
          : 0
    if (type === undefined || !JSON_TYPES.has(type) || size === 0 || (size ?? 0) > limit) return false
    const route = routeFunctions()
    if (route === undefined || !route.createParams({ authorizationToken: token })) return false

    const chunks: Buffer[] = []
    let received = 0
    let ended = false
    let failure: Error | undefined
    /** Once handed over: the body for Fastify's parser, what was read and then whatever still comes. */
    let replay: Readable | undefined
    const handOver = (): void => {
      counts.handedOver++
      replay = new Readable({
        read() {
          for (const chunk of chunks.splice(0)) this.push(chunk)
          if (failure !== undefined) this.destroy(failure)
          else if (ended) this.push(null)
          else req.resume()
        },
      })
      replays.set(req, replay)
      fastify(req, res)
    }
    req.on('data', (chunk: Buffer) => {
      if (replay !== undefined) {
        if (!replay.push(chunk)) req.pause()
        return
      }
      chunks.push(chunk)
      received += chunk.length
      if (received > limit) {
        req.pause()
        handOver()
      }
    })
    req.once('error', (err) => {
      failure = err
      if (replay === undefined) handOver()
      else replay.destroy(err)
    })
    req.once('end', () => {
      ended = true
      if (replay !== undefined) {
        replay.push(null)
        return
      }
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received)).toString(
        'utf8',
      )
      let body: unknown
      parseJson(undefined, text, (err, parsed) => {
        body = err === null ? parsed : undefined
      })
      if ((size !== undefined && received !== size) || body === undefined) return handOver()
      dropNulls(body)
      if (!route.createBody(body)) return handOver()
      // A scenario sticky to the authorization plays in Fastify's hooks. Asked here, just before the
      // creation reads the same authorization, the store finds it without a second search.
      if (stickyScenario(domain, merchant, token) !== undefined) return handOver()
      let result
      try {
        result = createCustomerToken(
          domain,
          merchant,
          token,
          body as Parameters<typeof createCustomerToken>[3],
          originOf(deps.publicBaseUrl, req.headers.host, req.socket),
        )
      } catch {
        return handOver()
      }
      answer(req, res, startedMs, merchant, tokenCreation.operationId, route.createAnswer(result), text)
    })
    return true
  }

  /** Whether the lane took the call (it then answers it or hands it to Fastify itself). */
  function lane(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url
    if (deps.closing() || url === undefined || req.headers[SCENARIO_HEADER] !== undefined) return false
    const startedMs = deps.logRequests ? performance.now() : 0
    if (req.method === 'GET' && url.startsWith(READ_PREFIX)) {
      const id = url.slice(READ_PREFIX.length)
      if (!PLAIN_ID.test(id)) return false
      const merchant = merchantOf(req.headers.authorization)
      if (merchant === undefined || domain.scenarios.hasArmed(merchant)) return false
      return read(req, res, startedMs, merchant, id)
    }
    if (req.method === 'POST' && url.startsWith(CREATE_PREFIX) && url.endsWith(CREATE_SUFFIX)) {
      const token = url.slice(CREATE_PREFIX.length, url.length - CREATE_SUFFIX.length)
      if (!PLAIN_ID.test(token)) return false
      const merchant = merchantOf(req.headers.authorization)
      if (merchant === undefined || domain.scenarios.hasArmed(merchant)) return false
      return create(req, res, startedMs, merchant, token)
    }
    return false
  }

  server.removeListener('request', fastify)
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!lane(req, res)) fastify(req, res)
  })
}
