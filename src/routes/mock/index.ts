import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '../../schemas/mock.js'
import { tags } from './common.js'
import observe from './observe.js'
import redirect from './redirect.js'
import scenarios from './scenarios.js'
import state from './state.js'
import ui from './ui.js'
import { named } from '../../http/named.js'

/** The test-control API under /_mock: no Klarna path starts with it. */
const mock: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags,
        security: [],
        summary: 'Health',
        description: 'Answers 200 while the server serves; no credentials.',
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
  await app.register(redirect)

  // Everything else needs the merchant's Basic credentials.
  await app.register(
    named('mock: with credentials', async (guarded) => {
      guarded.addHook('onRequest', guarded.basicAuth)
      await guarded.register(state)
      await guarded.register(scenarios)
      await guarded.register(observe)
      await guarded.register(ui)
    }),
  )
}

export default named('mock', mock)
