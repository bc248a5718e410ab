// `hash` is read off the namespace: a named import of it would not load on Node before 20.12.
import * as crypto from 'node:crypto'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Static } from '@sinclair/typebox'
import type { RedirectQuery } from '../schemas/mock.js'

/**
 * The links the mock hands out to be opened by a browser without credentials (redirect_url):
 * self-contained and signed. The link carries what its page needs (the session, the order, the
 * merchant's confirmation URL) and a tag of it made with the link secret; nothing is stored.
 * So a link works on whichever replica receives it, as long as every replica has the same secret
 * (--link-secret; a random one per process by default, enough for a single instance), and after a
 * restart. A link whose signature does not match is unknown.
 *
 * A link is its fields as query parameters and their tag (`?s=…&w=…[&o=…][&c=…]&tag=…`): a
 * customer token's redirect_url is made on every creation, and the query costs one hash where the
 * earlier form (`?link=<base64url JSON>.<tag>`, which still opens) also took a JSON text, a Buffer
 * and its base64url (docs/performance.md, eleventh pass).
 */

export interface RedirectLink {
  /** Session id. */
  s: string
  /** Order id, when an order was placed. */
  o?: string | undefined
  /** The merchant's confirmation URL (placeholders {session.id}, {order.id}). */
  c?: string | undefined
  /** What happened, for the page shown when there is no confirmation URL. */
  w: string
}

/** A redirect's query parameters, as the route receives them. */
export type LinkQuery = Static<typeof RedirectQuery>

/**
 * What a link's tag covers: a version mark (a base64url payload, the earlier form, never holds a
 * line feed), the fields, and whether each optional one is there.
 */
function taggedText(link: RedirectLink): string {
  return `redirect 3\n${link.s}\n${link.w}\n${link.o === undefined ? '-' : `+${link.o}`}\n${
    link.c === undefined ? '-' : `+${link.c}`
  }`
}

/** SHA-256's block: HMAC pads its key to it (RFC 2104). */
const BLOCK = 64

/** A digest in one call: crypto.hash() where Node has it (20.12 on), else a Hash object. */
function digest(algorithm: string, data: string | Buffer, encoding: 'buffer'): Buffer
function digest(algorithm: string, data: string | Buffer, encoding: 'base64url'): string
function digest(algorithm: string, data: string | Buffer, encoding: 'buffer' | 'base64url'): Buffer | string {
  if (typeof crypto.hash === 'function') return crypto.hash(algorithm, data, encoding)
  const hash = createHash(algorithm).update(data)
  return encoding === 'buffer' ? hash.digest() : hash.digest(encoding)
}

/** Does the base64url text `given` decode to `expected`? (timing-safe) */
function sameBytes(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given, 'base64url')
  return bytes.length === expected.length && timingSafeEqual(bytes, expected)
}

export class LinkSigner {
  /** The key XOR ipad and XOR opad, computed once (RFC 2104): each MAC is then two one-shot hashes. */
  readonly #innerPad: Buffer
  readonly #outerPad: Buffer
  /**
   * The redirect links' key: 64 hex digits drawn from the secret. A link's tag is
   * SHA3-256(key ‖ link), a keyed hash in one call where HMAC takes two and their buffers (a
   * customer token's redirect_url is signed on every creation: 2.8 µs against 5.4 µs a link). A
   * key put in front of the message is a sound MAC with SHA-3 (no length extension: KMAC is built
   * so); the key's fixed length keeps key and link apart.
   */
  readonly #linkKey: string

  constructor(secret: string | undefined) {
    const given = secret === undefined || secret === '' ? randomBytes(32) : Buffer.from(secret, 'utf8')
    this.#linkKey = createHash('sha3-256').update('klarna-mock redirect links\n').update(given).digest('hex')
    // A key longer than the block is hashed first, as HMAC does.
    const key = given.length > BLOCK ? digest('sha256', given, 'buffer') : given
    this.#innerPad = Buffer.alloc(BLOCK, 0x36)
    this.#outerPad = Buffer.alloc(BLOCK, 0x5c)
    for (let i = 0; i < key.length; i++) {
      this.#innerPad[i]! ^= key[i]!
      this.#outerPad[i]! ^= key[i]!
    }
  }

  /**
   * HMAC-SHA256 (the same bytes as `createHmac('sha256', secret)`: test/in-process/links.unit.test.ts),
   * as two calls of crypto.hash() on the precomputed pads: no Hmac object per link, a customer
   * token's redirect_url is signed on every creation.
   */
  #mac(payload: string): Buffer {
    const inner = digest('sha256', Buffer.concat([this.#innerPad, Buffer.from(payload, 'utf8')]), 'buffer')
    return digest('sha256', Buffer.concat([this.#outerPad, inner]), 'buffer')
  }

  /** The base64url HMAC of `data`. */
  mac(data: string): string {
    return this.#mac(data).toString('base64url')
  }

  /** Is `mac` the HMAC of `data` with this secret? */
  check(data: string, mac: string): boolean {
    return sameBytes(mac, this.#mac(data))
  }

  /** The base64url tag of a redirect link's payload. */
  #tag(payload: string): string {
    return digest('sha3-256', this.#linkKey + payload, 'base64url')
  }

  /**
   * The query of a link (`s=…&w=…[&o=…][&c=…]&tag=…`). Its tag covers the fields as the redirect
   * receives them, decoded, joined by line feeds (s, w and o never hold one: verifyQuery refuses
   * them; c, which may, comes last), each optional field with a mark of whether it is there.
   */
  query(link: RedirectLink): string {
    let query = `s=${encodeURIComponent(link.s)}&w=${encodeURIComponent(link.w)}`
    if (link.o !== undefined) query += `&o=${encodeURIComponent(link.o)}`
    if (link.c !== undefined) query += `&c=${encodeURIComponent(link.c)}`
    return `${query}&tag=${this.#tag(taggedText(link))}`
  }

  /** The link a redirect's query parameters make, or undefined when its tag does not match. */
  verifyQuery(query: LinkQuery): RedirectLink | undefined {
    const { s, w, o, c, tag } = query
    if (s === undefined || w === undefined || tag === undefined) return undefined
    if (s.includes('\n') || w.includes('\n') || (o?.includes('\n') ?? false)) return undefined
    const link: RedirectLink = { s, w }
    if (o !== undefined) link.o = o
    if (c !== undefined) link.c = c
    return sameBytes(tag, Buffer.from(this.#tag(taggedText(link)), 'base64url')) ? link : undefined
  }

  /**
   * The content of a link of the earlier form (`?link=<payload>.<tag>`, the payload base64url
   * JSON), or undefined when it was not signed with this secret or is malformed. Its tag is
   * SHA3-256 of the key and the payload, or, before that, the HMAC-SHA256 of the payload: both open.
   */
  verify(token: string): RedirectLink | undefined {
    const [payload, tag, extra] = token.split('.')
    if (payload === undefined || tag === undefined || extra !== undefined) return undefined
    const tagged = sameBytes(tag, Buffer.from(this.#tag(payload), 'base64url'))
    if (!tagged && !this.check(payload, tag)) return undefined
    try {
      const link = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RedirectLink
      return typeof link.s === 'string' && typeof link.w === 'string' ? link : undefined
    } catch {
      return undefined
    }
  }
}

/** What the client_token (a JWT) carries: Klarna's own fields, and the merchant for the mock. */
export interface ClientTokenPayload {
  session_id: string
  /** Where the SDK stand-in finds the mock. */
  base_url: string
  merchant: string
  purchase_country: string
  [field: string]: unknown
}

/** The client_token: a real JWT (HS256 with the link secret), so any replica can check it. */
export function signClientToken(signer: LinkSigner, payload: ClientTokenPayload): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'klarna-mock' })).toString(
    'base64url',
  )
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${header}.${body}.${signer.mac(`${header}.${body}`)}`
}

/** The client_token's payload, or undefined when it is not one this mock signed. */
export function verifyClientToken(signer: LinkSigner, token: string): ClientTokenPayload | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [header, body, mac] = parts as [string, string, string]
  if (!signer.check(`${header}.${body}`, mac)) return undefined
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ClientTokenPayload
    return typeof payload.session_id === 'string' && typeof payload.merchant === 'string'
      ? payload
      : undefined
  } catch {
    return undefined
  }
}

/** A redirect_url on this mock: `${baseUrl}/_mock/redirect?s=…&w=…[&o=…][&c=…]&tag=…`. */
export function redirectUrl(signer: LinkSigner, baseUrl: string, link: RedirectLink): string {
  return `${baseUrl}/_mock/redirect?${signer.query(link)}`
}

/**
 * The query of a hosted payment page link (/_mock/hpp?…): the merchant and the HPP session, signed,
 * so that the page, opened without credentials, reaches that merchant's session and no other.
 */
export function hostedPageQuery(signer: LinkSigner, merchant: string, id: string): string {
  return `m=${encodeURIComponent(merchant)}&id=${encodeURIComponent(id)}&sig=${signer.mac(`hpp\n${merchant}\n${id}`)}`
}

/** Is `sig` the signature of this merchant's HPP session? (timing-safe) */
export function checkHostedPageSignature(
  signer: LinkSigner,
  merchant: string,
  id: string,
  sig: string,
): boolean {
  return signer.check(`hpp\n${merchant}\n${id}`, sig)
}
