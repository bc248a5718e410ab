import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

/**
 * Fastify's own compilers (the same Ajv and fast-json-stringify, the same options), made lazy: a
 * route's validator and serializers are compiled the first time the route is called instead of
 * at start-up, where compiling every route's schemas took about half of the time to the first
 * answer. A route never called costs nothing; the first call of each pays a few milliseconds once.
 * test/in-process/docs.test.ts calls every route, so a schema that does not compile still fails the
 * tests.
 *
 * `warmUp()` compiles what is left, one schema per event-loop turn, so that requests keep being
 * answered meanwhile: the CLI calls it once its first answer has left (warmUpAfterFirstAnswer in
 * src/app.ts), and is warm a moment after; startMock() calls it as soon as it listens. Apps built
 * in tests do not (most call a few routes). Closing the app ends a warm-up under way.
 */

type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type Serialize = (data: unknown) => string
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

export interface LazyCompilers {
  factory: CompilersFactory
  /**
   * Readies every schema no call has needed yet, one per turn of the event loop (compiling it, or
   * taking what another route or app compiled from the same schema); resolves how many it readied.
   */
  warmUp: () => Promise<number>
  /** Ends a warm-up under way (the app is closing). */
  stop: () => void
  /**
   * The function Fastify uses for a route's request part ('params', 'body', …) or answer status
   * ('200'), once the app is ready: src/http/fast-lane.ts validates and serializes with the very
   * functions the route does. undefined: the route has none.
   */
  routeFunction: <F extends Validate | Serialize>(
    kind: 'validator' | 'serializer',
    method: string,
    url: string,
    partOrStatus: string,
  ) => F | undefined
}

/**
 * What is compiled is shared by every app of the process, keyed by what the compiler reads: its
 * options, the request part (Fastify compiles querystring and params with type coercion, bodies
 * without) and the schema's JSON. A second app, a test's or a library user's, reuses the first's
 * functions instead of compiling its 400-odd schemas again. Only when no shared schemas were added
 * (this app adds none: nothing a `$ref` could point to differs between apps).
 */
const compiledOnce = new Map<string, unknown>()
function shared<F>(
  externalSchemas: unknown,
  options: unknown,
  part: string,
  schema: unknown,
  compile: () => F,
): F {
  if (externalSchemas !== undefined && externalSchemas !== null && Object.keys(externalSchemas).length > 0) {
    return compile()
  }
  const key = `${part}\n${JSON.stringify(options) ?? ''}\n${JSON.stringify(schema) ?? ''}`
  const known = compiledOnce.get(key) as F | undefined
  if (known !== undefined) return known
  const compiled = compile()
  compiledOnce.set(key, compiled)
  return compiled
}

export function lazyCompilers(): LazyCompilers {
  const validators = AjvCompiler()
  const serializers = SerializerSelector()
  /** Each schema's compile step; it returns whether it readied it (false: a call already had). */
  const pending: Array<() => boolean> = []
  const byRoute = new Map<string, Validate | Serialize>()
  const routeKey = (kind: string, method: string, url: string, part: string): string =>
    `${kind} ${method} ${url} ${part}`
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
  /** `compile` run once, on the first call of what it returns or by the warm-up, whichever comes first. */
  const onFirstUse = <F>(
    [externalSchemas, options]: [unknown, unknown],
    part: string,
    schema: unknown,
    compile: () => F,
  ): (() => F) => {
    let compiled: F | undefined
    const get = (): F => (compiled ??= shared(externalSchemas, options, part, schema, compile))
    pending.push(() => compiled === undefined && get() !== undefined)
    return get
  }
  const factory = {
    buildValidator: (...factoryArgs: Parameters<typeof validators>) => {
      // Fastify's compiler makes an Ajv instance (with its formats) here: only when a schema is
      // compiled in this app, not when every one comes from another app's (about 1.5 ms an app).
      let compile: ReturnType<typeof validators> | undefined
      return (routeSchema: Parameters<ReturnType<typeof validators>>[0]): Validate => {
        const validator = onFirstUse(
          [factoryArgs[0], factoryArgs[1]],
          `validator ${routeSchema.httpPart ?? ''}`,
          routeSchema.schema,
          () => (compile ??= validators(...factoryArgs))(routeSchema) as unknown as Validate,
        )
        const lazy: Validate = (data, context) => {
          const validate = validator()
          const valid = validate(data, context)
          lazy.errors = validate.errors
          return valid
        }
        // Fastify hands an Ajv function (one with schemaEnv) its parent, so that it may replace the root.
        lazy.schemaEnv = true
        byRoute.set(
          routeKey('validator', routeSchema.method ?? '', routeSchema.url ?? '', routeSchema.httpPart ?? ''),
          lazy,
        )
        return lazy
      }
    },
    buildSerializer: (...factoryArgs: Parameters<typeof serializers>) => {
      const compile = serializers(...factoryArgs)
      return (routeSchema: Parameters<typeof compile>[0]): Serialize => {
        const serializer = onFirstUse(
          [factoryArgs[0], factoryArgs[1]],
          'serializer',
          routeSchema.schema,
          () => compile(routeSchema) as Serialize,
        )
        const serialize: Serialize = (data) => serializer()(data)
        byRoute.set(
          routeKey('serializer', routeSchema.method, routeSchema.url, String(routeSchema.httpStatus)),
          serialize,
        )
        return serialize
      }
    },
  } as unknown as CompilersFactory
  const stop = (): void => {
    stopped = true
  }
  const routeFunction = <F extends Validate | Serialize>(
    kind: 'validator' | 'serializer',
    method: string,
    url: string,
    partOrStatus: string,
  ): F | undefined => byRoute.get(routeKey(kind, method, url, partOrStatus)) as F | undefined
  return { factory, warmUp, stop, routeFunction }
}
