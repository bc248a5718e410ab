import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ArmRequest, ScenarioListEntry } from '../../schemas/scenario.js'
import { errors, tags } from './common.js'

/** GET /_mock/scenarios and POST /_mock/scenarios/arm. */
const scenarios: FastifyPluginAsyncTypebox = async (app) => {
  const d = app.domain

  app.get('/scenarios', {
    schema: { tags, description: 'Every loaded scenario.', response: { 200: Type.Array(ScenarioListEntry) } }
  }, async () => d.scenarios.summaries())

  app.post('/scenarios/arm', {
    schema: { tags, description: "Arms a scenario for this merchant's next calls.", body: ArmRequest, response: { 200: ArmRequest, ...errors } }
  }, async (request) => {
    const { name, times = 1, operation } = request.body
    d.scenarios.arm(request.merchant, name, times, operation)
    return { name, times, ...(operation === undefined ? {} : { operation }) }
  })
}

export default scenarios
