import type { AdminCredential, Credentials } from './http/auth.js'
import type { CatalogFiles } from './domain/catalog.js'
import type { CallbackOptions } from './http/callbacks.js'
import type { Durability } from './persistence.js'
import type { RateLimitProfile } from './domain/rate-limits.js'
import type { Fidelity } from './domain/context.js'

/** Everything the app factory takes. The CLI (src/server.ts) maps flags and environment onto it. */
export interface MockOptions {
  /** Authorization-token lifetime in seconds (Klarna: 3600). */
  authorizationLifetimeSeconds?: number
  /** username -> password; null or absent: any non-empty Basic credentials pass. */
  credentials?: Credentials
  /** The operator: may reset, read and move the clock of every merchant through /_mock (`?merchant=`). */
  admin?: AdminCredential | undefined
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
}

export const defaults = {
  port: 4545,
  host: '127.0.0.1',
  authorizationLifetimeSeconds: 3600,
  bodyLimit: 1024 * 1024,
  journalLimit: 1000,
  requestTimeoutSeconds: 30
} as const

/**
 * Parses a credentials list of "username:password" pairs. In a file (`from: 'file'`) there is one
 * pair a line and the password is the rest of the line, commas included; blank lines and lines
 * starting with # are skipped. In KLARNA_MOCK_CREDENTIALS (`from: 'env'`) pairs are separated by
 * commas or new lines. The username is everything before the first colon.
 */
export function parseCredentials (text: string, from: 'file' | 'env' = 'file'): Map<string, string> {
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
