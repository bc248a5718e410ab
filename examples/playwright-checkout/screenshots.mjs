// Screenshots of the widget, the authorize dialog and the hosted payment page, for a person to
// look at (npm run screenshots; written to screenshots/, which git ignores), and of the
// dashboard for the README (docs/dashboard.png, committed).
import { mkdirSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { startMock } from 'klarna-mock'
import { startShop } from './shop.mjs'

const out = new URL('../../screenshots/', import.meta.url).pathname
mkdirSync(out, { recursive: true })
const mock = await startMock()
const shop = await startShop({ klarna: mock.url })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } })
  await page.route('https://x.klarnacdn.net/**', async (route) => {
    await route.fulfill({
      response: await route.fetch({ url: mock.url + new URL(route.request().url()).pathname }),
    })
  })
  await page.goto(`${shop.url}/checkout`)
  await page.locator('body[data-loaded=true]').waitFor()
  await page.screenshot({ path: `${out}widget.png` })
  await page.locator('#pay').click()
  await page.frameLocator('iframe[name=klarna-mock-authorize]').getByTestId('klarna-mock-approve').waitFor()
  await page.screenshot({ path: `${out}dialog.png` })
  const auth = {
    authorization: `Basic ${Buffer.from('fruit-shop:secret').toString('base64')}`,
    'content-type': 'application/json',
  }
  const sid = shop.sessions[0].session_id
  const hpp = await (
    await fetch(`${mock.url}/hpp/v1/sessions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ payment_session_url: `${mock.url}/payments/v1/sessions/${sid}` }),
    })
  ).json()
  await page.goto(hpp.redirect_url)
  await page.screenshot({ path: `${out}hosted-page.png` })
  // The dashboard, with a little of everything in it.
  const post = (path, body) =>
    fetch(mock.url + path, { method: 'POST', headers: auth, body: JSON.stringify(body) }).then((r) =>
      r.json(),
    )
  const made = await post('/_mock/authorizations', { purchase_country: 'GB', intent: 'tokenize' })
  const token = await post(`/payments/v1/authorizations/${made.authorization_token}/customer-token`, {
    purchase_country: 'GB',
    purchase_currency: 'GBP',
    locale: 'en-GB',
    description: 'Fruit box, monthly',
    intended_use: 'SUBSCRIPTION',
  })
  await post(`/customer-token/v1/tokens/${token.token_id}/order`, {
    purchase_currency: 'GBP',
    order_amount: 2500,
    order_tax_amount: 500,
    order_lines: [
      {
        name: 'Fruit box',
        quantity: 1,
        unit_price: 2500,
        tax_rate: 2500,
        total_amount: 2500,
        total_tax_amount: 500,
      },
    ],
  })
  await post('/_mock/authorizations', { purchase_country: 'GB' })
  const dash = await browser.newContext({
    httpCredentials: { username: 'fruit-shop', password: 'secret' },
    viewport: { width: 1280, height: 800 },
  })
  const ui = await dash.newPage()
  await ui.goto(`${mock.url}/_mock/ui`)
  await ui.getByTestId('token-row').waitFor()
  await ui.screenshot({ path: new URL('../../docs/dashboard.png', import.meta.url).pathname })
  await dash.close()
  console.log(`screenshots in ${out}, and docs/dashboard.png`)
} finally {
  await browser.close()
  await shop.close()
  await mock.close()
}
