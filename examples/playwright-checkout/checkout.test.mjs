// A merchant's browser test of its Klarna checkout, offline: the shop (shop.mjs) is unchanged
// production code; the mock answers for Klarna's API and Klarna's CDN. Run: npx tap examples/
import t from 'tap'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { startMock } from 'klarna-mock'
import { startShop } from './shop.mjs'

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

t.test('a customer pays with Klarna and the shop saves a customer token', async (t) => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  }
  const mock = await startMock()
  t.teardown(mock.close)
  const shop = await startShop({ klarna: mock.url })
  t.teardown(shop.close)
  const browser = await chromium.launch({ executablePath: chromiumPath })
  t.teardown(() => browser.close())
  const page = await browser.newPage()

  // The three lines: Klarna's CDN is answered by the mock.
  await page.route('https://x.klarnacdn.net/**', async (route) => {
    await route.fulfill({
      response: await route.fetch({ url: mock.url + new URL(route.request().url()).pathname }),
    })
  })

  await page.goto(`${shop.url}/checkout`)
  await page.locator('body[data-loaded=true]').waitFor()
  await page.locator('#pay').click()
  await page.frameLocator('iframe[name=klarna-mock-authorize]').getByTestId('klarna-mock-approve').click()
  await page.locator('#result', { hasText: 'done' }).waitFor()

  t.equal(shop.results.length, 1)
  t.equal(shop.results[0].status, 200, 'the authorization token became a customer token')
  t.match(shop.results[0].body, { token_id: String, redirect_url: String })
})
