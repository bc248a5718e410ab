import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { errors } from '../domain/errors.js'
import { stickyScenario } from '../domain/authorizations.js'
import type { Scenario } from '../domain/scenario-files.js'
import { requestTemplate } from '../domain/scenarios.js'
import type { ErrorStep, FaultStep } from '../schemas/scenario.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the scenario this request played, for the response header and the journal. */
    scenarioApplied?: string
    /** A success variant's patch, merged into the success body on send. */
    scenarioPatch?: Record<string, unknown>
    /** A forced error, thrown once the body is parsed (its messages can quote the request). */
    scenarioError?: ErrorStep
  }
}

export const SCENARIO_HEADER = 'klarna-mock-scenario'
export const APPLIED_HEADER = 'Klarna-Mock-Scenario-Applied'

/** Every value of a header, one per line it was sent on (Node joins repeated custom headers with commas). */
function headerValues(request: FastifyRequest, name: string): string[] {
  // Most requests have none: Node builds headersDistinct (every header) only when it is read.
  if (request.headers[name] === undefined) return []
  // inject() requests have no headersDistinct.
  const distinct = (request.raw.headersDistinct as Record<string, string[]> | undefined)?.[name]
  if (distinct !== undefined) return distinct
  const value = request.headers[name]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function pick(app: FastifyInstance, request: FastifyRequest, operation: string): Scenario | undefined {
  const scenarios = app.domain.scenarios
  const headers = headerValues(request, SCENARIO_HEADER)
  if (headers.length > 1) {
    throw errors.mockBadRequest({
      message: `Send one Klarna-Mock-Scenario header; got ${headers.length}: ${headers.join(', ')}`,
    })
  }
  const name = headers[0]?.trim()
  if (name !== undefined && name !== '') return scenarios.resolve(name, operation)
  const armed = scenarios.takeArmed(request.merchant, operation)
  if (armed !== undefined) return armed
  const token = (request.params as Record<string, string> | undefined)?.authorizationToken
  const sticky = token === undefined ? undefined : stickyScenario(app.domain, request.merchant, token)
  if (sticky === undefined) return undefined
  const scenario = scenarios.get(sticky)
  return scenario.appliesTo.includes(operation) ? scenario : undefined
}

/**
 * Runs after auth on every Klarna route: picks a scenario (header, then armed, then sticky to the
 * authorization token) and plays its step. A forced error is thrown before any handler runs, so
 * it changes no state.
 */
export function scenarioHooks(app: FastifyInstance): void {
  const held = new Set<import('node:net').Socket>()
  app.addHook('preClose', async () => {
    for (const socket of held) socket.destroy()
  })
  // Callback-style: most requests have no scenario and pay no promise. A fault returns the promise
  // of its own playing instead of calling done (Fastify waits for either).
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const operation = request.operation
    if (operation === undefined) return done()
    const scenario = pick(app, request, operation)
    if (scenario === undefined) return done()
    const step = app.domain.scenarios.nextStep(request.merchant, scenario)
    if (step === undefined || step.pass === true) return done()
    if (step.success !== undefined) {
      request.scenarioPatch = step.success.body
      request.scenarioApplied = scenario.name
      return done()
    }
    request.scenarioApplied = scenario.name
    reply.header(APPLIED_HEADER, scenario.name)
    if (step.error !== undefined) {
      request.scenarioError = step.error
      return done()
    }
    return playFault(request, reply, scenario.name, step.fault)
  })

  async function playFault(
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    fault: FaultStep | undefined,
  ): Promise<FastifyReply | undefined> {
    if (fault?.kind === 'delay') {
      await sleep(fault.ms)
      return
    }
    const socket = request.raw.socket
    if (request.journalEntry !== undefined) {
      Object.assign(request.journalEntry, {
        merchant: request.merchant,
        scenario: name,
        fault: fault?.kind ?? null,
      })
    }
    request.log.info({ scenario: name, fault: fault?.kind }, 'scenario fault')
    reply.hijack()
    if (fault?.kind === 'drop') {
      socket.destroy()
      return reply
    }
    held.add(socket)
    const timer = setTimeout(() => socket.destroy(), fault?.ms ?? 300000)
    socket.once('close', () => {
      clearTimeout(timer)
      held.delete(socket)
    })
    return reply
  }

  // A forced error plays once the body is parsed and before validation and the handler: it
  // changes no state, and its messages are filled from the request (src/domain/scenarios.ts).
  app.addHook(
    'preValidation',
    (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
      const e = request.scenarioError
      if (e === undefined) return done()
      const template = requestTemplate(
        app.domain,
        request.merchant,
        (request.params ?? {}) as Record<string, string>,
        request.body,
      )
      const { status, error_code: code, error_messages: texts, headers, ...extra } = e
      done(errors.forced(status, code, texts.map(template.text), headers ?? {}, template.fields(extra)))
    },
  )

  // Order calls place the order as the variant says (the domain applies the patch, so an
  // idempotent replay answers the same); for any other call the patch is merged on the way out.
  app.addHook('onSend', (request, reply, payload, done) => {
    const patch = request.scenarioPatch
    if (patch === undefined || reply.statusCode >= 300 || typeof payload !== 'string') {
      return done(null, payload)
    }
    reply.raw.setHeader(APPLIED_HEADER, request.scenarioApplied ?? '')
    done(null, JSON.stringify({ ...(JSON.parse(payload) as Record<string, unknown>), ...patch }))
  })
}
