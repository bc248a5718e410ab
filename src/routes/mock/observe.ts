import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CallbackEntry, JournalEntrySchema } from '../../schemas/mock.js'
import { entryView, MAX_LIST_LIMIT } from '../../domain/journal.js'
import { errors, noContent, tags, visibleTo } from './common.js'

/** What a test suite asserts on: the request journal and the callbacks made to the merchant. */
const observe: FastifyPluginAsyncTypebox = async (app) => {
  const d = app.domain
  const listed = app.mockOptions.credentials != null

  app.get('/requests', {
    schema: {
      tags,
      summary: 'The request journal',
      description: `The request journal, newest first: 100 entries unless ?limit= says otherwise (at most ${MAX_LIST_LIMIT}).`,
      querystring: Type.Object({
        merchant: Type.Optional(Type.String()),
        path: Type.Optional(Type.String()),
        status: Type.Optional(Type.String({ pattern: '^[1-5][0-9][0-9]$' })),
        limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' }))
      }),
      response: { 200: Type.Array(JournalEntrySchema), ...errors }
    }
  }, async (request) => {
    const q = request.query
    return d.journal.list({
      merchant: visibleTo(listed, request.merchant, q.merchant),
      path: q.path,
      status: q.status === undefined ? undefined : Number(q.status),
      limit: q.limit === undefined ? undefined : Number(q.limit)
    }).map(entryView)
  })

  app.delete('/requests', { schema: { tags, summary: 'Clear the journal', description: 'Clears the request journal.', response: noContent } }, async (request, reply) => {
    d.journal.clear(visibleTo(listed, request.merchant))
    return reply.code(204).send()
  })

  app.get('/callbacks', {
    schema: { tags, summary: 'The callbacks', description: "Klarna's callbacks to the merchant's URLs: sent, failed and still due (newest first).", response: { 200: Type.Array(CallbackEntry) } }
  }, async (request) => d.outbox.list(visibleTo(listed, request.merchant)).map(c => ({
    id: c.id,
    kind: c.kind,
    url: c.url,
    body: c.body,
    due_at: new Date(c.dueAtMs).toISOString(),
    state: c.state,
    attempts: c.attempts,
    last_result: c.lastResult ?? null
  })))
}

export default observe
