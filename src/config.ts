import type { AdminCredential, Credentials } from './http/auth.js'
import type { CatalogFiles } from './domain/catalog.js'
import type { CallbackOptions } from './http/callbacks.js'
import type { Durability } from './persistence.js'
import type { RateLimitProfile } from './domain/rate-limits.js'
import { defaultSettings, type Fidelity } from './domain/context.js'

/** Everything the app factory takes. The CLI (src/cli.ts, run by src/server.ts) maps flags and environment onto it. */
export interface MockOptions {
  /** Authorization-token lifetime in seconds (Klarna: 3600). */
  authorizationLifetimeSeconds?: number
  /**
   * Only these Basic credentials pass: a Map or an object { user: 'password' }, or a list of
   * 'user:password'. null or absent: any non-empty username and password pass.
   */
  credentials?: Credentials | Record<string, string> | string[]
  /**
   * The operator: may reset, read and move the clock of every merchant through /_mock (`?merchant=`). {
   * username, password } or 'user:password'.
   */
  admin?: AdminCredential | string | undefined
  /** Base URL used in redirect_url links (default: the Host the request came to). */
  publicBaseUrl?: string | undefined
  /**
   * Secret that signs the links handed to browsers (redirect_url). Replicas behind one load
   * balancer share it, so a link works on any of them; default: random per process.
   */
  linkSecret?: string | undefined
  /** Pino logger options, or false. */
  logger?: boolean | Record<string, unknown>
  /** Source of real time for the virtual clock (tests). */
  now?: () => number
  /** Data files to use instead of those in fixtures/. */
  catalogFiles?: CatalogFiles
  /** Folders of the user's own scenarios, loaded after scenarios/ (same name replaces). */
  scenarioDirs?: string[]
  /** How many requests the journal keeps (GET /_mock/requests); 0 turns it off. */
  journalLimit?: number
  /** Keep state in this file (and its log, FILE.log.N) across restarts and crashes. */
  stateFile?: string | undefined
  /**
   * 'write' (default): each change is written to the state file's log before it is answered
   * (survives the process being killed) and fsynced within 100 ms; 'fsync': fsynced before it is
   * answered (survives power loss).
   */
  durability?: Durability
  /**
   * Where Klarna's sources disagree: 'recorded' (default) answers as the real service was
   * recorded answering, 'documented' as Klarna's documentation says (docs/fidelity.md).
   */
  fidelity?: Fidelity
  /**
   * Body of a 401, whatever the fidelity: 'html' is what the real playground sends (an openresty
   * page without a correlation id; the 'recorded' default), 'json' is Klarna's documented
   * {"error_code":"UNAUTHORIZED",…} (the 'documented' default).
   */
  unauthorizedBody?: 'json' | 'html'
  /** Klarna's callbacks to merchant_urls.authorization and .notification (sent by default). */
  callbacks?: Partial<CallbackOptions>
  /** Largest request body accepted, in bytes (413 beyond). */
  bodyLimit?: number
  /** Klarna's rate limits, opt-in: 'playground' (5/s create, 50/s other), 'production' (40/200), 'off' (default). */
  rateLimits?: RateLimitProfile
  /** Time for a request (headers and body) to arrive, in seconds (408 beyond). */
  requestTimeoutSeconds?: number
  /**
   * Answer token reads and customer-token creation that ask nothing unusual without Fastify's
   * per-request machinery (src/http/fast-lane.ts; the same answers, faster). Default true; false
   * sends every call through Fastify.
   */
  fastLane?: boolean
}

export const defaults = {
  port: 4545,
  host: '127.0.0.1',
  authorizationLifetimeSeconds: defaultSettings.authorizationLifetimeSeconds,
  bodyLimit: 1024 * 1024,
  journalLimit: 1000,
  requestTimeoutSeconds: 30,
} as const

/**
 * Parses a credentials list of "username:password" pairs. In a file (`from: 'file'`) there is one
 * pair a line and the password is the rest of the line, commas included; blank lines and lines
 * starting with # are skipped. In KLARNA_MOCK_CREDENTIALS (`from: 'env'`) pairs are separated by
 * commas or new lines. The username is everything before the first colon.
 */
export function parseCredentials(text: string, from: 'file' | 'env' = 'file'): Map<string, string> {
  const map = new Map<string, string>()
  const separator = from === 'file' ? /\r?\n/ : /[\r\n,]+/
  for (const [n, raw] of text.split(separator).entries()) {
    const entry = from === 'file' ? raw : raw.trim()
    if (entry.trim() === '' || entry.trimStart().startsWith('#')) continue
    const i = entry.indexOf(':')
    const where = from === 'file' ? `line ${n + 1}` : `entry "${entry.slice(0, 40)}"`
    if (i <= 0 || i === entry.length - 1) throw new Error(`${where}: expected username:password`)
    const user = entry.slice(0, i).trim()
    if (map.has(user)) throw new Error(`${where}: username "${user.slice(0, 40)}" is listed twice`)
    map.set(user, entry.slice(i + 1))
  }
  return map
}

/** A library option that is unknown or of the wrong type: thrown by buildApp() and startMock(). */
export class OptionsError extends TypeError {
  constructor(message: string) {
    super(`klarna-mock: ${message}`)
    this.name = 'OptionsError'
  }
}

const optionKinds: Record<keyof MockOptions, string> = {
  authorizationLifetimeSeconds: 'seconds',
  credentials: 'credentials',
  admin: 'admin',
  publicBaseUrl: 'string',
  linkSecret: 'string',
  logger: 'logger',
  now: 'function',
  catalogFiles: 'object',
  scenarioDirs: 'strings',
  journalLimit: 'count',
  stateFile: 'string',
  durability: 'write|fsync',
  fidelity: 'recorded|documented',
  unauthorizedBody: 'json|html',
  callbacks: 'object',
  bodyLimit: 'count',
  rateLimits: 'off|playground|production',
  requestTimeoutSeconds: 'seconds',
  fastLane: 'boolean',
}

/** What people write for an option that has another name. */
const otherNames: Record<string, string> = {
  publicUrl: 'publicBaseUrl',
  baseUrl: 'publicBaseUrl',
  authorizationLifetime: 'authorizationLifetimeSeconds',
  requestTimeout: 'requestTimeoutSeconds',
  scenarios: 'scenarioDirs',
  journal: 'journalLimit',
  adminCredentials: 'admin',
  tokenizationRules: 'catalogFiles: { tokenizationRules }',
}

/**
 * Checks a library caller's options and accepts the obvious shapes: credentials as a Map, a plain
 * object { user: 'password' } or a list of "user:password"; admin as { username, password } or
 * "user:password". Unknown names and wrong types throw an OptionsError that says what to write.
 */
/** The options once checked: credentials and admin in one shape. */
export type ResolvedOptions = Omit<MockOptions, 'credentials' | 'admin'> & {
  credentials?: Credentials
  admin?: AdminCredential | undefined
}

export function checkOptions(options: Record<string, unknown>): ResolvedOptions {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue
    const kind = (optionKinds as Record<string, string>)[name]
    if (kind === undefined) {
      const hint = otherNames[name] === undefined ? '' : ` (did you mean ${otherNames[name]}?)`
      throw new OptionsError(
        `unknown option "${name}"${hint}; the options are ${Object.keys(optionKinds).join(', ')}`,
      )
    }
    const bad = (expected: string) =>
      new OptionsError(`option ${name} must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`)
    switch (kind) {
      case 'seconds':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
          throw bad('a number of seconds above 0')
        }
        break
      case 'count':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
          throw bad('a whole number, 0 or more')
        }
        break
      case 'string':
        if (typeof value !== 'string') throw bad('a string')
        break
      case 'function':
        if (typeof value !== 'function') throw bad('a function')
        break
      case 'object':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('an object')
        break
      case 'strings':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
          throw bad('a list of folder paths')
        }
        break
      case 'boolean':
        if (typeof value !== 'boolean') throw bad('true or false')
        break
      case 'logger':
        if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null)) {
          throw bad('true, false or pino options')
        }
        break
      case 'credentials':
        out[name] = credentialsOption(value, bad)
        continue
      case 'admin':
        out[name] = adminOption(value, bad)
        continue
      default:
        if (!kind.split('|').includes(value as string)) throw bad(`one of ${kind.split('|').join(', ')}`)
    }
    out[name] = value
  }
  return out as ResolvedOptions
}

function credentialsOption(value: unknown, bad: (expected: string) => Error): Credentials {
  const expected = 'a Map, an object { user: "password" }, a list of "user:password", or null'
  if (value === null) return null
  if (value instanceof Map) return value as Credentials
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) throw bad(expected)
    return parseCredentials(value.join('\n'), 'file')
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (!entries.every(([user, pw]) => user !== '' && typeof pw === 'string' && pw !== '')) {
      throw bad(expected)
    }
    return new Map(entries as Array<[string, string]>)
  }
  throw bad(expected)
}

function adminOption(value: unknown, bad: (expected: string) => Error): AdminCredential {
  if (typeof value === 'string') {
    const i = value.indexOf(':')
    if (i > 0 && i < value.length - 1) return { username: value.slice(0, i), password: value.slice(i + 1) }
  } else if (typeof value === 'object' && value !== null) {
    const { username, password } = value as Record<string, unknown>
    if (typeof username === 'string' && username !== '' && typeof password === 'string' && password !== '') {
      return { username, password }
    }
  }
  throw bad('{ username, password } or "username:password"')
}
