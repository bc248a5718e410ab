import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

/**
 * Fastify's own compilers (the same Ajv and fast-json-stringify, the same options), made lazy: a
 * route's validator and serializers are compiled the first time the route is called instead of
 * at start-up, where compiling every route's schemas took about half of the time to the first
 * answer. A route never called costs nothing; the first call of each pays a few milliseconds once.
 * test/docs.test.ts calls every route, so a schema that does not compile still fails the tests.
 *
 * `warmUp()` compiles what is left, one schema per event-loop turn, so that requests keep being
 * answered meanwhile: the CLI calls it once it listens, and the server is warm a moment after its
 * first answer; so does startMock(). Apps built in tests do not (most call a few routes). Closing the
 * app ends a warm-up under way.
 */

type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type Serialize = (data: unknown) => string
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

export interface LazyCompilers {
  factory: CompilersFactory
  /** Compiles every schema not compiled yet, one per turn of the event loop; resolves how many it compiled. */
  warmUp: () => Promise<number>
  /** Ends a warm-up under way (the app is closing). */
  stop: () => void
}

export function lazyCompilers(): LazyCompilers {
  const validators = AjvCompiler()
  const serializers = SerializerSelector()
  /** Each schema's compile step; it returns whether it compiled (false: a call already had). */
  const pending: Array<() => boolean> = []
  let stopped = false
  const warmUp = async (): Promise<number> => {
    let compiled = 0
    // eslint-disable-next-line no-unmodified-loop-condition -- stop() sets it while the loop awaits
    for (let next = pending.shift(); next !== undefined && !stopped; next = pending.shift()) {
      await new Promise((resolve) => setImmediate(resolve))
      if (next()) compiled++
    }
    return compiled
  }
  const factory = {
    buildValidator: (...factoryArgs: Parameters<typeof validators>) => {
      const compile = validators(...factoryArgs)
      return (routeSchema: Parameters<typeof compile>[0]): Validate => {
        let validate: Validate | undefined
        const build = (): Validate => (validate ??= compile(routeSchema) as unknown as Validate)
        pending.push(() => validate === undefined && build() !== undefined)
        const lazy: Validate = (data, context) => {
          validate ??= build()
          const valid = validate(data, context)
          lazy.errors = validate.errors
          return valid
        }
        // Fastify hands an Ajv function (one with schemaEnv) its parent, so that it may replace the root.
        lazy.schemaEnv = true
        return lazy
      }
    },
    buildSerializer: (...factoryArgs: Parameters<typeof serializers>) => {
      const compile = serializers(...factoryArgs)
      return (routeSchema: Parameters<typeof compile>[0]): Serialize => {
        let serialize: Serialize | undefined
        const build = (): Serialize => (serialize ??= compile(routeSchema) as Serialize)
        pending.push(() => serialize === undefined && build() !== undefined)
        return (data) => (serialize ?? build())(data)
      }
    },
  } as unknown as CompilersFactory
  const stop = (): void => {
    stopped = true
  }
  return { factory, warmUp, stop }
}
