/**
 * @module The admin consent answers a tenant's object has accepted. Every consent request carries
 * a nonce in its signed `state`; the object accepts each nonce once, so an answer replayed from
 * the browser's history or a proxy log changes nothing. A nonce is remembered in the object's
 * own storage until its request expires (a later answer would be refused as expired anyway),
 * then forgotten, so the list stays as short as the requests of the last minutes.
 */

const PREFIX = 'consent-nonce:'

/** The single-use nonces of a tenant's consent requests. */
export class ConsentNonces {
  readonly #storage: DurableObjectStorage

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage
  }

  /** Whether an answer with this nonce was accepted already; forgets the expired ones. */
  async used(nonce: string, nowMs: number): Promise<boolean> {
    const remembered = await this.#storage.list<number>({ prefix: PREFIX })
    const expired = [...remembered].filter(([, until]) => until <= nowMs).map(([key]) => key)
    if (expired.length > 0) await this.#storage.delete(expired)
    return remembered.has(`${PREFIX}${nonce}`) && !expired.includes(`${PREFIX}${nonce}`)
  }

  /** Remembers an accepted nonce until its request expires. */
  async remember(nonce: string, expiresAtMs: number): Promise<void> {
    await this.#storage.put(`${PREFIX}${nonce}`, expiresAtMs)
  }
}
