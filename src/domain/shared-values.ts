import type { Catalog } from './catalog.js'

/**
 * Values derived once from a catalogue (the fixtures a domain runs with) and shared, frozen, by every
 * record that keeps them unchanged: a market's sample address, its category list, the mint's default
 * cart. Records keep a reference instead of a copy; records are replaced, never changed in place, so
 * sharing is invisible, and a change in place would fail loudly. Dropped with the catalogue.
 *
 * `keep` bounds what is kept (what callers send must not grow it without end): a value it refuses
 * is still made, frozen and returned, only not remembered.
 */
export function sharedPerCatalog<V>(
  keep: (catalog: Catalog, key: string, kept: number) => boolean,
): (catalog: Catalog, key: string, make: () => V) => V {
  const byCatalog = new WeakMap<Catalog, Map<string, V>>()
  return (catalog, key, make) => {
    let values = byCatalog.get(catalog)
    if (values === undefined) byCatalog.set(catalog, (values = new Map()))
    let value = values.get(key)
    if (value === undefined) {
      value = Object.freeze(make())
      if (keep(catalog, key, values.size)) values.set(key, value)
    }
    return value
  }
}

/** Keeps what belongs to a market of the catalogue (a country code any caller may send is not kept otherwise). */
export const inCatalogMarkets = (catalog: Catalog, country: string): boolean => catalog.markets.has(country)
