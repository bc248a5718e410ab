// Drives @crystallize/node-klarna@4.9.1, unmodified, against the mock. Input: a JSON plan in
// argv[2]; output: one JSON object with what each call resolved to. A step is either
// {name, token, body} (customerTokenV1.order) or {name, call: 'orderManagementV1.captures.capture', args: [...]}.
'use strict'
const { Klarna } = require('@crystallize/node-klarna')
const plan = JSON.parse(process.argv[2])
const klarna = new Klarna({
  username: plan.username,
  password: plan.password,
  apiEndpoint: 'api.playground.klarna.com',
})

async function main() {
  const out = {}
  for (const step of plan.steps) {
    if (step.call === undefined) {
      out[step.name] = await klarna.customerTokenV1.order(step.token, step.body)
      continue
    }
    const path = step.call.split('.')
    const method = path.pop()
    const target = path.reduce((o, key) => o[key], klarna)
    out[step.name] = await target[method](...(step.args || []))
  }
  process.stdout.write(JSON.stringify(out))
}
main().catch((err) => {
  process.stderr.write(String(err && err.stack))
  process.exit(1)
})
