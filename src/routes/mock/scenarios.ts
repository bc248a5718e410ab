import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ArmRequest, ScenarioListEntry } from '../../schemas/scenario.js'
import { examples, withExample } from '../../schemas/examples.js'
import { errors, tags } from './common.js'

/** GET /_mock/scenarios and POST /_mock/scenarios/arm. */
const scenarios: FastifyPluginAsyncTypebox = async (app) => {
  const d = app.domain

  app.get('/scenarios', {
    schema: { tags, summary: 'List the scenarios', description: 'Every loaded scenario: shipped and from --scenarios folders.', response: { 200: Type.Array(ScenarioListEntry) } }
  }, async () => d.scenarios.summaries())

  app.post('/scenarios/arm', {
    schema: {
      tags,
      summary: 'Arm a scenario',
      description: "Plays the scenario on this merchant's next calls (times, optionally one operation).",
      body: withExample(ArmRequest, examples.arm),
      response: { 200: ArmRequest, ...errors }
    }
  }, async (request) => {
    const { name, times = 1, operation } = request.body
    d.scenarios.arm(request.merchant, name, times, operation)
    return { name, times, ...(operation === undefined ? {} : { operation }) }
  })
}

export default scenarios
