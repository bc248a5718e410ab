import t from 'tap'
import type { ConsoleMessage, Page } from 'playwright-core'
import { defaultOrderLines } from '../../dist/domain/mint.js'
import { basic, tokenRequest } from '../helpers/app.js'
import { borrowPage, launch, type BorrowingTest } from '../helpers/browser.js'
import { listen } from '../helpers/socket.js'
import { seTokenOrder } from '../helpers/data.js'

/**
 * The dashboard (/_mock/ui) in a real headless Chromium: what a person sees and does there,
 * checked against what the API then answers.
 */

/**
 * The page's document, in functions run in the browser (this project's TypeScript has no DOM types; spelled
 * out inline, as such functions are sent as source).
 */
interface Doc {
  querySelectorAll: (s: string) => { length: number }
  querySelector: (s: string) => { textContent: string | null } | null
  documentElement: { scrollWidth: number; clientWidth: number }
}

const user = 'qa-shop'
const json = { authorization: basic(user, 'pw'), 'content-type': 'application/json' }

async function openDashboard(
  t: BorrowingTest,
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; problems: string[] }> {
  const page = await borrowPage(t, { httpCredentials: { username: user, password: 'pw' } })
  await page.setViewportSize(viewport)
  const problems: string[] = []
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  }
  const onPageError = (e: Error) => {
    problems.push(`pageerror: ${e.message}`)
  }
  page.on('console', onConsole)
  page.on('pageerror', onPageError)
  t.teardown(() => {
    page.off('console', onConsole)
    page.off('pageerror', onPageError)
  })
  await page.goto(`${url}/_mock/ui`)
  await page
    .getByTestId('clock')
    .filter({ hasText: /^\d{4}-/ })
    .waitFor()
  return { page, problems }
}

t.test('a customer-token flow followed and driven from the dashboard', async (t) => {
  const { url } = await listen(t)
  const post = async (path: string, body: unknown) =>
    await fetch(url + path, { method: 'POST', headers: json, body: JSON.stringify(body) })

  const minted = (await (await post('/_mock/authorizations', { purchase_country: 'SE' })).json()) as {
    authorization_token: string
  }
  const second = (await (await post('/_mock/authorizations', { purchase_country: 'SE' })).json()) as {
    authorization_token: string
  }
  const token = (await (
    await post(
      `/payments/v1/authorizations/${minted.authorization_token}/customer-token`,
      tokenRequest({ description: 'Coffee, monthly' }),
    )
  ).json()) as { token_id: string }
  const { page, problems } = await openDashboard(t, url)

  // Authorizations: the consumed one, and the fresh one counting down from 60 minutes.
  const fresh = page.locator(`[data-testid=authorization-row][data-token="${second.authorization_token}"]`)
  await fresh.waitFor()
  t.equal(await fresh.getByTestId('authorization-state').textContent(), 'valid')
  t.match(await fresh.getByTestId('authorization-countdown').textContent(), /^(60:00|59:\d\d) left$/)
  t.equal(
    await page
      .locator(
        `[data-testid=authorization-row][data-token="${minted.authorization_token}"] [data-testid=authorization-state]`,
      )
      .textContent(),
    'consumed',
  )
  // Tokens: active, with its payment method.
  const row = page.locator(`[data-testid=token-row][data-token="${token.token_id}"]`)
  t.equal(await row.getByTestId('token-status').textContent(), 'ACTIVE')
  t.match(await row.textContent(), 'INVOICE')

  // The clock, by keyboard: +1 hour. The fresh authorization shows expired.
  await page.getByTestId('advance-1h').focus()
  await page.keyboard.press('Enter')
  await fresh.getByTestId('authorization-state').filter({ hasText: 'expired' }).waitFor()
  t.equal(
    await fresh.getByTestId('authorization-state').textContent(),
    'expired',
    'the countdown reached expired',
  )
  const api = await post(
    `/payments/v1/authorizations/${second.authorization_token}/customer-token`,
    tokenRequest({ description: 'x' }),
  )
  t.equal(api.status, 404, 'and the API agrees')

  // A scenario armed from the page, triggered by the API, seen in the journal.
  await page.getByTestId('arm-token-suspended').click()
  await page.locator('[data-testid=armed-row]', { hasText: 'token-suspended' }).waitFor()
  const charged = await post(`/customer-token/v1/tokens/${token.token_id}/order`, seTokenOrder())
  t.equal(charged.status, 403)
  await page.getByTestId('armed-empty').waitFor()
  await page.getByTestId('filter-status').fill('403')
  const entry = page.locator('[data-testid=request-row]', { hasText: 'token-suspended' })
  await entry.waitFor()
  await entry.locator('summary').click()
  t.match(await entry.getByTestId('response-body').textContent(), 'TOKEN_SUSPENDED')
  // Filter by correlation id: the one entry.
  const cid = charged.headers.get('klarna-correlation-id') ?? ''
  await page.getByTestId('filter-status').fill('')
  await page.getByTestId('filter-cid').fill(cid)
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: Doc }).document.querySelectorAll('[data-testid=request-row]')
        .length === 1,
  )
  t.match(await page.locator('[data-testid=request-row]').textContent(), cid, 'the one entry')

  // Cancel the token from the page: the API refuses the next charge.
  await row.getByTestId('token-cancelled').click()
  await row.getByTestId('token-status').filter({ hasText: 'CANCELLED' }).waitFor()
  const refused = await post(`/customer-token/v1/tokens/${token.token_id}/order`, seTokenOrder())
  t.equal(refused.status, 403)
  t.match(await refused.json(), { error_code: 'TOKEN_CANCELLED' })

  // Custom advance: a day, by the number field.
  const before = Date.parse((await page.getByTestId('clock').textContent()) ?? '')
  await page.getByTestId('advance-custom').fill('86400')
  await page.getByTestId('advance-go').click()
  await page.waitForFunction(
    (b) =>
      Date.parse(
        (globalThis as unknown as { document: Doc }).document.querySelector('[data-testid=clock]')
          ?.textContent ?? '',
      ) >=
      b + 86_400_000,
    before,
  )
  t.same(problems, [], 'no console errors')
})

t.test(
  "only the merchant's own objects; the operator may switch; a narrow window; the journal off",
  async (t) => {
    const { url } = await listen(t, { admin: { username: 'ops', password: 'ops-pw' }, journalLimit: 0 })
    const browser = await launch(t)
    await fetch(`${url}/_mock/authorizations`, {
      method: 'POST',
      headers: { ...json, authorization: basic('someone-else', 'pw') },
      body: '{}',
    })
    const { page, problems } = await openDashboard(t, url, { width: 390, height: 800 })
    await page.getByTestId('authorizations-empty').waitFor()
    t.equal(await page.getByTestId('journal-off').isVisible(), true, 'says the journal is off')
    const overflow = await page.evaluate(
      () =>
        (globalThis as unknown as { document: Doc }).document.documentElement.scrollWidth -
        (globalThis as unknown as { document: Doc }).document.documentElement.clientWidth,
    )
    t.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow})`)
    // Naming another merchant is refused to a merchant.
    await page.getByTestId('merchant').fill('someone-else')
    await page.getByTestId('merchant').press('Enter')
    await page.locator('#status').filter({ hasText: /.+/ }).waitFor()
    t.equal(
      await page.locator('#status').textContent(),
      'Only the operator can act on another merchant (see --admin-credentials)',
    )
    t.equal(await page.locator('[data-testid=authorization-row]').count(), 0)

    const ops = await browser.newContext({ httpCredentials: { username: 'ops', password: 'ops-pw' } })
    t.teardown(async () => {
      await ops.close()
    })
    const opsPage = await ops.newPage()
    // The operator types a merchant while the page's first load is on its way: that first answer
    // (the operator's own objects) is held until the name is typed, so that it arrives in between.
    let typed = (): void => undefined
    const held = new Promise<void>((resolve) => {
      typed = resolve
    })
    let first = true
    await opsPage.route('**/_mock/objects*', async (route) => {
      if (first) {
        first = false
        await held
      }
      await route.continue()
    })
    await opsPage.goto(`${url}/_mock/ui`, { waitUntil: 'domcontentloaded' })
    await opsPage.getByTestId('merchant').fill('someone-else')
    typed()
    await opsPage
      .locator('#now')
      .filter({ hasText: /\d{4}-/ })
      .waitFor()
    t.equal(
      await opsPage.getByTestId('merchant').inputValue(),
      'someone-else',
      'the first load kept the name typed',
    )
    await opsPage.getByTestId('merchant').press('Enter')
    await opsPage.locator('[data-testid=authorization-row]').first().waitFor()
    t.equal(
      await opsPage.locator('[data-testid=authorization-row]').count(),
      1,
      'the operator sees that merchant',
    )
    t.same(
      problems.filter((p) => !p.includes('403')),
      [],
      'no console errors but the refused switch',
    )
  },
)

t.test('the dashboard needs credentials', async (t) => {
  const { url } = await listen(t)
  const res = await fetch(`${url}/_mock/ui`)
  t.equal(res.status, 401)
  t.match(res.headers.get('www-authenticate'), /^Basic/)
})

t.test("GET /_mock/objects: the merchant's objects with their state, nobody else's", async (t) => {
  const { app } = await listen(t)
  const inject = async (method: 'GET' | 'POST', url: string, body?: unknown, who = user) =>
    await app.inject({
      method,
      url,
      headers: { authorization: basic(who, 'pw'), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  const minted = (
    await inject('POST', '/_mock/authorizations', { purchase_country: 'SE', intent: 'buy' })
  ).json() as { authorization_token: string; session_id: string }
  const order = (
    await inject('POST', `/payments/v1/authorizations/${minted.authorization_token}/order`, {
      purchase_country: 'SE',
      purchase_currency: 'SEK',
      locale: 'sv-SE',
      order_amount: 10000,
      order_tax_amount: 0,
      // The cart the mint authorized.
      order_lines: defaultOrderLines,
    })
  ).json() as { order_id: string }
  t.ok(order.order_id, 'order placed')
  await inject('POST', `/ordermanagement/v1/orders/${order.order_id}/captures`, { captured_amount: 4000 })
  const second = (await inject('POST', '/_mock/authorizations', { purchase_country: 'SE' })).json() as {
    session_id: string
  }
  const hpp = await inject('POST', '/hpp/v1/sessions', {
    payment_session_url: `/payments/v1/sessions/${second.session_id}`,
  })
  t.equal(hpp.statusCode, 201)
  const objects = (await inject('GET', '/_mock/objects')).json()
  t.match(objects, {
    merchant: user,
    journal: { enabled: true, limit: 1000 },
    operator: false,
    authorizations: [
      { state: 'valid' },
      { authorization_token: minted.authorization_token, state: 'consumed', order_id: order.order_id },
    ],
    orders: [
      {
        order_id: order.order_id,
        status: 'PART_CAPTURED',
        captured_amount: 4000,
        refunded_amount: 0,
        captures: [{ amount: 4000 }],
        refunds: [],
      },
    ],
    hpp: [{ session_id: hpp.json().session_id, payment_session_id: second.session_id, status: 'WAITING' }],
  })
  const other = (await inject('GET', '/_mock/objects', undefined, 'someone-else')).json()
  t.same([other.sessions, other.authorizations, other.tokens, other.orders, other.hpp], [[], [], [], [], []])
})
