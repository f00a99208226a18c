/**
 * @module Signing in: one generic answer for an unknown email and a wrong password (an unknown
 * email costs the same PBKDF2 work), failures counted per account and per client address by the
 * sign-in guard objects (slowed after a few, refused for a while after more), and every sign-in
 * and failure of a known account recorded in its tenant's history. An email names at most one
 * account per region, so both regions are asked and the account whose password matches wins.
 */
import type { SignInFailure } from '../../domain/admins'
import { REGIONS } from '../../model/tenant'
import type { Env } from '../../env'
import type { ThrottlePolicy, ThrottleVerdict } from '../../lib/failure-throttle'
import { DECOY_HASH, verifyPassword } from '../../lib/password'
import { randomSecret, sha256Hex } from '../../lib/secrets'
import { fold } from '../../lib/text'
import { regionDb } from '../../storage/db'
import { adminByEmail, type AdminRow } from '../../storage/repos/admins'
import { tenantWriter, unwrap } from '../../tenant-do/client'
import { adminEnvelopeOf } from '../envelope'

/** An account: a few free failures, then slower answers, locked after 10 in 15 minutes. */
const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 3,
  lockAfter: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxDelayMs: 4_000,
}
/** A client address: more room (offices share addresses), locked after 50 in 15 minutes. */
const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  lockAfter: 50,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxDelayMs: 4_000,
}

export type SignInResult =
  | { ok: true; admin: AdminRow; secret: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterS: number }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function guards(env: Env, emailCi: string, address: string) {
  const [account, client] = await Promise.all([
    sha256Hex(`account:${emailCi}`),
    sha256Hex(`address:${address}`),
  ])
  return {
    account: env.SIGN_IN_GUARD.getByName(account),
    client: env.SIGN_IN_GUARD.getByName(client),
  }
}

/** The stricter of two verdicts. */
function worst(a: ThrottleVerdict, b: ThrottleVerdict): ThrottleVerdict {
  if (a.locked || b.locked)
    return {
      locked: true,
      retryAfterS: Math.max(a.locked ? a.retryAfterS : 0, b.locked ? b.retryAfterS : 0),
    }
  return { locked: false, delayMs: Math.max(a.delayMs, b.delayMs) }
}

/** The accounts of this email (one per region at most) whose password matches. */
async function matchingAccounts(env: Env, emailCi: string, password: string) {
  const accounts = (
    await Promise.all(REGIONS.map((r) => adminByEmail(regionDb(env, r), emailCi)))
  ).filter((a) => a !== undefined)
  const checks = await Promise.all(
    accounts.map((a) => verifyPassword(password, a.passwordHash ?? DECOY_HASH))
  )
  if (accounts.length === 0) await verifyPassword(password, DECOY_HASH)
  return { accounts, matched: accounts.filter((a, i) => checks[i] && a.passwordHash !== null) }
}

/** Records a failed sign-in in the history of each tenant whose admin has that email. */
async function recordFailures(
  env: Env,
  requestId: string,
  accounts: readonly AdminRow[],
  reason: (a: AdminRow) => SignInFailure
): Promise<void> {
  await Promise.all(
    accounts.map(async (a) =>
      tenantWriter(env, a.tenantId).recordSignInFailure(
        adminEnvelopeOf(requestId, a),
        a.id,
        reason(a)
      )
    )
  )
}

export async function signIn(
  env: Env,
  input: { email: string; password: string; address: string; userAgent: string | null },
  requestId: string
): Promise<SignInResult> {
  const emailCi = fold(input.email.trim())
  const now = Date.now()
  const g = await guards(env, emailCi, input.address)
  const before = worst(
    await g.account.check(ACCOUNT_POLICY, now),
    await g.client.check(ADDRESS_POLICY, now)
  )
  const { accounts, matched } = await matchingAccounts(env, emailCi, input.password)
  if (before.locked) {
    await recordFailures(env, requestId, accounts, () => 'throttled')
    return { ok: false, reason: 'locked', retryAfterS: before.retryAfterS }
  }
  if (before.delayMs > 0) await sleep(before.delayMs)
  const admin = matched[0]
  if (!admin) {
    await Promise.all([g.account.fail(ACCOUNT_POLICY, now), g.client.fail(ADDRESS_POLICY, now)])
    await recordFailures(env, requestId, accounts, (a) =>
      a.passwordHash === null ? 'no-password' : 'wrong-password'
    )
    return { ok: false, reason: 'invalid' }
  }
  const { secret, hash } = await randomSecret()
  unwrap(
    await tenantWriter(env, admin.tenantId).recordSignIn(
      adminEnvelopeOf(requestId, admin),
      admin.id,
      {
        idHash: hash,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      }
    )
  )
  await g.account.clear()
  return { ok: true, admin, secret }
}
