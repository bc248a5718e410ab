import basicAuth from '@fastify/basic-auth'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { unauthorized } from '../domain/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The merchant: the Basic auth username. All state is kept per merchant. */
    merchant: string
  }
}

/** username -> password. null: any non-empty username and password is accepted. */
export type Credentials = ReadonlyMap<string, string> | null

function same (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * HTTP Basic auth for every Klarna endpoint and the control API. By default any non-empty
 * username and password pass and the username is the merchant; with a credentials list only the
 * listed pairs pass. Failure: 401 UNAUTHORIZED in Klarna's shape with `WWW-Authenticate: Basic`.
 */
export async function registerAuth (app: FastifyInstance, credentials: Credentials): Promise<void> {
  app.decorateRequest('merchant', '')
  await app.register(basicAuth, {
    authenticate: { realm: 'Klarna API' },
    validate: async (username, password, request) => {
      const ok = username !== '' && password !== '' &&
        (credentials === null || (credentials.has(username) && same(credentials.get(username) ?? '', password)))
      if (!ok) throw unauthorized()
      request.merchant = username
    }
  })
}

