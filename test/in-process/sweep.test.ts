import t from 'tap'
import { sweepExpired } from '../../dist/domain/context.js'
import { advance, build, call, createCustomerToken, mint } from '../helpers/app.js'
import { seTokenOrder } from '../helpers/data.js'

t.test('expired sessions, authorizations and idempotency keys are forgotten; tokens stay', async (t) => {
  const app = await build(t)
  const live = await mint(app)
  const used = await mint(app)
  const token = (await createCustomerToken(app, used.authorization_token)).json().token_id as string
  await call(app, 'POST', `/customer-token/v1/tokens/${token}/order`, seTokenOrder(), {
    headers: { 'klarna-idempotency-key': 'k1' },
  })
  const state = app.domain.store.merchant('merchant-a')
  t.equal(sweepExpired(app.domain), 0, 'nothing expired yet')
  state.clock.advance(3601) // directly: a request would trigger the app's own sweep
  t.equal(sweepExpired(app.domain), 2, 'the two authorizations')
  t.equal(state.authorizations.size, 0)
  t.equal(state.sessions.size, 2, 'sessions live 48 hours')
  state.clock.advance(48 * 3600)
  t.equal(sweepExpired(app.domain), 3, 'the two sessions and the idempotency key')
  t.equal(state.tokens.size, 1, 'the customer token is kept')
  t.equal((await call(app, 'GET', `/customer-token/v1/tokens/${token}`)).json().status, 'ACTIVE')
  t.equal((await createCustomerToken(app, live.authorization_token)).statusCode, 404)
})

t.test('the app sweeps by itself as (virtual) time passes', async (t) => {
  const app = await build(t)
  await mint(app)
  await advance(app, 49 * 3600 + 3601)
  await call(app, 'GET', '/_mock/clock')
  t.equal(app.domain.store.merchant('merchant-a').sessions.size, 0)
})
