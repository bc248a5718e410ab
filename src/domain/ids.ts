import { randomUUID } from 'node:crypto'
import { nanoid } from 'nanoid'

/** Klarna's ids (session, authorization token, customer token, order) are UUIDs. */
export const newId = (): string => randomUUID()

/** A JWT-shaped client_token like Klarna's: header.payload.signature, payload pretty-printed. */
export function clientToken (payload: Record<string, unknown>): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url')
  return `${b64(JSON.stringify({ alg: 'none', kid: 'klarna-mock' }))}.${b64(JSON.stringify(payload, null, 2))}.${nanoid(43)}`
}

/** An unguessable id for links opened without credentials. */
export const linkId = (): string => nanoid(24)
