import type { FastifyInstance } from 'fastify'
import { keepRequestBody } from '../domain/journal.js'

/**
 * JSON bodies. An empty body (Klarna's PHP SDK sends `Content-Type: application/json` with no
 * body on DELETE) means "no body". Anything else goes through Fastify's own JSON parser, which
 * keeps its protection against `__proto__` and `constructor` poisoning. Other content types are
 * refused (415 from Fastify, answered as Klarna's 400 BAD_REQUEST by src/http/errors.ts). The
 * journal gets the text as it came, before parsing and validation change anything.
 */
/**
 * `null` is "not given", as Klarna's Jackson reads it: plugins send `"options": null`,
 * `"merchant_data": null`, `"product_url": null` for what they do not have
 * (klarna/sfcc-klarna-payments' request models). Object properties holding null are removed, in
 * place, before validation; the journal keeps the body as it came. Iterative: bodies can be
 * nested thousands deep.
 */
export function dropNulls(value: unknown): void {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item)
      continue
    }
    const record = v as Record<string, unknown>
    for (const key in record) {
      const field = record[key]
      if (field === null) delete record[key]
      else if (typeof field === 'object') stack.push(field)
    }
  }
}

export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    // The journal keeps the body as it came, before anything reads it.
    if (request.journalEntry !== undefined) keepRequestBody(request.journalEntry, text)
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    parseJson(request, text, done)
  })
}
