import { runTogether } from './helpers/together.js'

/**
 * The browser tests under test/in-browser/ (the SDK stand-in in a checkout page, the Hosted
 * Payment Page, the dashboard), run together in this one process with one headless Chromium
 * (helpers/browser.ts: a page borrowed per test, or contexts of its own when a test needs its own state).
 */
await runTogether(new URL('./in-browser/', import.meta.url))
