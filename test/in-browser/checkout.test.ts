import t from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import { startShop } from '../../examples/playwright-checkout/shop.mjs'
import { basic, type Tap } from '../helpers/app.js'
import { pageWithMockCdn, type BorrowingTest } from '../helpers/browser.js'
import { listen } from '../helpers/socket.js'

/**
 * The browser pieces in a real headless Chromium (Debian's, driven by playwright-core): a checkout
 * page written for Klarna's SDK (examples/playwright-checkout/shop.mjs), whose only change is that
 * https://x.klarnacdn.net is answered by the mock; and the Hosted Payment Page redirect flow.
 */

const shopUser = 'fruit-shop'
const auth = { authorization: basic(shopUser, 'secret'), 'content-type': 'application/json' }

async function setUp(t: BorrowingTest) {
  const { app, url } = await listen(t)
  const shop = await startShop({ klarna: url })
  t.teardown(shop.close)
  const page = await pageWithMockCdn(t, url)
  return { app, url, shop, page }
}

const dialog = (page: Awaited<ReturnType<typeof setUp>>['page']) =>
  page.frameLocator('iframe[name=klarna-mock-authorize]')

async function openCheckout(page: Awaited<ReturnType<typeof setUp>>['page'], shopUrl: string, query = '') {
  await page.goto(`${shopUrl}/checkout${query}`)
  await page.locator('body[data-loaded=true]').waitFor()
}

t.test("init → load → authorize (approve): the callback's token becomes a customer token", async (t) => {
  const { app, shop, page } = await setUp(t)
  await openCheckout(page, shop.url)
  const widget = page.frameLocator('[data-testid=klarna-mock-widget-frame]')
  await widget.getByText('klarna-mock').waitFor()
  t.match(await widget.locator('h1').textContent(), /Pay later/i, 'the widget shows the category')
  await page.locator('#pay').click()
  t.equal(
    await dialog(page).getByTestId('klarna-mock-email').inputValue(),
    'customer@email.uk',
    'the dialog has the billing e-mail',
  )
  await dialog(page).getByTestId('klarna-mock-approve').click()
  await page.locator('#result', { hasText: 'done' }).waitFor()
  t.equal(await page.locator('[data-testid=klarna-mock-overlay]').count(), 0, 'the dialog closed')
  t.equal(shop.results.length, 1)
  t.equal(shop.results[0]?.status, 200)
  const tokenId = shop.results[0]?.body.token_id as string
  const read = await app.inject({ method: 'GET', url: `/customer-token/v1/tokens/${tokenId}`, headers: auth })
  t.match(
    read.json(),
    { status: 'ACTIVE', payment_method_type: 'INVOICE' },
    "the token is the shop's, on the mock",
  )
  // The session is the shop's: another merchant cannot see it.
  const sid = shop.sessions[0]?.session_id as string
  t.equal(
    (
      await app.inject({
        method: 'GET',
        url: `/payments/v1/sessions/${sid}`,
        headers: { authorization: basic('other-shop', 'x') },
      })
    ).statusCode,
    404,
  )
  t.match(
    (await app.inject({ method: 'GET', url: `/payments/v1/sessions/${sid}`, headers: auth })).json(),
    { billing_address: { email: 'customer@email.uk' } },
    'authorized: the session shows the customer',
  )
})

t.test('decline in the dialog: approved false with the form shown, nothing authorized', async (t) => {
  const { app, shop, page } = await setUp(t)
  await openCheckout(page, shop.url)
  await page.locator('#pay').click()
  await dialog(page).getByTestId('klarna-mock-deny').click()
  await page.locator('#result', { hasText: 'declined' }).waitFor()
  t.equal(await page.locator('#result').textContent(), 'declined')
  t.equal(shop.results.length, 0)
  const sid = shop.sessions[0]?.session_id as string
  t.notOk(
    'billing_address' in
      (await app.inject({ method: 'GET', url: `/payments/v1/sessions/${sid}`, headers: auth })).json(),
    'not authorized',
  )
})

t.test('a denied playground e-mail: approved false, show_form false', async (t) => {
  const { shop, page } = await setUp(t)
  await openCheckout(page, shop.url, '?email=customer%2Bdenied%40email.uk')
  await page.locator('#pay').click()
  await dialog(page).getByTestId('klarna-mock-approve').click()
  await page.locator('#result', { hasText: 'declined' }).waitFor()
  t.equal(await page.locator('#result').textContent(), 'declined (no form)')
  t.equal(shop.results.length, 0)
})

t.test('two-step checkout: authorize with auto_finalize false, then finalize places the order', async (t) => {
  const { app, shop, page } = await setUp(t)
  await openCheckout(page, shop.url, '?intent=buy&two_step=1')
  await page.locator('#pay').click()
  t.equal(await dialog(page).getByTestId('klarna-mock-approve').textContent(), 'Continue')
  await dialog(page).getByTestId('klarna-mock-approve').click()
  await page.locator('#result', { hasText: 'review your order' }).waitFor()
  const sid = shop.sessions[0]?.session_id as string
  t.notOk(
    'billing_address' in
      (await app.inject({ method: 'GET', url: `/payments/v1/sessions/${sid}`, headers: auth })).json(),
    'nothing authorized before finalize',
  )
  await page.locator('#confirm').click()
  await page.locator('#result', { hasText: 'done' }).waitFor()
  t.equal(shop.results[0]?.status, 200)
  t.match(shop.results[0]?.body, { order_id: String, fraud_status: 'ACCEPTED' })
})

t.test(
  'an expired session: the customer approves, the SDK answers approved false without a form',
  async (t) => {
    const { app, shop, page } = await setUp(t)
    await openCheckout(page, shop.url)
    const moved = await app.inject({
      method: 'POST',
      url: '/_mock/clock',
      headers: auth,
      payload: { advance_seconds: 49 * 3600 },
    })
    t.equal(moved.statusCode, 200)
    await page.locator('#pay').click()
    await dialog(page).getByTestId('klarna-mock-approve').click()
    await page.locator('#result', { hasText: 'declined' }).waitFor()
    t.equal(await page.locator('#result').textContent(), 'declined (no form)')
    t.equal(shop.results.length, 0)
  },
)

t.test("the SDK's errors and promises, as Klarna documents them", async (t) => {
  const { shop, page } = await setUp(t)
  await openCheckout(page, shop.url)
  const thrown = await page.evaluate(() => {
    const names: string[] = []
    const K = (
      globalThis as unknown as { Klarna: { Payments: Record<string, (...a: unknown[]) => unknown> } }
    ).Klarna.Payments
    for (const call of [
      () => K.init?.({ client_token: 'not-a-jwt' }),
      () => K.load?.({ container: '#nowhere', payment_method_category: 'pay_later' }),
      () => K.on?.('noSuchEvent', () => undefined),
    ]) {
      try {
        call()
      } catch (e) {
        names.push((e as Error).name)
      }
    }
    return names
  })
  t.same(thrown, ['InvalidClientTokenError', 'InvalidContainerSelectorError', 'EventNotSupportedError'])
  // Without a callback, load() answers with a promise.
  const loaded = await page.evaluate(async () => {
    const K = (globalThis as unknown as { Klarna: { Payments: { load: (o: unknown) => Promise<unknown> } } })
      .Klarna.Payments
    return await K.load({ container: '#klarna-payments-container', payment_method_category: 'pay_later' })
  })
  t.same(loaded, { show_form: true })
})

t.test(
  'a forged client_token is refused by the mock (Klarna-shaped 400), whatever the SDK accepted',
  async (t) => {
    const { app, shop, page } = await setUp(t)
    await openCheckout(page, shop.url)
    const token = shop.sessions[0]?.client_token as string
    const [header, body] = token.split('.') as [string, string]
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...payload, merchant: 'other-shop' })).toString('base64url')}.${token.split('.')[2] ?? ''}`
    const res = await app.inject({
      method: 'POST',
      url: '/_mock/widget/authorize',
      headers: { 'content-type': 'application/json' },
      payload: { client_token: forged },
    })
    t.equal(res.statusCode, 400)
    t.match(res.json(), {
      error_code: 'BAD_REQUEST',
      error_messages: ['Invalid client_token'],
      correlation_id: String,
    })
  },
)

/** The merchant's server for the HPP flow: a success page and the status_update callbacks. */
async function merchantSite(t: Tap) {
  const statuses: string[] = []
  let completed: () => void = () => undefined
  const done = new Promise<void>((resolve) => {
    completed = resolve
  })
  const server = createServer((req: IncomingMessage, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c.toString()
    })
    req.on('end', () => {
      if (req.method === 'POST') {
        const status = (JSON.parse(text) as { session: { status: string } }).session.status
        statuses.push(status)
        if (status === 'COMPLETED' || status === 'CANCELLED') completed()
        res.end()
        return
      }
      res.setHeader('content-type', 'text/html')
      res.end(`<!doctype html><h1 id="page">${req.url ?? ''}</h1>`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(resolve)
      }),
  )
  const address = server.address()
  const port = address !== null && typeof address === 'object' ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, statuses, done }
}

/** An HPP session over a new Payments session, made over the socket (its links name the mock's real address). */
async function hppSession(url: string, site: { url: string }, options: Record<string, unknown> = {}) {
  const post = async (path: string, body: unknown) =>
    (await (
      await fetch(url + path, { method: 'POST', headers: auth, body: JSON.stringify(body) })
    ).json()) as Record<string, string>
  const session = await post('/payments/v1/sessions', {
    purchase_country: 'SE',
    purchase_currency: 'SEK',
    locale: 'sv-SE',
    order_amount: 10000,
    order_tax_amount: 0,
    order_lines: [
      { name: 'Box', quantity: 1, unit_price: 10000, tax_rate: 0, total_amount: 10000, total_tax_amount: 0 },
    ],
  })
  const hpp = await post('/hpp/v1/sessions', {
    payment_session_url: `${url}/payments/v1/sessions/${session.session_id ?? ''}`,
    merchant_urls: {
      success: `${site.url}/success?hpp={{session_id}}&token={{authorization_token}}&order={{order_id}}`,
      cancel: `${site.url}/cancel?hpp={{session_id}}`,
      status_update: `${site.url}/status?hpp={{session_id}}`,
    },
    options,
  })
  return hpp as { session_id: string; redirect_url: string }
}

t.test(
  'HPP: the redirect_url page, approve, the success URL with placeholders filled, status_update callbacks',
  async (t) => {
    const { app, url, page } = await setUp(t)
    const site = await merchantSite(t)
    const hpp = await hppSession(url, site, { place_order_mode: 'PLACE_ORDER' })
    await page.goto(hpp.redirect_url)
    await page.getByTestId('klarna-mock-approve').click()
    await page.waitForURL(`${site.url}/success**`)
    await site.done
    const read = (
      await app.inject({ method: 'GET', url: `/hpp/v1/sessions/${hpp.session_id}`, headers: auth })
    ).json()
    t.match(read, { status: 'COMPLETED', authorization_token: String, order_id: String })
    t.equal(
      new URL(page.url()).search,
      `?hpp=${hpp.session_id}&token=${read.authorization_token as string}&order=${read.order_id as string}`,
    )
    t.same(site.statuses, ['IN_PROGRESS', 'COMPLETED'])
    const order = await app.inject({
      method: 'GET',
      url: `/ordermanagement/v1/orders/${read.order_id as string}`,
      headers: auth,
    })
    t.match(order.json(), { status: 'AUTHORIZED', order_amount: 10000 })
  },
)

t.test("HPP: cancel goes to the cancel URL; a disabled session's page says so", async (t) => {
  const { app, url, page } = await setUp(t)
  const site = await merchantSite(t)
  const hpp = await hppSession(url, site)
  await page.goto(hpp.redirect_url)
  await page.getByTestId('klarna-mock-deny').click()
  await page.waitForURL(`${site.url}/cancel**`)
  t.equal(new URL(page.url()).search, `?hpp=${hpp.session_id}`)
  await site.done
  t.equal(
    (await app.inject({ method: 'GET', url: `/hpp/v1/sessions/${hpp.session_id}`, headers: auth })).json()
      .status,
    'CANCELLED',
  )

  const second = await hppSession(url, site)
  t.equal(
    (
      await app.inject({
        method: 'DELETE',
        url: `/hpp/v1/sessions/${second.session_id}`,
        headers: { authorization: auth.authorization },
      })
    ).statusCode,
    204,
  )
  await page.goto(second.redirect_url)
  t.equal(await page.getByTestId('klarna-mock-status').textContent(), 'DISABLED')
  t.equal(await page.getByTestId('klarna-mock-approve').count(), 0)
})
