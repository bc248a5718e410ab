import { Type } from '../typebox.js'

/** A string enum accepted in any letter case (Klarna's docs and SDKs disagree on case). */
export function CaseInsensitiveEnum(values: readonly string[], description?: string) {
  const alt = values.map((v) =>
    [...v]
      .map((ch) =>
        /[a-z]/i.test(ch)
          ? `[${ch.toUpperCase()}${ch.toLowerCase()}]`
          : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join(''),
  )
  return Type.String({
    pattern: `^(?:${alt.join('|')})$`,
    description: description ?? `One of ${values.join(', ')}, in any letter case.`,
  })
}

export const Country = Type.String({
  pattern: '^[A-Za-z]{2,2}$',
  description: 'ISO 3166 alpha-2 country (any case).',
  examples: ['GB'],
})
export const Currency = Type.String({
  pattern: '^[A-Za-z]{3,3}$',
  description: 'ISO 4217 currency (any case).',
  examples: ['GBP'],
})
export const Locale = Type.String({
  pattern: '^[A-Za-z]{2,2}(?:-[A-Za-z]{2,2})*$',
  description: 'RFC 1766 locale (any case).',
  examples: ['en-GB'],
})

export const KlarnaErrorBody = Type.Object(
  {
    error_code: Type.String(),
    error_messages: Type.Array(Type.String()),
    correlation_id: Type.String(),
  },
  { $id: 'ErrorV2', description: "Klarna's error body." },
)

/** The error answers a route documents, each in Klarna's shape: a merchant's call (Basic auth). */
export const merchantErrors = {
  400: KlarnaErrorBody,
  401: KlarnaErrorBody,
  403: KlarnaErrorBody,
  404: KlarnaErrorBody,
}
/** A merchant's call that may also conflict with the state it acts on. */
export const merchantErrorsWithConflict = { ...merchantErrors, 409: KlarnaErrorBody }
/** A page or call of the browser's, without credentials: no 401 or 403. */
export const browserErrors = { 400: KlarnaErrorBody, 404: KlarnaErrorBody }
/** A success without a body. */
export const noContent = { 204: { type: 'null' } } as const
export const created = { 201: { type: 'null' } } as const
