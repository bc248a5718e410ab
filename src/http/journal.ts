import type { FastifyInstance } from 'fastify'
import { clockOf } from '../domain/context.js'
import {
  clip,
  keepBody,
  keptHeaders,
  MAX_HEADER_CHARS,
  MAX_PATH_CHARS,
  type JournalEntry,
} from '../domain/journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    journalEntry?: JournalEntry
  }
}

/**
 * Journals every call outside /_mock: opened on arrival, given the body as it came (by the JSON
 * parser, src/http/parser.ts), completed with the answer and the scenario played. Faults (no
 * answer) are journalled with status null. Nothing is parsed here: the journal parses bodies
 * only when it is read.
 */
export function registerJournal(app: FastifyInstance): void {
  const journal = app.domain.journal
  if (!journal.enabled) return
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/_mock')) return
    const headers: Record<string, string> = {}
    for (const name of keptHeaders) {
      const v = request.headers[name]
      if (typeof v === 'string') headers[name] = clip(v, MAX_HEADER_CHARS)
    }
    const entry: JournalEntry = {
      correlation_id: request.id,
      time: app.domain.clock.iso(),
      method: request.method,
      path: clip(request.url, MAX_PATH_CHARS),
      merchant: null,
      operation: (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? null,
      status: null,
      scenario: null,
      fault: null,
      request_headers: headers,
      requestBody: null,
      requestBodyTruncated: false,
      responseBody: null,
      responseBodyTruncated: false,
    }
    request.journalEntry = entry
    journal.add(entry)
  })
  app.addHook('onSend', async (request, reply, payload) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      entry.merchant = request.merchant === '' ? null : request.merchant
      // The time on the merchant's own virtual clock, once the merchant is known.
      if (request.merchant !== '') entry.time = clockOf(app.domain, request.merchant).iso()
      entry.status = reply.statusCode
      if (typeof payload === 'string' && payload !== '') {
        const kept = keepBody(payload)
        entry.responseBody = kept.body
        entry.responseBodyTruncated = kept.truncated
      }
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

/** Called by the JSON parser with the body text as it came, before anything reads it. */
export function journalRequestBody(entry: JournalEntry | undefined, text: string): void {
  if (entry === undefined || text === '') return
  const kept = keepBody(text)
  entry.requestBody = kept.body
  entry.requestBodyTruncated = kept.truncated
}
