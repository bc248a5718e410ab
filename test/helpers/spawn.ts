import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { packageRoot } from '../../dist/paths.js'
import { serverNodeFlags } from '../../scripts/node-flags.mjs'

/**
 * The compiled server module by module (npm test builds it first), under tap's coverage loader: the
 * two CLI tests that need a listening server stopped by a signal start it, so that cli.ts's signal
 * handling is counted. Users start the bundle of it, `binJs` (scripts/bundle.mjs): the other CLI
 * tests, the crash test and the HAProxy test start that, as users do, and cheaper (without the
 * loader, below: about a third of the CPU a start costs).
 */
export const serverJs = join(packageRoot, 'dist', 'server.js')
/** The package's `bin`: the same server bundled into one file. */
export const binJs = join(packageRoot, 'dist', 'klarna-mock.mjs')

/**
 * Node with `args`, without tap's coverage loader: for a child whose coverage is not counted (the
 * bundle, `.taprc` coverage-exclude; test scripts; Klarna's client libraries, which reach the
 * server over HTTP). tap puts its loader into every child's NODE_OPTIONS, whatever `env` a spawn
 * is given; `env -u NODE_OPTIONS` removes it and execs Node (same process, same pid, same
 * signals). A start then costs about a third of the CPU, and the crash and HAProxy tests' load
 * runs on uninstrumented code.
 */
export function withoutCoverageLoader(args: string[]): [string, string[]] {
  return ['/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, ...args]]
}

/**
 * The bundle runs under the Node flags `npm start` and the Docker image give it (scripts/node-flags.mjs),
 * as users run it. The module-by-module server keeps the loader: its coverage is what tap reports for
 * src/cli.ts.
 */
function command(script: string, args: string[]): [string, string[]] {
  return script === binJs
    ? withoutCoverageLoader([...serverNodeFlags, script, ...args])
    : [process.execPath, [script, ...args]]
}

export interface Started {
  child: ChildProcess
  url: string
  output: () => string
}

/** Starts the server and resolves once it logs the URL it listens on. */
export async function startServer(
  args: string[],
  env: Record<string, string> = {},
  script = serverJs,
): Promise<Started> {
  const child = spawn(...command(script, args), {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`no listen line: ${out}`))
    }, 15000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/[^\s"]+)/.exec(out)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve({ child, url: m[1], output: () => out })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited ${String(code)}: ${out}`))
    })
  })
}

/**
 * Runs the CLI to completion: the bundle, as users run it (test/in-process/cli-config.test.ts runs
 * the same exits through `main()` in-process, where their coverage is counted).
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  script = binJs,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(...command(script, args), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, stdout, stderr }
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  child.kill(signal)
  return await exited
}

/** A port of 127.0.0.1 free at the moment of asking (another process may take it before it is used). */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}
