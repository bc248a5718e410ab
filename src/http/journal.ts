import type { FastifyInstance } from 'fastify'
import { clockOf } from '../domain/context.js'
import { answerEntry, openEntry, type JournalEntry } from '../domain/journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    journalEntry?: JournalEntry
  }
}

/**
 * Journals every call outside /_mock: opened on arrival, given the body as it came (by the JSON
 * parser, src/http/parser.ts), completed with the answer and the scenario played. Faults (no
 * answer) are journalled with status null. Once answered, the entry is sealed (out of the JavaScript
 * heap: src/domain/journal.ts). Nothing is parsed here: the journal parses bodies
 * only when it is read. The hooks are callback-style (no promise per request: they run on every
 * call).
 */
export function registerJournal(app: FastifyInstance): void {
  const journal = app.domain.journal
  if (!journal.enabled) return
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/_mock')) return done()
    const entry = openEntry(
      request.id,
      app.domain.clock.nowMs(),
      request.method,
      request.url,
      request.operation,
      request.headers,
    )
    request.journalEntry = entry
    journal.add(entry)
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      // The time on the merchant's own virtual clock, once the merchant is known.
      const merchant = request.merchant
      const timeMs = merchant === '' ? undefined : clockOf(app.domain, merchant).nowMs()
      answerEntry(entry, merchant, timeMs, reply.statusCode, payload)
    }
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => {
    const entry = request.journalEntry
    if (entry !== undefined) {
      entry.merchant = request.merchant === '' ? null : request.merchant
      entry.scenario = request.scenarioApplied ?? null
      journal.seal(entry)
    }
    done()
  })
}
