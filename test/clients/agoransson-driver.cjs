// Drives @agoransson/klarna-payments@1.0.15, unmodified, against the mock. Its base URL is fixed
// to Klarna's hosts, so an interceptor on the axios instance the library itself uses rewrites
// the origin to MOCK_URL. isLive: true, because otherwise it logs every response body.
'use strict'
const path = require('node:path')
const libDir = path.dirname(require.resolve('@agoransson/klarna-payments'))
const axios = require(require.resolve('axios', { paths: [libDir] }))
const { Payments } = require('@agoransson/klarna-payments')

axios.interceptors.request.use((config) => {
  config.url = config.url.replace(
    /^https:\/\/api(-na|-oc)?(\.playground)?\.klarna\.com/,
    process.env.MOCK_URL,
  )
  return config
})

const plan = JSON.parse(process.argv[2])
const payments = new Payments({
  config: { isLive: true, region: 0 /* Region.EU */, username: plan.username, password: plan.password },
})
const api = payments.v100

async function attempt(fn) {
  try {
    const value = await fn()
    return { ok: true, value: value === undefined ? null : value }
  } catch (err) {
    return { ok: false, error: err.constructor.name, message: err.message }
  }
}

async function main() {
  const out = {}
  const ids = {}
  const fill = (s) => s.replace(/\$\{(\w+)\}/g, (_, k) => ids[k])
  for (const step of plan.steps) {
    const args = (step.args || []).map((a) => (typeof a === 'string' ? fill(a) : a))
    const [group, method] = step.call.split('.')
    out[step.name] = await attempt(() => api[group][method](...args))
    if (step.save && out[step.name].ok) ids[step.save[0]] = out[step.name].value[step.save[1]]
  }
  process.stdout.write(JSON.stringify(out))
}
main().catch((err) => {
  process.stderr.write(String(err && err.stack))
  process.exit(1)
})
