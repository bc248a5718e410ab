import { readdirSync } from 'node:fs'

/**
 * The test files under test/in-process/, run together in this one process. They start no server
 * process of their own to test it, no browser, and measure nothing process-wide, so sharing a
 * process changes nothing they assert; what it saves is each file's own start (tap, the app's
 * modules, the OpenAPI oracle's compiled specs, the validators): about 3 CPU-seconds a file, 90 in
 * all. Every file also runs alone: `npx tap test/in-process/sessions.test.ts`.
 *
 * The files in test/ itself run one process each: they start the server, Chromium or HAProxy, or
 * measure the process's memory. A new test file goes here unless it does one of those.
 */
const dir = new URL('./in-process/', import.meta.url)
const files = readdirSync(dir).filter((file) => file.endsWith('.test.ts'))
for (const name of files.sort()) await import(new URL(name, dir).href)
