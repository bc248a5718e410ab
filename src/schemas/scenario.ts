import { Type } from '../typebox.js'
import type { Static } from '@sinclair/typebox'

/** The shape of a scenario file (scenarios/*.yaml|yml|json). Validated with TypeBox at start-up. */

export const ErrorStep = Type.Object(
  {
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    error_code: Type.String({ minLength: 1, pattern: '^[A-Z][A-Z0-9_]*$' }),
    error_messages: Type.Array(Type.String()),
    // A header name is an HTTP token; a value is visible ASCII, spaces and tabs (no CR or LF).
    headers: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9-]+$' }),
        Type.String({ pattern: '^[\\x20-\\x7E\\t]*$' }),
      ),
    ),
    // The fields a failed token charge carries besides the three (Customer Token API ErrorV2, "Recover token
    // charge failure").
    fraud_status: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    authorized_payment_method: Type.Optional(
      Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())]),
    ),
    step_up_id: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    description:
      'A forced Klarna error: {error_code, error_messages, correlation_id} with this status. Messages and fields may name ' +
      '{purchase_country}, {purchase_currency}, {payment_method_category}, {fields} (what the request sent) and {step_up_id}.',
  },
)

export const SuccessStep = Type.Object(
  {
    body: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Merged into the real success body, e.g. {fraud_status: PENDING}.',
    }),
  },
  { additionalProperties: false },
)

export const FaultStep = Type.Union([
  Type.Object(
    { kind: Type.Literal('delay'), ms: Type.Integer({ minimum: 0, maximum: 600000 }) },
    { additionalProperties: false, description: 'Answer normally after ms milliseconds.' },
  ),
  Type.Object(
    { kind: Type.Literal('timeout'), ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600000 })) },
    {
      additionalProperties: false,
      description:
        'No answer; the connection is closed after ms (default 300000) unless the client gives up first.',
    },
  ),
  Type.Object(
    { kind: Type.Literal('drop') },
    { additionalProperties: false, description: 'The connection is dropped without an answer.' },
  ),
])

export const Step = Type.Object(
  {
    error: Type.Optional(ErrorStep),
    success: Type.Optional(SuccessStep),
    fault: Type.Optional(FaultStep),
    pass: Type.Optional(Type.Literal(true, { description: 'Behave normally.' })),
  },
  { additionalProperties: false },
)

export const ScenarioFile = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
    description: Type.String({ minLength: 1 }),
    applies_to: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
    error: Type.Optional(ErrorStep),
    success: Type.Optional(SuccessStep),
    fault: Type.Optional(FaultStep),
    sequence: Type.Optional(Type.Array(Step, { minItems: 1 })),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

export type ErrorStep = Static<typeof ErrorStep>
export type FaultStep = Static<typeof FaultStep>
export type Step = Static<typeof Step>
export type ScenarioFile = Static<typeof ScenarioFile>

export const ScenarioListEntry = Type.Object({
  name: Type.String(),
  description: Type.String(),
  applies_to: Type.Array(Type.String()),
  status: Type.Optional(Type.Integer()),
  error_code: Type.Optional(Type.String()),
})

export const ArmRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  operation: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})
