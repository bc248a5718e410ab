/** `FLAGS` of a start script `node FLAGS dist/klarna-mock.mjs`; throws for any other script. */
export function startScriptFlags(script: string): string[]
/** The Node flags of this package's start script, the ones the server runs with. */
export const serverNodeFlags: string[]
