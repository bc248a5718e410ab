import basicAuth from '@fastify/basic-auth'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { errors } from '../domain/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The merchant: the Basic auth username. All state is kept per merchant. */
    merchant: string
    /** The operator credential was given: control calls may name another merchant. */
    operator: boolean
  }
}

/** username -> password. null: any non-empty username and password is accepted. */
export type Credentials = ReadonlyMap<string, string> | null

/** The operator's credential: it may act on every merchant through the control API. */
export interface AdminCredential {
  username: string
  password: string
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Who a Basic username and password are: the merchant, and whether it is the operator; undefined: refused. */
export function checkCredentials(
  credentials: Credentials,
  admin: AdminCredential | undefined,
  username: string,
  password: string,
): { merchant: string; operator: boolean } | undefined {
  if (username === '' || password === '') return undefined
  if (admin !== undefined && username === admin.username) {
    return equal(admin.password, password) ? { merchant: username, operator: true } : undefined
  }
  if (
    credentials !== null &&
    !(credentials.has(username) && equal(credentials.get(username) ?? '', password))
  ) {
    return undefined
  }
  return { merchant: username, operator: false }
}

/**
 * HTTP Basic auth for every Klarna endpoint and the control API. By default any non-empty
 * username and password pass and the username is the merchant; with a credentials list only the
 * listed pairs pass. The operator's username (--admin-credentials) is reserved: only its password
 * passes, and it marks the request as the operator's. Failure: 401 (src/http/errors.ts).
 */
export async function registerAuth(
  app: FastifyInstance,
  credentials: Credentials,
  admin: AdminCredential | undefined,
): Promise<void> {
  app.decorateRequest('merchant', '')
  app.decorateRequest('operator', false)
  await app.register(basicAuth, {
    authenticate: { realm: 'Klarna API' },
    // Callback-style (it runs on every call): done() passes, done(error) refuses.
    validate: (username, password, request, _reply, done) => {
      const who = checkCredentials(credentials, admin, username, password)
      if (who === undefined) return done(errors.unauthorized())
      request.merchant = who.merchant
      request.operator = who.operator
      done()
    },
  })
}
