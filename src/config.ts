import type { Credentials } from './http/auth.js'
import type { CatalogFiles } from './domain/catalog.js'
import type { CallbackOptions } from './http/callbacks.js'

/** Everything the app factory takes. The CLI (src/server.ts) maps flags and environment onto it. */
export interface MockOptions {
  /** Authorization-token lifetime in seconds (Klarna: 3600). */
  authorizationLifetimeSeconds?: number
  /** username -> password; null or absent: any non-empty Basic credentials pass. */
  credentials?: Credentials
  /** Base URL used in redirect_url links (default: the Host the request came to). */
  publicBaseUrl?: string | undefined
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
  /** Keep state in this file across restarts (written atomically after changes and on close). */
  stateFile?: string | undefined
  /**
   * Body of a 401: 'json' (default) is Klarna's documented {"error_code":"UNAUTHORIZED",…};
   * 'html' is what the real playground sends: an openresty HTML page without a correlation id.
   */
  unauthorizedBody?: 'json' | 'html'
  /** Klarna's callbacks to merchant_urls.authorization and .notification (sent by default). */
  callbacks?: Partial<CallbackOptions>
  /** Largest request body accepted, in bytes (413 beyond). */
  bodyLimit?: number
}

export const defaults = {
  port: 4545,
  host: '127.0.0.1',
  authorizationLifetimeSeconds: 3600,
  bodyLimit: 1024 * 1024,
  journalLimit: 1000
} as const

/** Parses a credentials list: "user:pass" entries separated by commas or new lines. */
export function parseCredentials (text: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const raw of text.split(/[\n,]/)) {
    const entry = raw.trim()
    if (entry === '' || entry.startsWith('#')) continue
    const i = entry.indexOf(':')
    if (i <= 0 || i === entry.length - 1) throw new Error(`invalid credentials entry "${entry.slice(0, 40)}": expected username:password`)
    map.set(entry.slice(0, i), entry.slice(i + 1))
  }
  return map
}
