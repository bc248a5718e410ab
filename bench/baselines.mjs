// Baselines for bench/run.mjs: the same answers the mock gives, from raw node:http and from a bare
// Fastify 5 route (JSON body parsed, the same JSON answered with a Klarna-Correlation-Id), so that the
// mock's figures are ratios of one run and the difference is the mock's own work, not the bytes.
// Usage: node bench/baselines.mjs raw|fastify PORT
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import Fastify from 'fastify'

const kind = process.argv[2]
const port = Number(process.argv[3] ?? 0)
// A customer-token answer of the mock, the same size (500 bytes: its link in the form of 2026-11-29).
const answer = JSON.stringify({
  token_id: '7285ff90-84c0-4113-a8a0-e8fa1d22e756',
  redirect_url:
    'http://127.0.0.1:45450/_mock/redirect?s=8e4d88d8-cae9-4b4c-8a91-19b7af52c434&w=customer%20token%20created' +
    '&tag=Ao_aWGSL60LrDRgiH6ZJqe37fRQUKY8HdQRrhL12Rew',
  payment_method_reference: '62100cc4-dd99-4b2c-959e-ee2341a59a71',
  billing_address: {
    city: 'Ankeborg',
    country: 'SE',
    email: 'customer@email.se',
    family_name: 'Approved',
    given_name: 'Testperson-se',
    phone: '+46765260000',
    postal_code: '12345',
    street_address: 'Stårgatan 1',
  },
})
const read = JSON.stringify({ status: 'ACTIVE', payment_method_type: 'INVOICE' })

if (kind === 'raw') {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      if (req.method === 'POST' && body !== '') JSON.parse(body)
      res.writeHead(200, { 'Content-Type': 'application/json', 'Klarna-Correlation-Id': randomUUID() })
      res.end(req.method === 'POST' ? answer : read)
    })
  })
  server.listen(port, '127.0.0.1')
} else {
  const app = Fastify({ logger: false, genReqId: () => randomUUID() })
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('Klarna-Correlation-Id', request.id)
    done(null, payload)
  })
  app.get('/_mock/health', async () => ({ status: 'ok' }))
  app.get('/customer-token/v1/tokens/:token', async () => read)
  app.post('/payments/v1/authorizations/:token/customer-token', async (request, reply) =>
    reply.type('application/json').send(answer),
  )
  await app.listen({ port, host: '127.0.0.1' })
}
