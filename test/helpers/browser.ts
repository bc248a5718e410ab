import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Tap } from './app.js'

/** Debian's Chromium (.ci/run installs it); CHROMIUM_PATH overrides. No browser is downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Headless Chromium for one test, closed when it ends. Fails, saying why, when Chromium is missing. */
export async function launch(t: Tap): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it), or CHROMIUM_PATH`,
    )
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  t.teardown(async () => {
    await browser.close()
  })
  return browser
}

/** A page on which Klarna's CDN is answered by the mock at `mockUrl` (the README's three lines). */
export async function pageWithMockCdn(browser: Browser, mockUrl: string): Promise<Page> {
  const page = await browser.newPage()
  await page.route('https://x.klarnacdn.net/**', async (route) => {
    await route.fulfill({
      response: await route.fetch({ url: mockUrl + new URL(route.request().url()).pathname }),
    })
  })
  return page
}
