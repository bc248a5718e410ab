import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '../../typebox.js'
import { entryView, MAX_LIST_LIMIT } from '../../domain/journal.js'
import { merchantOverview } from '../../domain/overview.js'
import { CallbackEntry, JournalEntrySchema } from '../../schemas/mock.js'
import { merchantErrors, noContent } from '../../schemas/common.js'
import { MerchantQuery, oneTarget, tags, target } from './common.js'
import { named } from '../../http/named.js'

/**
 * What a test suite asserts on: the request journal and the callbacks made to the merchant. Each
 * merchant sees only its own entries (open auth too); the operator may name one (`?merchant=`)
 * or all (`?merchant=*`).
 */
const observe: FastifyPluginAsyncTypebox = async (app) => {
  const domain = app.domain

  app.get(
    '/requests',
    {
      schema: {
        tags,
        summary: 'The request journal',
        description: `The caller's requests, newest first: 100 entries unless ?limit= says otherwise (at most ${MAX_LIST_LIMIT}).`,
        querystring: Type.Composite([
          MerchantQuery,
          Type.Object({
            path: Type.Optional(Type.String()),
            status: Type.Optional(Type.String({ pattern: '^[1-5][0-9][0-9]$' })),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
          }),
        ]),
        response: { 200: Type.Array(JournalEntrySchema), ...merchantErrors },
      },
    },
    async (request) => {
      const q = request.query
      return domain.journal
        .list({
          merchant: target(request, { all: true }),
          path: q.path,
          status: q.status === undefined ? undefined : Number(q.status),
          limit: q.limit === undefined ? undefined : Number(q.limit),
        })
        .map(entryView)
    },
  )

  app.get(
    '/objects',
    {
      schema: {
        tags,
        summary: "The merchant's objects",
        description:
          "Sessions, authorizations, customer tokens, orders and HPP sessions (newest first, at most 200 of each), each with its state on the merchant's virtual clock; the clock; whether the journal is on. What the dashboard (/_mock/ui) shows.",
        querystring: MerchantQuery,
        response: { 200: Type.Unknown(), ...merchantErrors },
      },
    },
    async (request) => ({
      ...merchantOverview(domain, oneTarget(request)),
      journal: { enabled: domain.journal.limit > 0, limit: domain.journal.limit },
      operator: request.operator,
    }),
  )

  app.delete(
    '/requests',
    {
      schema: {
        tags,
        summary: 'Clear the journal',
        description: "Clears the caller's journal entries.",
        querystring: MerchantQuery,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) => {
      domain.journal.clear(target(request, { all: true }))
      return reply.code(204).send()
    },
  )

  app.get(
    '/callbacks',
    {
      schema: {
        tags,
        summary: 'The callbacks',
        description: "Klarna's callbacks to the caller's URLs: sent, failed and still due (newest first).",
        querystring: MerchantQuery,
        response: { 200: Type.Array(CallbackEntry), ...merchantErrors },
      },
    },
    async (request) =>
      domain.outbox.list(target(request, { all: true })).map((c) => ({
        id: c.id,
        merchant: c.merchant,
        kind: c.kind,
        url: c.url,
        body: c.body,
        due_at: new Date(c.dueAtMs).toISOString(),
        state: c.state,
        attempts: c.attempts,
        last_result: c.lastResult ?? null,
      })),
  )
}

export default named('mock: observe', observe)
