// A tiny merchant checkout, written for Klarna's real Payments SDK: the server creates a payment
// session, the page loads the SDK from Klarna's CDN, and the authorization token the SDK calls
// back with is turned into a customer token (a subscription) or an order on the server.
// Only KLARNA_BASE_URL says where "Klarna" is: https://api.playground.klarna.com or the mock.
import { createServer } from 'node:http'

const cart = {
  purchase_country: 'GB',
  purchase_currency: 'GBP',
  locale: 'en-GB',
  order_amount: 2500,
  order_tax_amount: 500,
  order_lines: [
    {
      type: 'physical',
      reference: 'fruit-box',
      name: 'Fruit box',
      quantity: 1,
      unit_price: 2500,
      tax_rate: 2500,
      total_amount: 2500,
      total_tax_amount: 500,
    },
  ],
}

const customer = {
  given_name: 'Test',
  family_name: 'Person-uk',
  email: 'customer@email.uk',
  street_address: '10 New Burlington Street',
  postal_code: 'W1S 3BE',
  city: 'London',
  country: 'GB',
}

function checkoutPage(clientToken, { email, twoStep }) {
  const billing = { ...customer, email }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Fruit box checkout</title></head><body>
<h1>Fruit box, monthly</h1>
<div id="klarna-payments-container"></div>
<button id="pay">Pay with Klarna</button>
<p id="result"></p>
<script>
  var options = { payment_method_category: 'pay_later' }
  var data = { billing_address: ${JSON.stringify(billing)} }
  function show (text) { document.getElementById('result').textContent = text }
  function complete (res) {
    if (!res.approved) { show('declined' + (res.show_form ? '' : ' (no form)')); return }
    fetch('/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorization_token: res.authorization_token }) })
      .then(function (r) { return r.json() }).then(function (done) { show('done: ' + JSON.stringify(done)) })
  }
  window.klarnaAsyncCallback = function () {
    Klarna.Payments.init({ client_token: ${JSON.stringify(clientToken)} })
    Klarna.Payments.load({ container: '#klarna-payments-container', payment_method_category: 'pay_later' }, {}, function (res) {
      document.body.setAttribute('data-loaded', String(res.show_form))
    })
  }
  document.getElementById('pay').addEventListener('click', function () {
    Klarna.Payments.authorize(Object.assign({ auto_finalize: ${twoStep ? 'false' : 'true'} }, options), data, function (res) {
      if (res.finalize_required) {
        show('review your order')
        var confirm = document.createElement('button'); confirm.id = 'confirm'; confirm.textContent = 'Confirm order'
        confirm.addEventListener('click', function () { Klarna.Payments.finalize(options, {}, complete) })
        document.body.appendChild(confirm)
        return
      }
      complete(res)
    })
  })
</script>
<script src="https://x.klarnacdn.net/kp/lib/v1/api.js" async></script>
</body></html>`
}

/**
 * Starts the shop on 127.0.0.1. GET /checkout?intent=tokenize|buy&email=…&two_step=1 opens a
 * checkout; POST /complete turns the authorization token into a customer token (tokenize) or an
 * order (buy). `results` holds what Klarna answered.
 */
export async function startShop({ klarna, username = 'fruit-shop', password = 'secret' }) {
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const api = async (method, path, body) => {
    const res = await fetch(klarna + path, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  const sessions = []
  const results = []
  let intent = 'tokenize'
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://shop')
    let raw = ''
    req.on('data', (chunk) => {
      raw += chunk
    })
    req.on('end', async () => {
      if (req.method === 'GET' && url.pathname === '/checkout') {
        intent = url.searchParams.get('intent') ?? 'tokenize'
        const session = await api('POST', '/payments/v1/sessions', { ...cart, intent })
        sessions.push(session.body)
        res.setHeader('content-type', 'text/html; charset=utf-8')
        res.end(
          checkoutPage(session.body.client_token, {
            email: url.searchParams.get('email') ?? customer.email,
            twoStep: url.searchParams.get('two_step') === '1',
          }),
        )
      } else if (req.method === 'POST' && url.pathname === '/complete') {
        const token = JSON.parse(raw).authorization_token
        const done =
          intent === 'tokenize'
            ? await api('POST', `/payments/v1/authorizations/${token}/customer-token`, {
                purchase_country: 'GB',
                purchase_currency: 'GBP',
                locale: 'en-GB',
                description: 'Fruit box, monthly',
                intended_use: 'SUBSCRIPTION',
                billing_address: customer,
              })
            : await api('POST', `/payments/v1/authorizations/${token}/order`, {
                ...cart,
                billing_address: customer,
              })
        results.push(done)
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ status: done.status }))
      } else {
        res.statusCode = 404
        res.end()
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    sessions,
    results,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(resolve)
      }),
  }
}
