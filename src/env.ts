/**
 * @module Worker bindings and the per-request variables the HTTP layer shares.
 */
import type { SignInGuard } from './sign-in-guard/guard'
import type { TenantWriter } from './tenant-do/tenant-writer'
import type { Region } from './model/tenant'

export interface Env {
  DB_US: D1Database
  DB_EU: D1Database
  TENANT_WRITER: DurableObjectNamespace<TenantWriter>
  /** One object per throttled sign-in key (an account or a client address). */
  SIGN_IN_GUARD: DurableObjectNamespace<SignInGuard>
  /** Workers Rate Limiting: the default per-key request limit, across isolates. */
  KEY_RATE_LIMIT: RateLimit
  /** Operator token for /admin/v1 (a secret). Unset: the admin API answers 503. */
  ADMIN_TOKEN?: string
  /** "false" where Durable Object jurisdictions are unavailable (local workerd, tests). */
  DO_JURISDICTIONS?: string
  SCIM_MAX_PAGE_SIZE?: string
  /** Public SCIM base URLs per region, shown to admins (e.g. https://scim-eu.example.com). */
  PUBLIC_URL_US?: string
  PUBLIC_URL_EU?: string
  /** 32 random bytes, base64: encrypts the pull sync's client secrets at rest (a secret). */
  SECRETS_KEY?: string
  /** Hours after its request by which a deletion is verified, or marked failed (default 12). */
  DELETE_VERIFY_DEADLINE_HOURS?: string
  /** Days the provisioning history is kept (default 400). */
  HISTORY_RETENTION_DAYS?: string
  /** Signs the console's session cookie (a secret, 32+ random bytes). Unset: the console answers 503. */
  CONSOLE_SESSION_SECRET?: string
  /**
   * The operator's multi-tenant Entra ID application for "Connect to Microsoft Entra ID": its
   * client id (a var) and secret (a secret). Unset: the console offers only the own-app path.
   */
  ENTRA_APP_CLIENT_ID?: string
  ENTRA_APP_CLIENT_SECRET?: string
  /** Rows an offboarding erases per alarm step (default 5000). */
  OFFBOARD_ROWS_PER_STEP?: string
  /** Milliseconds between an offboarding's alarm steps (default 100): paces its D1 load. */
  OFFBOARD_STEP_DELAY_MS?: string
  /**
   * Milliseconds a batch of a tenant's writes waits for the next write while writes arrive
   * together (default 2; "0": never).
   */
  GROUP_COMMIT_LINGER_MS?: string
  /** Microsoft Graph and its token endpoint; tests and local dev point them at the fake. */
  GRAPH_BASE_URL?: string
  GRAPH_TOKEN_URL?: string
  /** Tests only: a service binding that stands in for the network when calling Graph. */
  GRAPH_FETCHER?: Fetcher
}

/** The authenticated caller of a SCIM request. */
interface ScimCaller {
  tenantId: string
  region: Region
  keyId: string
  /** The integration instance the key belongs to; null for a tenant-level key. */
  instanceId: string | null
}

/**
 * A key presented by a read request and not yet decided on: its check travels in the same D1
 * batch as the request's reads (src/http/middleware/key-auth.ts).
 */
export interface KeyCheck {
  region: Region
  keyId: string
  /** SHA-256 (hex) of the token's secret part. */
  secretHash: string
  scope: 'scim' | 'agent'
  /** Set once the key row was read and judged: `caller` is known unless it was refused. */
  decided: boolean
}

export interface Variables {
  requestId: string
  caller: ScimCaller
  keyCheck?: KeyCheck
  /** Base URL of the SCIM endpoint as the client called it, e.g. https://host/scim/v2. */
  scimBase: string
}

/** The Hono types of the app's routes: the Worker bindings and the per-request variables. */
export interface HonoTypes {
  Bindings: Env
  Variables: Variables
}
