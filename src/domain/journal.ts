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

/**
 * How a kept body is shown: the JSON value when it came whole, parses, and is not nested
 * absurdly deep; otherwise the text itself (a cut body, a malformed one, a deep one).
 */
export function showBody(body: KeptBody | null, truncated: boolean): unknown {
  if (body === null || body.length === 0) return null
  const text = typeof body === 'string' ? body : body.toString('utf8')
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

/** A ring of the newest `limit` entries: adding is O(1) and nothing dropped stays referenced. */
export class Journal {
  readonly limit: number
  #ring: Array<JournalEntry | undefined>
  #next = 0
  #count = 0

  constructor(limit: number) {
    this.limit = Math.max(0, limit)
    this.#ring = new Array<JournalEntry | undefined>(this.limit)
  }

  get enabled(): boolean {
    return this.limit > 0
  }

  get size(): number {
    return this.#count
  }

  add(entry: JournalEntry): void {
    if (this.limit === 0) return
    this.#ring[this.#next] = entry
    this.#next = (this.#next + 1) % this.limit
    if (this.#count < this.limit) this.#count++
  }

  /** Newest first. */
  *#newestFirst(): Generator<JournalEntry> {
    for (let k = 0; k < this.#count; k++) {
      yield this.#ring[(this.#next - 1 - k + this.limit) % this.limit] as JournalEntry
    }
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

  /** Forgets every entry, or one merchant's. */
  clear(merchant?: string): void {
    const kept =
      merchant === undefined ? [] : [...this.#newestFirst()].filter((e) => e.merchant !== merchant).reverse()
    this.#ring = new Array<JournalEntry | undefined>(this.limit)
    this.#next = 0
    this.#count = 0
    for (const e of kept) this.add(e)
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
