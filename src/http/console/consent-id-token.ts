/**
 * @module Whether the ID token of the sign-in that follows an admin consent proves the consent:
 * that an administrator of the directory the consent answer named is the one connecting. The
 * answer's `tenant` comes through the browser and can be swapped for another customer's
 * directory that consented to the same multi-tenant app, so only the token decides.
 *
 * The token comes from the console's own TLS call to the token endpoint (authorization code
 * grant), so its signature is not checked: OpenID Connect Core 1.0 §3.1.3.7 step 6 lets TLS
 * server validation stand in for it when the ID token is received directly from the token
 * endpoint. Its claims are checked as §3.1.3.7 and Microsoft's v2.0 token reference ask:
 * `aud` is our client id (step 3), `exp` is in the future (step 9), `nonce` is the one bound to
 * the state (step 11), `tid` is the directory the consent named, and `iss` is that directory's
 * v2.0 issuer (step 2). Then the account must hold a directory role that can grant admin consent
 * to Microsoft Graph application permissions, which the service's app asks for: Global
 * Administrator or Privileged Role Administrator (`wids`, role template ids; Application and
 * Cloud Application Administrators cannot grant Graph application permissions). The app must be
 * set to emit directory roles (`groupMembershipClaims` "DirectoryRole" or "All"); a token without
 * `wids` is refused as not telling. Pure: the clock comes in as `nowMs`.
 */
import { z } from 'zod'
import { fromBase64Url } from '../../lib/ids'

/** Role template ids of the Entra roles that can grant admin consent to Graph app permissions. */
export const CONSENTING_ROLES = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
} as const satisfies Record<string, string>

/** What the token must say. */
export interface IdTokenExpectation {
  /** The operator app's client id. */
  clientId: string
  /** The directory (lowercase GUID) the consent answer named. */
  directoryId: string
  /** The nonce bound to the sign-in's state. */
  nonce: string
  /** The identity platform's base URL (GRAPH_TOKEN_URL): the issuer is `{base}/{tid}/v2.0`. */
  loginBaseUrl: string
  nowMs: number
}

/** The signed-in account, once the token proves it. */
export interface ConsentingAdmin {
  directoryId: string
  username: string
  role: string
}

/** Why the token does not prove the consent. */
export type IdTokenRefusal =
  | { reason: 'malformed' }
  | { reason: 'audience'; audience: string }
  | { reason: 'expired' }
  | { reason: 'nonce' }
  | { reason: 'directory'; tid: string; username: string }
  | { reason: 'issuer'; issuer: string }
  | { reason: 'roles-unknown'; username: string }
  | { reason: 'not-admin'; username: string }

const claimsSchema = z.object({
  iss: z.string().max(512),
  aud: z.string().max(256),
  tid: z.string().max(64),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string().max(256).optional(),
  oid: z.string().max(64).optional(),
  preferred_username: z.string().max(512).optional(),
  wids: z.array(z.string().max(64)).max(500).optional(),
})
type Claims = z.infer<typeof claimsSchema>

/** The payload of a compact JWT (header.payload.signature), parsed; undefined if it is none. */
function claimsOf(jwt: string): Claims | undefined {
  const parts = jwt.split('.')
  const bytes = parts.length === 3 && parts[1] ? fromBase64Url(parts[1]) : undefined
  if (!bytes) return undefined
  try {
    const json: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    )
    return claimsSchema.safeParse(json).data
  } catch {
    return undefined
  }
}

/** The consenting role the account holds, if any. */
const roleOf = (wids: string[]): string | undefined =>
  Object.entries(CONSENTING_ROLES).find(([id]) => wids.includes(id))?.[1]

/** What refuses the token in the order OIDC Core §3.1.3.7 checks, then the directory's role. */
function refusalOf(claims: Claims, expected: IdTokenExpectation): IdTokenRefusal | undefined {
  const username = claims.preferred_username ?? claims.oid ?? 'the account'
  const tid = claims.tid.toLowerCase()
  const issuer = `${expected.loginBaseUrl.replace(/\/+$/, '')}/${expected.directoryId}/v2.0`
  if (claims.aud !== expected.clientId) return { reason: 'audience', audience: claims.aud }
  if (claims.exp * 1000 <= expected.nowMs) return { reason: 'expired' }
  if (claims.nonce !== expected.nonce) return { reason: 'nonce' }
  if (tid !== expected.directoryId) return { reason: 'directory', tid, username }
  if (claims.iss !== issuer) return { reason: 'issuer', issuer: claims.iss }
  if (claims.wids === undefined) return { reason: 'roles-unknown', username }
  if (roleOf(claims.wids) === undefined) return { reason: 'not-admin', username }
  return undefined
}

/** The consenting admin the ID token proves, or why it does not. */
export function checkConsentIdToken(
  jwt: string,
  expected: IdTokenExpectation
): { ok: true; admin: ConsentingAdmin } | { ok: false; refusal: IdTokenRefusal } {
  const claims = claimsOf(jwt)
  if (!claims) return { ok: false, refusal: { reason: 'malformed' } }
  const refusal = refusalOf(claims, expected)
  if (refusal) return { ok: false, refusal }
  const username = claims.preferred_username ?? claims.oid ?? 'the account'
  return {
    ok: true,
    admin: { directoryId: expected.directoryId, username, role: roleOf(claims.wids ?? []) ?? '' },
  }
}
