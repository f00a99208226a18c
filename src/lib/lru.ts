/**
 * @module A least-recently-used map bounded by a total weight (by default one per entry), so a
 * cache of variable-size values (a group with its member ids) has a memory bound that does not
 * depend on how its entries are shaped.
 */
export class Lru<K, V> {
  readonly #entries = new Map<K, { value: V; weight: number }>()
  #total = 0

  /** `weigh` gives each value's share of `maxWeight`; a value heavier than it is not kept. */
  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number = () => 1
  ) {}

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.value
  }

  has(key: K): boolean {
    return this.#entries.has(key)
  }

  /** Stores the value as most recently used, evicting the least recently used beyond the bound. */
  set(key: K, value: V): void {
    this.delete(key)
    const weight = this.weigh(value)
    if (weight > this.maxWeight) return
    this.#entries.set(key, { value, weight })
    this.#total += weight
    for (const [oldest, entry] of this.#entries) {
      if (this.#total <= this.maxWeight) break
      this.#entries.delete(oldest)
      this.#total -= entry.weight
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#total -= entry.weight
  }

  clear(): void {
    this.#entries.clear()
    this.#total = 0
  }

  get size(): number {
    return this.#entries.size
  }

  /** The sum of the weights held. */
  get weight(): number {
    return this.#total
  }
}
