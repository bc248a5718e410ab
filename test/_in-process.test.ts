import { runTogether } from './helpers/together.js'

/**
 * The test files under test/in-process/, run together in this one process (helpers/together.ts):
 * about 3 CPU-seconds a file less than a process each (90 for the first 27 files). They do not
 * test the server as a process (its start, signals, exit), drive a browser or HAProxy, or measure
 * the process's memory, so sharing a process changes nothing they assert. The children some of
 * them start (Klarna's client libraries, the benchmark scripts) are processes of their own as
 * before.
 *
 * The files in test/ itself run one process each: they start the server or HAProxy, or measure the
 * process's memory; test/_in-browser.test.ts runs the browser tests, with one Chromium. A new test
 * file goes in test/in-process/ unless it does one of those.
 */
await runTogether(new URL('./in-process/', import.meta.url))
