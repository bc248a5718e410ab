/**
 * The request journal: what the server received and answered, newest first, bounded. It never
 * holds credentials: only the headers listed in `keptHeaders` are stored.
 */

export interface JournalEntry {
  correlation_id: string
  time: string
  method: string
  path: string
  merchant: string | null
  operation: string | null
  status: number | null
  scenario: string | null
  fault: string | null
  request_headers: Record<string, string>
  request_body: unknown
  response_body: unknown
}

export const keptHeaders = ['content-type', 'user-agent', 'klarna-idempotency-key', 'klarna-mock-scenario', 'x-klarna-integration-metadata'] as const

export interface JournalFilter {
  merchant?: string | undefined
  path?: string | undefined
  status?: number | undefined
  limit?: number | undefined
}

export class Journal {
  readonly limit: number
  #entries: JournalEntry[] = []

  constructor (limit: number) {
    this.limit = limit
  }

  add (entry: JournalEntry): void {
    if (this.limit <= 0) return
    this.#entries.push(entry)
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit)
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = []
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i] as JournalEntry
      if (filter.merchant !== undefined && e.merchant !== filter.merchant) continue
      if (filter.path !== undefined && !e.path.includes(filter.path)) continue
      if (filter.status !== undefined && e.status !== filter.status) continue
      out.push(e)
      if (filter.limit !== undefined && out.length >= filter.limit) break
    }
    return out
  }

  clear (merchant?: string): void {
    this.#entries = merchant === undefined ? [] : this.#entries.filter(e => e.merchant !== merchant)
  }
}
