/** JSON with object keys sorted, so that equal bodies compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out
  }
  return value
}

/** Paths of fields whose values differ, where the request sends them ("a.b", "a[1].c"). */
export function differingFields(prefix: string, authorized: unknown, requested: unknown): string[] {
  if (requested === undefined) return []
  if (
    requested !== null &&
    typeof requested === 'object' &&
    !Array.isArray(requested) &&
    authorized !== null &&
    typeof authorized === 'object' &&
    !Array.isArray(authorized)
  ) {
    const out: string[] = []
    for (const [key, value] of Object.entries(requested)) {
      out.push(
        ...differingFields(
          prefix === '' ? key : `${prefix}.${key}`,
          (authorized as Record<string, unknown>)[key],
          value,
        ),
      )
    }
    return out
  }
  const a = typeof authorized === 'string' ? authorized : canonicalJson(authorized)
  const r = typeof requested === 'string' ? requested : canonicalJson(requested)
  return a === r ? [] : [prefix]
}
