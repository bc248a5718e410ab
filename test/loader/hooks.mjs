// The tests' TypeScript loader: esbuild strips the types of test/**/*.ts, and nothing else is
// touched. tsx, used before, also rewrote every dynamic import() of the JavaScript it loaded
// (dist/cli.js, dist/routes/browser/index.js), giving those files a source map of its own in place
// of tsc's: the coverage of such a file was then reported as dist/*.js or as src/*.ts depending on
// which process's map the report met first.
import { transform } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const typescript = /\.ts$/

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context)
  } catch (err) {
    // A test imports its helpers as './helpers/app.js' (what tsc wants written): the file is app.ts.
    if (
      err?.code === 'ERR_MODULE_NOT_FOUND' &&
      specifier.endsWith('.js') &&
      typescript.test(context.parentURL ?? '')
    ) {
      return await next(`${specifier.slice(0, -3)}.ts`, context)
    }
    throw err
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !typescript.test(new URL(url).pathname)) return await next(url, context)
  const path = fileURLToPath(url)
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
  })
  return { format: 'module', source: code, shortCircuit: true }
}
