/** test/build-if-stale.mjs: builds dist/ when it is older than what it is built from. */
export function buildIfStale(
  root: string,
  options?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void },
): number
