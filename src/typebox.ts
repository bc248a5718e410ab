import { createRequire } from 'node:module'
import type * as TypeBox from '@sinclair/typebox'
import type * as TypeBoxCompiler from '@sinclair/typebox/compiler'
import type * as TypeBoxValue from '@sinclair/typebox/value'

/**
 * TypeBox's run-time values, from its CommonJS build: the one module the mock's code imports them
 * from (its types come from '@sinclair/typebox' as usual, with `import type`).
 *
 * Why not `import { Type } from '@sinclair/typebox'`: that loads TypeBox's ES-module build, about
 * 250 modules. Under a module loader's hooks (tsx, ts-node's ESM loader, tap's process tracking,
 * any test runner that registers one), Node routes every ES module through those hooks, one round
 * trip to the hooks' thread each: loading the package then cost about 0.5 CPU-seconds more than
 * without hooks, in every process that loads it (a merchant's test process, each server it starts).
 * A CommonJS `require` is not routed through them. Without hooks both builds load alike (about
 * 0.15 s). The bundled server (scripts/bundle.mjs) replaces this module with the ES-module imports:
 * esbuild then inlines TypeBox as before.
 */
const require = createRequire(import.meta.url)

export const { Type } = require('@sinclair/typebox') as typeof TypeBox
export const { Value } = require('@sinclair/typebox/value') as typeof TypeBoxValue
export const { TypeCompiler } = require('@sinclair/typebox/compiler') as typeof TypeBoxCompiler
