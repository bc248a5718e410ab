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

/** What a test gets from launch(): contexts of the shared browser, closed when the test ends. */
export type TestBrowser = Pick<Browser, 'newContext'>

let shared: Promise<Browser> | undefined

/**
 * The process's headless Chromium, launched on first use and closed when the process's last test
 * has ended (launching it is most of a browser test's cost). Fails, saying why, when Chromium is
 * missing.
 */
async function launchShared(): Promise<Browser> {
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
  return await shared
}

/**
 * The shared Chromium for one test: each test gets its own contexts (cookies, storage, credentials,
 * pages), as Playwright's own runner does, closed when the test ends. Tests that need none of that
 * state borrow a page instead (borrowPage, below).
 */
export async function launch(t: Tap): Promise<TestBrowser> {
  const browser = await launchShared()
  const contexts: BrowserContext[] = []
  t.teardown(async () => {
    await Promise.all(contexts.map(async (context) => await context.close()))
  })
  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await browser.newContext(options)
    contexts.push(context)
    return context
  }
  return { newContext }
}

/** What a test that borrows a page must be: tap's test (teardown, and whether it has passed so far). */
export interface BorrowingTest extends Tap {
  passing: () => boolean
}

const kept = new Map<string, Promise<Page>>()
const lentOut = new Set<string>()

/**
 * A page kept by this test process and lent to one test at a time, one per set of context options,
 * for tests that need nothing of the browser's own state (cookies, storage, cache: each test's mock
 * and shop listen on new ports). Chromium starts a renderer process for every new page, about a
 * CPU-second each on these machines, while a page navigated again keeps its process: six pages
 * loaded one after another cost Chromium 10.8 CPU-seconds, one page navigated six times 2.8
 * (2026-11-28). When the test ends, the routes it set are removed and the page is emptied
 * (about:blank: the old document's timers stop), or, if the test failed, closed with its context so
 * that the next test starts from a new one. Listeners a test adds it removes itself (t.teardown).
 * A test that needs state of its own (another user's credentials, say) opens a context of its own.
 */
export async function borrowPage(t: BorrowingTest, options: BrowserContextOptions = {}): Promise<Page> {
  const key = JSON.stringify(options)
  if (lentOut.has(key)) {
    throw new Error(`the page for ${key} is lent to another test: tests that borrow one run one at a time`)
  }
  lentOut.add(key)
  const lending: { page?: Page } = {}
  t.teardown(async () => {
    const page = lending.page
    try {
      if (page === undefined) return
      if (!t.passing()) {
        kept.delete(key)
        await page.context().close()
      } else {
        await page.unrouteAll({ behavior: 'ignoreErrors' })
        await page.goto('about:blank')
      }
    } finally {
      lentOut.delete(key)
    }
  })
  const browser = await launchShared()
  let lent = kept.get(key)
  if (lent === undefined || (await lent).isClosed()) {
    lent = browser.newContext(options).then(async (context) => await context.newPage())
    kept.set(key, lent)
  }
  lending.page = await lent
  return lending.page
}

/** A lent page on which Klarna's CDN is answered by the mock at `mockUrl` (the README's three lines). */
export async function pageWithMockCdn(t: BorrowingTest, mockUrl: string): Promise<Page> {
  const page = await borrowPage(t)
  await page.route('https://x.klarnacdn.net/**', async (route) => {
    await route.fulfill({
      response: await route.fetch({ url: mockUrl + new URL(route.request().url()).pathname }),
    })
  })
  return page
}
