/**
 * Gives a plugin the name Fastify knows it by (`instance.pluginName` inside it; `printPlugins()`
 * shows the function's own name). A plugin without one costs at every registration: Fastify then
 * looks for the function among the exports of every CommonJS module loaded so far (`getPluginName`
 * in fastify/lib/plugin-utils.js), twice. In a test process, with a test runner's modules loaded,
 * that was about 2 ms of each app's 16 ms build. (fastify-plugin names a plugin the same way, but
 * also shares its scope: the routes stay encapsulated.)
 */
export function named<Plugin extends object>(name: string, plugin: Plugin): Plugin {
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: name })
  return plugin
}
