import { existsSync } from 'node:fs'
import root from 'tap'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core'
import type { Tap } from './app.js'

/** Debian's Chromium (.ci/run installs it); CHROMIUM_PATH overrides. No browser is downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** What a test gets from launch(): contexts and pages of the shared browser, closed when the test ends. */
export type TestBrowser = Pick<Browser, 'newContext' | 'newPage'>

let shared: Promise<Browser> | undefined

/**
 * Headless Chromium for one test. One browser per test process, launched on first use and closed
 * when the process's last test has ended (launching it is most of a browser test's cost); each
 * test gets its own contexts (cookies, storage, credentials, pages), as Playwright's own runner
 * does, and they are closed when the test ends. Fails, saying why, when Chromium is missing.
 */
export async function launch(t: Tap): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it), or CHROMIUM_PATH`,
    )
  }
  if (shared === undefined) {
    shared = chromium.launch({
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
    const launched = shared
    root.teardown(async () => {
      await (await launched).close()
    })
  }
  const browser = await shared
  const contexts: BrowserContext[] = []
  t.teardown(async () => {
    await Promise.all(contexts.map(async (context) => await context.close()))
  })
  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await browser.newContext(options)
    contexts.push(context)
    return context
  }
  return { newContext, newPage: async (options) => await (await newContext(options)).newPage() }
}

/** A page on which Klarna's CDN is answered by the mock at `mockUrl` (the README's three lines). */
export async function pageWithMockCdn(browser: TestBrowser, mockUrl: string): Promise<Page> {
  const page = await browser.newPage()
  await page.route('https://x.klarnacdn.net/**', async (route) => {
    await route.fulfill({
      response: await route.fetch({ url: mockUrl + new URL(route.request().url()).pathname }),
    })
  })
  return page
}
