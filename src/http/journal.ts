import type { FastifyInstance } from 'fastify'
import { keptHeaders, type JournalEntry } from '../domain/journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    journalEntry?: JournalEntry
  }
}

const MAX_DEPTH = 32
const MAX_CHARS = 64 * 1024

/** Depth of a parsed JSON value, without recursion (bodies can be nested thousands deep). */
function depthOf (value: unknown): number {
  let max = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (d > max) max = d
    if (max > MAX_DEPTH) return max
    for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return max
}

/** What the journal keeps of a body: the body itself, or a note when it is too deep or too large. */
export function journalBody (value: unknown): unknown {
  if (value === undefined) return null
  if (depthOf(value) > MAX_DEPTH) return `(body nested deeper than ${MAX_DEPTH} levels, not kept)`
  const text = JSON.stringify(value)
  if (text.length > MAX_CHARS) return `${text.slice(0, MAX_CHARS)}… (truncated)`
  return value
}

function parseMaybeJson (payload: unknown): unknown {
  if (typeof payload !== 'string' || payload === '') return null
  try {
    return journalBody(JSON.parse(payload))
  } catch {
    return payload.length > 2000 ? `${payload.slice(0, 2000)}…` : payload
  }
}

/**
 * Journals every call outside /_mock: opened on arrival, completed with the parsed body, the
 * answer and the scenario played. Faults (no answer) are journalled with status null.
 */
export function registerJournal (app: FastifyInstance): void {
  const journal = app.domain.journal
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/_mock')) return
    const headers: Record<string, string> = {}
    for (const name of keptHeaders) {
      const v = request.headers[name]
      if (typeof v === 'string') headers[name] = v
    }
    const entry: JournalEntry = {
      correlation_id: request.id,
      time: app.domain.clock.iso(),
      method: request.method,
      path: request.url,
      merchant: null,
      operation: (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? null,
      status: null,
      scenario: null,
      fault: null,
      request_headers: headers,
      request_body: null,
      response_body: null
    }
    request.journalEntry = entry
    journal.add(entry)
  })
  app.addHook('preValidation', async (request) => {
    if (request.journalEntry !== undefined) request.journalEntry.request_body = journalBody(request.body)
  })
  app.addHook('onSend', async (request, reply, payload) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      entry.merchant = request.merchant === '' ? null : request.merchant
      entry.status = reply.statusCode
      entry.response_body = parseMaybeJson(payload)
    }
    return payload
  })
  app.addHook('onResponse', async (request) => {
    const entry = request.journalEntry
    if (entry === undefined) return
    entry.merchant = request.merchant === '' ? null : request.merchant
    entry.scenario = request.scenarioApplied ?? null
  })
}
