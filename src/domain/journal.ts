/**
 * The request journal: what the server received and answered, newest first, bounded in entries
 * and in bytes. It never holds credentials: only the headers listed in `keptHeaders` are stored.
 * Bodies are kept as the text that came (not the parsed object, which can weigh a hundred times
 * more, and not the validated one, which lacks the fields Klarna does not define), cut at
 * MAX_BODY_BYTES of UTF-8; they are parsed only when the journal is read.
 */

export interface JournalEntry {
  correlation_id: string
  /** On the merchant's virtual clock once the merchant is known (ms); shown as ISO 8601. */
  timeMs: number
  method: string
  path: string
  merchant: string | null
  operation: string | null
  status: number | null
  scenario: string | null
  fault: string | null
  request_headers: Record<string, string>
  /** The body as received, cut at MAX_BODY_BYTES of UTF-8; null when none was read. */
  requestBody: KeptBody | null
  requestBodyTruncated: boolean
  responseBody: KeptBody | null
  responseBodyTruncated: boolean
  /** The journal's slot while the call is under way; -1 once sealed or dropped (Journal.seal). */
  slot: number
}

export const keptHeaders = [
  'content-type',
  'user-agent',
  'klarna-idempotency-key',
  'klarna-mock-scenario',
  'x-klarna-integration-metadata',
] as const

/** What an entry keeps of each body, each header value and the path. */
export const MAX_BODY_BYTES = 16 * 1024
export const MAX_HEADER_CHARS = 1024
export const MAX_PATH_CHARS = 2048
/** What GET /_mock/requests answers when no limit is given, and the most it answers. */
export const DEFAULT_LIST_LIMIT = 100
export const MAX_LIST_LIMIT = 1000
/** Deeper bodies are shown as text: the answer is serialized recursively. */
const MAX_SHOWN_DEPTH = 32

/** A short body is the string itself; a long one, the first MAX_BODY_BYTES of its UTF-8. */
export type KeptBody = string | Buffer

/** Bodies of at most this many characters are kept as they are: at most MAX_BODY_BYTES as UTF-8. */
const KEPT_AS_IS = Math.floor(MAX_BODY_BYTES / 3)

/**
 * What the journal keeps of a body. A short one (nearly every call) is the string itself, with no
 * copy: a character is at most 3 UTF-8 bytes (a surrogate pair 4 bytes for 2 characters), and at
 * most 2 bytes in memory. A longer one is cut at MAX_BODY_BYTES of UTF-8 into a copy of its own, so
 * that a large body is not kept alive by a slice of it.
 */
export function keepBody(text: string): { body: KeptBody; truncated: boolean } {
  if (text.length <= KEPT_AS_IS) return { body: text, truncated: false }
  const head = text.length > MAX_BODY_BYTES ? text.slice(0, MAX_BODY_BYTES) : text
  const bytes = Buffer.from(head, 'utf8')
  if (bytes.length <= MAX_BODY_BYTES && head.length === text.length) return { body: bytes, truncated: false }
  return { body: Buffer.from(bytes.subarray(0, MAX_BODY_BYTES)), truncated: true }
}

export const clip = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text)

/** A call's entry as it arrives: the kept headers (clipped), the path, no answer yet. */
export function openEntry(
  correlationId: string,
  timeMs: number,
  method: string,
  url: string,
  operation: string | undefined,
  requestHeaders: Readonly<Record<string, string | string[] | undefined>>,
): JournalEntry {
  const headers: Record<string, string> = {}
  for (const name of keptHeaders) {
    const v = requestHeaders[name]
    if (typeof v === 'string') headers[name] = clip(v, MAX_HEADER_CHARS)
  }
  return {
    correlation_id: correlationId,
    timeMs,
    method,
    path: clip(url, MAX_PATH_CHARS),
    merchant: null,
    operation: operation ?? null,
    status: null,
    scenario: null,
    fault: null,
    request_headers: headers,
    requestBody: null,
    requestBodyTruncated: false,
    responseBody: null,
    responseBodyTruncated: false,
    slot: -1,
  }
}

/** The body as it came, before parsing and validation change anything. */
export function keepRequestBody(entry: JournalEntry, text: string): void {
  if (text === '') return
  const kept = keepBody(text)
  entry.requestBody = kept.body
  entry.requestBodyTruncated = kept.truncated
}

/**
 * The answer: its status and body, the merchant once known ('' : none), and the time on that
 * merchant's virtual clock (`timeMs`, given by the caller: the domain's clock is not known here).
 */
export function answerEntry(
  entry: JournalEntry,
  merchant: string,
  timeMs: number | undefined,
  status: number,
  payload: unknown,
): void {
  entry.merchant = merchant === '' ? null : merchant
  if (timeMs !== undefined) entry.timeMs = timeMs
  entry.status = status
  if (typeof payload === 'string' && payload !== '') {
    const kept = keepBody(payload)
    entry.responseBody = kept.body
    entry.responseBodyTruncated = kept.truncated
  }
}

/** Depth of a parsed JSON value, without recursion. */
function depthOf(value: unknown, limit: number): number {
  let max = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (d > max) max = d
    if (max > limit) return max
    for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return max
}

/** A kept body's text: a cut body's bytes read as UTF-8. */
const bodyText = (body: KeptBody): string => (typeof body === 'string' ? body : body.toString('utf8'))

/**
 * How a kept body is shown: the JSON value when it came whole, parses, and is not nested
 * absurdly deep; otherwise the text itself (a cut body, a malformed one, a deep one).
 */
export function showBody(body: KeptBody | null, truncated: boolean): unknown {
  if (body === null || body.length === 0) return null
  const text = bodyText(body)
  if (truncated) return text
  try {
    const value: unknown = JSON.parse(text)
    return depthOf(value, MAX_SHOWN_DEPTH) > MAX_SHOWN_DEPTH ? text : value
  } catch {
    return text
  }
}

export interface JournalFilter {
  merchant?: string | undefined
  path?: string | undefined
  status?: number | undefined
  limit?: number | undefined
}

/**
 * A sealed entry's text is its string fields, then its kept headers, then its two bodies, joined
 * in this order (seal() writes them so, #entry() reads them so).
 */
const stringFields = [
  'correlation_id',
  'method',
  'path',
  'merchant',
  'operation',
  'scenario',
  'fault',
] as const
type StringFields = Pick<JournalEntry, (typeof stringFields)[number]>
/** The text fields of a sealed entry (the last two its bodies). */
const TEXT_FIELDS = stringFields.length + keptHeaders.length + 2
/** Bytes of each chunk the sealed entries are written to (an entry longer than that gets a chunk of its own). */
const CHUNK_BYTES = 256 * 1024
const REQUEST_TRUNCATED = 1
const RESPONSE_TRUNCATED = 2
/** Slots a journal's arrays start with (the default limit's, 1000, fits). */
const INITIAL_SLOTS = 1024
/** The entry's text is written as Latin-1 (else UTF-8). */
const LATIN1 = 4
/** A character Latin-1 cannot write. */
const NOT_LATIN1 = /[\u0100-\uffff]/

/**
 * A ring of the newest `limit` entries: adding is O(1) and nothing dropped stays referenced.
 *
 * An entry is an object while its call is under way (its hooks fill it in), then **sealed**
 * (`seal`): its text fields joined into one run of Latin-1 or UTF-8 bytes in a chunk outside the
 * JavaScript heap, its numbers in typed arrays, the object dropped. A journal of objects kept about a
 * kilobyte of strings alive per call until a thousand calls later: every young-generation
 * collection copied the last thousand entries and promoted them, to die in the old generation
 * (under a customer-token load, three times the collection time of the same load without the
 * journal; docs/performance.md, eleventh pass). Sealed entries are read back only when the journal
 * is read. A chunk is released when none of its entries is kept any more.
 */
export class Journal {
  readonly limit: number
  /** Entries under way, by slot (undefined once sealed or never used). */
  #live: Array<JournalEntry | undefined>
  #next = 0
  #count = 0
  /** Per slot: 1 when it holds a sealed entry. */
  #sealed: Uint8Array
  #time: Float64Array
  /** The status, -1 for none. */
  #status: Int16Array
  #flags: Uint8Array
  /** Where each sealed entry's bytes are: chunk number, offset, length. */
  #chunkOf: Int32Array
  #offset: Int32Array
  #bytes: Int32Array
  /** Each text field's length in characters, -1 for null (TEXT_FIELDS per slot). */
  #lengths: Int32Array
  readonly #chunks = new Map<number, { bytes: Buffer; live: number }>()
  /** Released chunks of CHUNK_BYTES, for the next ones. */
  readonly #spare: Buffer[] = []
  #chunk = -1
  #used = CHUNK_BYTES

  /**
   * Slots the arrays have room for: they grow with use, up to `limit`. Allocated whole, a limit of
   * a billion (the library's options allow it) would throw: 14 billion lengths are past a typed array.
   */
  #capacity: number

  constructor(limit: number) {
    this.limit = Math.max(0, limit)
    this.#capacity = Math.min(this.limit, INITIAL_SLOTS)
    this.#live = new Array<JournalEntry | undefined>(this.#capacity)
    this.#sealed = new Uint8Array(this.#capacity)
    this.#time = new Float64Array(this.#capacity)
    this.#status = new Int16Array(this.#capacity)
    this.#flags = new Uint8Array(this.#capacity)
    this.#chunkOf = new Int32Array(this.#capacity)
    this.#offset = new Int32Array(this.#capacity)
    this.#bytes = new Int32Array(this.#capacity)
    this.#lengths = new Int32Array(this.#capacity * TEXT_FIELDS)
  }

  /**
   * Room for twice the slots (at most `limit`). The ring fills its slots in order from 0, so a slot
   * past the arrays is always the first one past them.
   */
  #grow(): void {
    const capacity = Math.min(this.limit, this.#capacity * 2)
    const grown = <T extends Uint8Array | Int16Array | Int32Array | Float64Array>(
      old: T,
      size: number,
    ): T => {
      const next = new (old.constructor as new (length: number) => T)(size)
      next.set(old)
      return next
    }
    this.#sealed = grown(this.#sealed, capacity)
    this.#time = grown(this.#time, capacity)
    this.#status = grown(this.#status, capacity)
    this.#flags = grown(this.#flags, capacity)
    this.#chunkOf = grown(this.#chunkOf, capacity)
    this.#offset = grown(this.#offset, capacity)
    this.#bytes = grown(this.#bytes, capacity)
    this.#lengths = grown(this.#lengths, capacity * TEXT_FIELDS)
    this.#live.length = capacity
    this.#capacity = capacity
  }

  get enabled(): boolean {
    return this.limit > 0
  }

  get size(): number {
    return this.#count
  }

  /** Bytes held in chunks (for the tests of the journal's memory). */
  get chunkBytes(): number {
    let total = 0
    for (const chunk of this.#chunks.values()) total += chunk.bytes.length
    return total
  }

  add(entry: JournalEntry): void {
    if (this.limit === 0) return
    const slot = this.#next
    if (slot >= this.#capacity) this.#grow()
    this.#release(slot)
    this.#live[slot] = entry
    entry.slot = slot
    this.#next = (slot + 1) % this.limit
    if (this.#count < this.limit) this.#count++
  }

  /** The entry's call is over: its fields go to the chunks (unless it has left the journal already). */
  seal(entry: JournalEntry): void {
    const slot = entry.slot
    if (slot < 0 || this.#live[slot] !== entry) return
    const base = slot * TEXT_FIELDS
    const lengths = this.#lengths
    let text = ''
    let i = 0
    const put = (value: string | null): void => {
      lengths[base + i++] = value === null ? -1 : value.length
      if (value !== null) text += value
    }
    for (const name of stringFields) put(entry[name])
    for (const name of keptHeaders) put(entry.request_headers[name] ?? null)
    put(entry.requestBody === null ? null : bodyText(entry.requestBody))
    put(entry.responseBody === null ? null : bodyText(entry.responseBody))
    // Latin-1 (a byte a character, a copy) when every character fits it, as nearly every call's do
    // (a third of the cost of UTF-8, whose encoder also goes character by character); otherwise
    // UTF-8, at most 3 bytes a UTF-16 unit, the bytes counted only when that might not fit.
    const latin1 = !NOT_LATIN1.test(text)
    let needed = latin1 ? text.length : text.length * 3
    if (!latin1 && this.#used + needed > CHUNK_BYTES) needed = Buffer.byteLength(text, 'utf8')
    if (this.#used + needed > CHUNK_BYTES) this.#newChunk(needed)
    const chunk = this.#chunks.get(this.#chunk)!
    const written = chunk.bytes.write(text, this.#used, latin1 ? 'latin1' : 'utf8')
    chunk.live++
    this.#chunkOf[slot] = this.#chunk
    this.#offset[slot] = this.#used
    this.#bytes[slot] = written
    this.#used += written
    this.#time[slot] = entry.timeMs
    this.#status[slot] = entry.status ?? -1
    this.#flags[slot] =
      (entry.requestBodyTruncated ? REQUEST_TRUNCATED : 0) |
      (entry.responseBodyTruncated ? RESPONSE_TRUNCATED : 0) |
      (latin1 ? LATIN1 : 0)
    this.#sealed[slot] = 1
    this.#live[slot] = undefined
    entry.slot = -1
  }

  #newChunk(needed: number): void {
    const current = this.#chunks.get(this.#chunk)
    if (current !== undefined && current.live === 0) this.#drop(this.#chunk, current.bytes)
    this.#chunk++
    const bytes =
      needed <= CHUNK_BYTES
        ? (this.#spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES))
        : Buffer.allocUnsafe(needed)
    this.#chunks.set(this.#chunk, { bytes, live: 0 })
    this.#used = 0
  }

  /**
   * A chunk none of whose entries is kept: one of the usual size is kept for the next (a journal
   * that allocated a chunk every few hundred calls made V8 count the memory and collect its old
   * generation for it four times as often).
   */
  #drop(number: number, bytes: Buffer): void {
    this.#chunks.delete(number)
    if (bytes.length === CHUNK_BYTES && this.#spare.length < 2) this.#spare.push(bytes)
  }

  /** Forgets what the slot holds; a chunk none of whose entries is kept is released (not the one being filled). */
  #release(slot: number): void {
    const live = this.#live[slot]
    if (live !== undefined) {
      live.slot = -1
      this.#live[slot] = undefined
    }
    if (this.#sealed[slot] === 0) return
    this.#sealed[slot] = 0
    const number = this.#chunkOf[slot]!
    const chunk = this.#chunks.get(number)!
    if (--chunk.live === 0 && number !== this.#chunk) this.#drop(number, chunk.bytes)
  }

  /** The entry in a slot: the object under way, or the sealed one read back. */
  #entry(slot: number): JournalEntry {
    const live = this.#live[slot]
    if (live !== undefined) return live
    const chunk = this.#chunks.get(this.#chunkOf[slot]!)!
    const offset = this.#offset[slot]!
    const encoding = (this.#flags[slot]! & LATIN1) === 0 ? 'utf8' : 'latin1'
    const text = chunk.bytes.toString(encoding, offset, offset + this.#bytes[slot]!)
    const base = slot * TEXT_FIELDS
    let i = 0
    let at = 0
    // The next field, in the order seal() wrote them.
    const field = (): string | null => {
      const length = this.#lengths[base + i++]!
      if (length < 0) return null
      at += length
      return text.slice(at - length, at)
    }
    // correlation_id, method and path were strings when sealed, so they read back as strings.
    const strings: Record<string, string | null> = {}
    for (const name of stringFields) strings[name] = field()
    const headers: Record<string, string> = {}
    for (const name of keptHeaders) {
      const value = field()
      if (value !== null) headers[name] = value
    }
    const requestBody = field()
    const responseBody = field()
    const status = this.#status[slot]!
    const flags = this.#flags[slot]!
    return {
      ...(strings as unknown as StringFields),
      timeMs: this.#time[slot]!,
      status: status < 0 ? null : status,
      request_headers: headers,
      requestBody,
      requestBodyTruncated: (flags & REQUEST_TRUNCATED) !== 0,
      responseBody,
      responseBodyTruncated: (flags & RESPONSE_TRUNCATED) !== 0,
      slot: -1,
    }
  }

  /** Newest first. */
  *#newestFirst(): Generator<JournalEntry> {
    for (let k = 0; k < this.#count; k++) yield this.#entry((this.#next - 1 - k + this.limit) % this.limit)
  }

  /** Newest first; at most `limit` (default DEFAULT_LIST_LIMIT, at most MAX_LIST_LIMIT). */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const limit = Math.min(filter.limit ?? DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT)
    const out: JournalEntry[] = []
    if (limit <= 0) return out
    for (const e of this.#newestFirst()) {
      if (filter.merchant !== undefined && e.merchant !== filter.merchant) continue
      if (filter.path !== undefined && !e.path.includes(filter.path)) continue
      if (filter.status !== undefined && e.status !== filter.status) continue
      out.push(e)
      if (out.length >= limit) break
    }
    return out
  }

  /** Forgets every entry, or one merchant's (the others kept, in their order, sealed as they were). */
  clear(merchant?: string): void {
    const kept =
      merchant === undefined ? [] : [...this.#newestFirst()].filter((e) => e.merchant !== merchant).reverse()
    const sealed = kept.map((e) => e.slot < 0)
    for (let slot = 0; slot < this.#capacity; slot++) this.#release(slot)
    this.#next = 0
    this.#count = 0
    kept.forEach((e, k) => {
      this.add(e)
      if (sealed[k] === true) this.seal(e)
    })
  }
}

/** What GET /_mock/requests shows of an entry. */
export function entryView(e: JournalEntry) {
  return {
    correlation_id: e.correlation_id,
    time: new Date(e.timeMs).toISOString(),
    method: e.method,
    path: e.path,
    merchant: e.merchant,
    operation: e.operation,
    status: e.status,
    scenario: e.scenario,
    fault: e.fault,
    request_headers: e.request_headers,
    request_body: showBody(e.requestBody, e.requestBodyTruncated),
    request_body_truncated: e.requestBodyTruncated,
    response_body: showBody(e.responseBody, e.responseBodyTruncated),
    response_body_truncated: e.responseBodyTruncated,
  }
}
