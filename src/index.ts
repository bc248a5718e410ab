import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { MockOptions } from './config.js'
import { resetAll, sweepExpired } from './domain/context.js'
import { mintAuthorization, type MintInput } from './domain/mint.js'

export { buildApp } from './app.js'
export type { MockOptions } from './config.js'
export type { MintInput } from './domain/mint.js'

export interface StartOptions extends MockOptions {
  /** Port to listen on; default 0 (a free port). */
  port?: number
  /** Address to listen on; default 127.0.0.1. */
  host?: string
}

export interface MockAuthorization {
  authorization_token: string
  session_id: string
  expires_at: string
}

export interface RunningMock {
  /** Base URL to give your Klarna client, e.g. http://127.0.0.1:39123 */
  url: string
  /** The Fastify instance, for inject() and anything else. */
  app: FastifyInstance
  /** Stops the server (and saves the state file, if any). */
  close: () => Promise<void>
  /** Forgets a merchant's state (its scenarios, journal, callbacks and clock too); without one, everyone's. */
  reset: (merchant?: string) => void
  /** Moves a merchant's virtual clock forward (default "merchant"); returns its new virtual time. */
  advanceClock: (seconds: number, merchant?: string) => Date
  /** Mints an authorization for a merchant (default "merchant"), as POST /_mock/authorizations. */
  authorize: (options?: MintInput & { merchant?: string }) => MockAuthorization
  /**
   * Settles once every route's validators and serializers are compiled (in the background, between
   * requests), with how many it readied: await it for first calls as fast as later ones.
   */
  warmedUp: Promise<number>
}

/**
 * Starts klarna-mock in this process on a free port, for a Node test suite:
 *
 *   const mock = await startMock()
 *   const authorization = mock.authorize({ purchase_country: 'GB' })
 *   // point your Klarna client at mock.url ...
 *   await mock.close()
 */
export async function startMock(options: StartOptions = {}): Promise<RunningMock> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options
  const app = await buildApp({ logger: false, ...appOptions })
  await app.listen({ port, host })
  // Answering already; the schemas no call has needed yet are compiled between requests.
  const warmedUp = app.warmUp()
  const address = app.server.address()
  const actualPort = address !== null && typeof address === 'object' ? address.port : port
  const domain = app.domain
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`
  return {
    url,
    app,
    close: async () => {
      await app.close()
    },
    reset: (merchant?: string) => resetAll(domain, merchant),
    advanceClock: (seconds: number, merchant = 'merchant') => {
      const now = domain.store.merchant(merchant).clock.advance(seconds)
      sweepExpired(domain, merchant)
      return now
    },
    authorize: ({ merchant = 'merchant', ...input } = {}) => mintAuthorization(domain, merchant, input, url),
    warmedUp,
  }
}
