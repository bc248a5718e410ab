import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '../../typebox.js'
import { errors } from '../../domain/errors.js'
import { ArmRequest, ScenarioListEntry } from '../../schemas/scenario.js'
import { examples, withExample } from '../../schemas/examples.js'
import { merchantErrors, noContent } from '../../schemas/common.js'
import { MerchantQuery, oneTarget, tags } from './common.js'
import { named } from '../../http/named.js'

const ArmedEntry = Type.Object({
  name: Type.String(),
  remaining: Type.Integer(),
  operation: Type.Optional(Type.String()),
})

/** The scenario catalogue, and what a merchant has armed: list, arm, clear. */
const scenarios: FastifyPluginAsyncTypebox = async (app) => {
  const domain = app.domain

  app.get(
    '/scenarios',
    {
      schema: {
        tags,
        summary: 'List the scenarios',
        description: 'Every loaded scenario: shipped and from --scenarios folders.',
        response: { 200: Type.Array(ScenarioListEntry) },
      },
    },
    async () => domain.scenarios.summaries(),
  )

  app.post(
    '/scenarios/arm',
    {
      schema: {
        tags,
        summary: 'Arm a scenario',
        description: "Plays the scenario on this merchant's next calls (times, optionally one operation).",
        querystring: MerchantQuery,
        body: withExample(ArmRequest, examples.arm),
        response: { 200: ArmRequest, ...merchantErrors },
      },
    },
    async (request) => {
      const { name, times = 1, operation } = request.body
      domain.scenarios.arm(oneTarget(request), name, times, operation)
      return { name, times, ...(operation === undefined ? {} : { operation }) }
    },
  )

  app.get(
    '/scenarios/arm',
    {
      schema: {
        tags,
        summary: 'List the armed scenarios',
        description: 'What is armed for this merchant, in the order it will play, with the uses left.',
        querystring: MerchantQuery,
        response: { 200: Type.Array(ArmedEntry), ...merchantErrors },
      },
    },
    async (request) => domain.scenarios.armed(oneTarget(request)),
  )

  app.delete(
    '/scenarios/arm',
    {
      schema: {
        tags,
        summary: 'Disarm every scenario',
        description: 'Clears everything armed for this merchant.',
        querystring: MerchantQuery,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) => {
      domain.scenarios.disarm(oneTarget(request))
      return reply.code(204).send()
    },
  )

  app.delete(
    '/scenarios/arm/:name',
    {
      schema: {
        tags,
        summary: 'Disarm one scenario',
        description: "Clears this merchant's arms of the named scenario; 404 if none was armed.",
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: MerchantQuery,
        response: { ...noContent, ...merchantErrors },
      },
    },
    async (request, reply) => {
      if (domain.scenarios.disarm(oneTarget(request), request.params.name) === 0) {
        throw errors.scenarioNotArmed({ name: request.params.name })
      }
      return reply.code(204).send()
    },
  )
}

export default named('mock: scenarios', scenarios)
