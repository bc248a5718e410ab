import { readdirSync } from 'node:fs'

/**
 * The test files under test/in-process/, run together in this one process. They do not test the
 * server as a process (its start, signals, exit), drive a browser or HAProxy, or measure the
 * process's memory, so sharing a process changes nothing they assert; what it saves is each file's
 * own start (tap, the app's modules, the OpenAPI oracle's compiled specs, the validators): about 3
 * CPU-seconds a file, 90 in all. Every file also runs alone: `npx tap test/in-
 * process/sessions.test.ts`.
 *
 * The files in test/ itself run one process each: they start the server, Chromium or HAProxy, or
 * measure the process's memory. A new test file goes in test/in-process/ unless it does one of
 * those.
 */
const dir = new URL('./in-process/', import.meta.url)
const files = readdirSync(dir).filter((file) => file.endsWith('.test.ts'))
for (const name of files.sort()) await import(new URL(name, dir).href)
