import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../dist/app.js'
import type { MockOptions } from '../../dist/config.js'
import { basic, tokenRequest } from './data.js'
import { watch } from './oracle.js'

// Also here, where most tests look for them; data.ts is light to import (it builds no app).
export { basic, tokenRequest }

export interface Tap {
  teardown(fn: () => unknown): void
}

/**
 * A fresh app for one test, closed when the test ends. Every Klarna response it sends is checked
 * against Klarna's OpenAPI specs (test/helpers/oracle.ts): a violation fails the test.
 */
export async function build(t: Tap, options: MockOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ logger: false, ...options })
  const violations = watch(app)
  t.teardown(async () => {
    await app.close()
    if (violations.length > 0) {
      throw new Error(`responses that break Klarna's OpenAPI spec:\n${JSON.stringify(violations, null, 2)}`)
    }
  })
  return app
}

/** inject() as a merchant, JSON in and out. */
export async function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  opts: { user?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return await app.inject({
    method,
    url,
    headers: {
      authorization: basic(opts.user),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

/** Mints an authorization through the control API; returns its token. */
export async function mint(
  app: FastifyInstance,
  body: Record<string, unknown> = {},
  user?: string,
): Promise<{ authorization_token: string; session_id: string; expires_at: string }> {
  const res = await call(app, 'POST', '/_mock/authorizations', body, user === undefined ? {} : { user })
  if (res.statusCode !== 200) throw new Error(`mint failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

export async function createCustomerToken(
  app: FastifyInstance,
  authToken: string,
  body: unknown = tokenRequest(),
  user?: string,
): Promise<LightMyRequestResponse> {
  return await call(
    app,
    'POST',
    `/payments/v1/authorizations/${authToken}/customer-token`,
    body,
    user === undefined ? {} : { user },
  )
}

export async function advance(app: FastifyInstance, seconds: number): Promise<void> {
  const res = await call(app, 'POST', '/_mock/clock', { advance_seconds: seconds })
  if (res.statusCode !== 200) throw new Error(`clock failed: ${res.body}`)
}

export function errorOf(res: LightMyRequestResponse): { status: number; code: string; messages: string[] } {
  const body = res.json() as { error_code: string; error_messages: string[]; correlation_id: string }
  return { status: res.statusCode, code: body.error_code, messages: body.error_messages }
}
