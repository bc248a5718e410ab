import type { FastifyInstance } from 'fastify'
import { journalRequestBody } from './journal.js'

/**
 * JSON bodies. An empty body (Klarna's PHP SDK sends `Content-Type: application/json` with no
 * body on DELETE) means "no body". Anything else goes through Fastify's own JSON parser, which
 * keeps its protection against `__proto__` and `constructor` poisoning. Other content types are
 * refused (415 from Fastify, answered as Klarna's 400 BAD_REQUEST by src/http/errors.ts). The
 * journal gets the text as it came, before parsing and validation change anything.
 */
export function registerJsonParser (app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    journalRequestBody(request.journalEntry, text)
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    parseJson(request, text, done)
  })
}
