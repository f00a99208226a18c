/**
 * @module The connections to Microsoft Entra ID a tenant's object has accepted. Every
 * "Connect" carries one nonce through its whole chain: in the admin consent request's signed
 * `state`, then in the sign-in request's `state` and as its OpenID Connect nonce, which the ID
 * token must echo. The object accepts each nonce once, so a consent or sign-in answer replayed
 * from the browser's history or a proxy log, or a second sign-in of the same attempt, changes
 * nothing. A nonce is remembered in the object's own storage until its request expires (a later
 * answer would be refused as expired anyway), then forgotten, so the list stays as short as the
 * requests of the last minutes.
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
