/**
 * @module What the console tells an admin when an answer of "Connect to Microsoft Entra ID" is
 * refused: a state that does not belong to the session, was altered or came too late; a code the
 * token endpoint would not redeem; an ID token that does not prove an administrator of the
 * directory that consented. Every message says that nothing was changed and how to go on.
 */
import type { CodeRedemption } from '../consent-signin'
import { CONSENTING_ROLES, type IdTokenRefusal } from '../consent-id-token'
import { CONSENT_STATE_TTL_MS, type ConsentStateRefusal } from '../consent-state'
import { ConsolePageError } from '../errors'

const AGAIN =
  'Nothing was changed: start again with "Connect to Microsoft Entra ID" on the instance page.'

/** Why a state was refused, for an admin. */
export const STATE_REFUSED: Record<ConsentStateRefusal, string> = {
  malformed: `This answer from Microsoft Entra ID carries no valid state, so it cannot be matched to a request of yours. ${AGAIN}`,
  forged: `This answer from Microsoft Entra ID does not belong to your session: it was started in another sign-in, or altered on the way. ${AGAIN}`,
  expired: `This answer from Microsoft Entra ID came more than ${String(CONSENT_STATE_TTL_MS / 60_000)} minutes after you started connecting. ${AGAIN}`,
}

const ROLES = Object.values(CONSENTING_ROLES).join(' or ')

/** The page refusing a token that names someone who may not connect the directory. */
function accountRefused(
  refusal: IdTokenRefusal,
  directoryId: string
): ConsolePageError | undefined {
  switch (refusal.reason) {
    case 'directory':
      return new ConsolePageError(
        403,
        `You signed in as ${refusal.username} of directory ${refusal.tid}, but consent was given for directory ${directoryId}. Only an administrator of the directory that consented can connect it. ${AGAIN}`
      )
    case 'not-admin':
      return new ConsolePageError(
        403,
        `${refusal.username} is not a ${ROLES} of directory ${directoryId}, so it cannot connect it: only these roles can grant the read access this service uses. Sign in with such an account. ${AGAIN}`
      )
    case 'roles-unknown':
      return new ConsolePageError(
        503,
        `Microsoft Entra ID did not say which directory roles ${refusal.username} holds, so the service cannot tell whether it may connect directory ${directoryId}. Contact support: the service's application must include directory roles in its sign-in tokens. Nothing was changed.`
      )
    case 'malformed':
    case 'audience':
    case 'expired':
    case 'nonce':
    case 'issuer':
      return undefined
  }
}

/** What is wrong with the token itself, for an admin. */
function tokenProblem(refusal: IdTokenRefusal, directoryId: string): string {
  switch (refusal.reason) {
    case 'audience':
      return `This sign-in answer was issued for another application (${refusal.audience.slice(0, 64)}), not this service.`
    case 'issuer':
      return `This sign-in answer was issued by ${refusal.issuer.slice(0, 200)}, not by Microsoft Entra ID for directory ${directoryId}.`
    case 'nonce':
      return 'This sign-in answer belongs to another attempt to connect (its nonce differs from the one this request sent).'
    case 'expired':
      return 'This sign-in answer has expired.'
    case 'malformed':
    case 'directory':
    case 'roles-unknown':
    case 'not-admin':
      return 'Microsoft Entra ID answered the sign-in without a readable ID token.'
  }
}

/** The page refusing an ID token: 403 when it is someone else's, 400 when it is not ours. */
export const idTokenRefused = (refusal: IdTokenRefusal, directoryId: string): ConsolePageError =>
  accountRefused(refusal, directoryId) ??
  new ConsolePageError(400, `${tokenProblem(refusal, directoryId)} ${AGAIN}`)

/** The page of a code the token endpoint would not redeem, or could not be asked to. */
export function redemptionRefused(
  redemption: Exclude<CodeRedemption, { ok: true }>
): ConsolePageError {
  if (redemption.kind === 'unreachable')
    return new ConsolePageError(
      503,
      `Microsoft Entra ID could not be reached to finish the sign-in (${redemption.detail}). ${AGAIN}`
    )
  const [first] = redemption.description.split(/\r?\n/)
  return new ConsolePageError(
    400,
    `Microsoft Entra ID refused to finish the sign-in ("${redemption.error}": ${first || 'no description given'}). ${AGAIN}`
  )
}
