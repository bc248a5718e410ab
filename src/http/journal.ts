import type { FastifyInstance } from 'fastify'
import { keptHeaders, type JournalEntry } from '../domain/journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    journalEntry?: JournalEntry
  }
}

function parseMaybeJson (payload: unknown): unknown {
  if (typeof payload !== 'string' || payload === '') return null
  try {
    return JSON.parse(payload)
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
    if (request.journalEntry !== undefined) request.journalEntry.request_body = request.body ?? null
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
