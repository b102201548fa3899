/**
 * A map that forgets its oldest key (by first insertion) once it holds `limit` keys: bounded
 * memory for lookups that are almost always of recent entries, over a file of any length.
 *
 * Not a Map evicted with `delete(keys().next().value)`: V8 leaves a deleted entry as a hole
 * until the table is rebuilt, and `keys()` walks the holes from the start, so each eviction from
 * a 50,000-entry map scanned thousands of them. Parsing the 470k lines of a 1 GB session spent
 * ~8 s there; the ring of keys below makes an eviction one `delete`.
 */
export class FifoMap<K, V> {
  private readonly map = new Map<K, V>()
  /** The keys in the order they came, as a ring once full: `oldest` is the next to go. */
  private readonly ring: K[] = []
  private oldest = 0

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`FifoMap limit must be at least 1, got ${limit}`)
  }

  get size(): number {
    return this.map.size
  }

  get(key: K): V | undefined {
    return this.map.get(key)
  }

  has(key: K): boolean {
    return this.map.has(key)
  }

  /** A key already held keeps its place (as in a Map); a new one past the limit pushes out the oldest. */
  set(key: K, value: V): this {
    if (!this.map.has(key)) {
      if (this.ring.length < this.limit) this.ring.push(key)
      else {
        this.map.delete(this.ring[this.oldest])
        this.ring[this.oldest] = key
        this.oldest = (this.oldest + 1) % this.limit
      }
    }
    this.map.set(key, value)
    return this
  }

  /** Oldest first. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries()
  }
}
