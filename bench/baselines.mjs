// Baselines for bench/run.mjs: the same customer-token answer from raw node:http and from a bare
// Fastify 5 route (JSON body parsed, JSON answered), so the mock's figures are ratios of one run.
// Usage: node bench/baselines.mjs raw|fastify PORT
import { createServer } from 'node:http'
import Fastify from 'fastify'

const kind = process.argv[2]
const port = Number(process.argv[3] ?? 0)
const answer = JSON.stringify({
  token_id: 'b0ec4b9b-2d2c-4d8a-9a1c-0b3d2d8f6f4a',
  redirect_url: 'http://127.0.0.1/_mock/redirect?link=x',
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
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(req.method === 'POST' ? answer : read)
    })
  })
  server.listen(port, '127.0.0.1')
} else {
  const app = Fastify({ logger: false })
  app.get('/_mock/health', async () => ({ status: 'ok' }))
  app.get('/customer-token/v1/tokens/:token', async () => read)
  app.post('/payments/v1/authorizations/:token/customer-token', async (request, reply) =>
    reply.type('application/json').send(answer),
  )
  await app.listen({ port, host: '127.0.0.1' })
}
