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
 * only when it is read. The hooks are callback-style (no promise per request: they run on every
 * call).
 */
export function registerJournal(app: FastifyInstance): void {
  const journal = app.domain.journal
  if (!journal.enabled) return
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/_mock')) return done()
    const headers: Record<string, string> = {}
    for (const name of keptHeaders) {
      const v = request.headers[name]
      if (typeof v === 'string') headers[name] = clip(v, MAX_HEADER_CHARS)
    }
    const entry: JournalEntry = {
      correlation_id: request.id,
      timeMs: app.domain.clock.nowMs(),
      method: request.method,
      path: clip(request.url, MAX_PATH_CHARS),
      merchant: null,
      operation: request.operation ?? null,
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
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      entry.merchant = request.merchant === '' ? null : request.merchant
      // The time on the merchant's own virtual clock, once the merchant is known.
      if (request.merchant !== '') entry.timeMs = clockOf(app.domain, request.merchant).nowMs()
      entry.status = reply.statusCode
      if (typeof payload === 'string' && payload !== '') {
        const kept = keepBody(payload)
        entry.responseBody = kept.body
        entry.responseBodyTruncated = kept.truncated
      }
    }
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      entry.merchant = request.merchant === '' ? null : request.merchant
      entry.scenario = request.scenarioApplied ?? null
    }
    done()
  })
}

/** Called by the JSON parser with the body text as it came, before anything reads it. */
export function journalRequestBody(entry: JournalEntry | undefined, text: string): void {
  if (entry === undefined || text === '') return
  const kept = keepBody(text)
  entry.requestBody = kept.body
  entry.requestBodyTruncated = kept.truncated
}
