import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The links the mock hands out to be opened by a browser without credentials (redirect_url):
 * self-contained and signed. The link carries what its page needs (the session, the order, the
 * merchant's confirmation URL) and an HMAC-SHA256 of it with the link secret; nothing is stored.
 * So a link works on whichever replica receives it, as long as every replica has the same secret
 * (--link-secret; a random one per process by default, enough for a single instance), and after a
 * restart. A link whose signature does not match is unknown.
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

export class LinkSigner {
  readonly #secret: Buffer

  constructor (secret: string | undefined) {
    this.#secret = secret === undefined || secret === '' ? randomBytes(32) : Buffer.from(secret, 'utf8')
  }

  #mac (payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest()
  }

  sign (link: RedirectLink): string {
    const payload = Buffer.from(JSON.stringify(link)).toString('base64url')
    return `${payload}.${this.#mac(payload).toString('base64url')}`
  }

  /** The link's content, or undefined when it was not signed with this secret or is malformed. */
  verify (token: string): RedirectLink | undefined {
    const [payload, mac, extra] = token.split('.')
    if (payload === undefined || mac === undefined || extra !== undefined) return undefined
    const given = Buffer.from(mac, 'base64url')
    const expected = this.#mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      const link = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RedirectLink
      return typeof link.s === 'string' && typeof link.w === 'string' ? link : undefined
    } catch {
      return undefined
    }
  }
}

/** A redirect_url on this mock: `${baseUrl}/_mock/redirect?link=<signed link>` (a query: links can be long). */
export function redirectUrl (signer: LinkSigner, baseUrl: string, link: RedirectLink): string {
  return `${baseUrl}/_mock/redirect?link=${signer.sign(link)}`
}
