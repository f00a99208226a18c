/**
 * @module Parses the Worker's string vars once, with defaults, so the rest of the code reads
 * typed settings. A malformed value fails loudly instead of silently falling back.
 */
import { z } from 'zod'
import type { Env } from './env'

const intVar = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional().default(fallback)

const ConfigSchema = z.object({
  maxPageSize: intVar(1000, 1, 10000),
  jurisdictions: z
    .enum(['true', 'false'])
    .optional()
    .default('true')
    .transform((v) => v === 'true'),
  /** Hours after its request by which a deletion is verified, or failed (the guide's 12). */
  deleteVerifyDeadlineHours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .optional()
    .default(12),
  historyRetentionDays: intVar(400, 1, 3650),
  offboardRowsPerStep: intVar(5000, 1, 50_000),
  offboardStepDelayMs: intVar(100, 0, 3_600_000),
  /** How long a tenant's batch of writes waits for company while writes arrive together. */
  groupCommitLingerMs: intVar(2, 0, 100),
  graphBaseUrl: z.url().optional().default('https://graph.microsoft.com/v1.0'),
  graphTokenUrl: z.url().optional().default('https://login.microsoftonline.com'),
})

/** The operator's multi-tenant Entra ID application, or the first setting it lacks. */
export type OperatorApp = { clientId: string; clientSecret: string } | { missing: string }

export type Config = z.infer<typeof ConfigSchema> & {
  /** What consent instances read Graph with ("Connect to Microsoft Entra ID"). */
  operatorApp: OperatorApp
}

/** Largest request body accepted (advertised as bulk.maxPayloadSize too). */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
export const DEFAULT_PAGE_SIZE = 100
/** RFC 9865 cursorTimeout: keyset cursors never expire, so advertise a generous minimum. */
export const CURSOR_TIMEOUT_SECONDS = 86_400

/** Parsed settings per env object: the runtime hands one env to every request of an isolate. */
const parsed = new WeakMap<Env, Config>()

/** The settings of `env`, parsed on first use and kept with it. */
export function loadConfig(env: Env): Config {
  let config = parsed.get(env)
  if (!config) {
    config = parseConfig(env)
    parsed.set(env, config)
  }
  return config
}

function parseConfig(env: Env): Config {
  const parsed = ConfigSchema.parse({
    maxPageSize: env.SCIM_MAX_PAGE_SIZE,
    jurisdictions: env.DO_JURISDICTIONS,
    deleteVerifyDeadlineHours: env.DELETE_VERIFY_DEADLINE_HOURS,
    historyRetentionDays: env.HISTORY_RETENTION_DAYS,
    offboardRowsPerStep: env.OFFBOARD_ROWS_PER_STEP,
    offboardStepDelayMs: env.OFFBOARD_STEP_DELAY_MS,
    groupCommitLingerMs: env.GROUP_COMMIT_LINGER_MS,
    graphBaseUrl: env.GRAPH_BASE_URL,
    graphTokenUrl: env.GRAPH_TOKEN_URL,
  })
  return { ...parsed, operatorApp: operatorApp(env) }
}

/** The Worker settings that name the operator's multi-tenant application. */
export interface OperatorAppSettings {
  ENTRA_APP_CLIENT_ID?: string | undefined
  ENTRA_APP_CLIENT_SECRET?: string | undefined
}

/**
 * The operator's multi-tenant application that consent instances read Graph with, or the name
 * of the first setting it lacks (so a run's error says what the operator must set).
 */
export function operatorApp(env: OperatorAppSettings): OperatorApp {
  const clientId = env.ENTRA_APP_CLIENT_ID?.trim() ?? ''
  const clientSecret = env.ENTRA_APP_CLIENT_SECRET ?? ''
  if (clientId === '') return { missing: 'ENTRA_APP_CLIENT_ID' }
  if (clientSecret === '') return { missing: 'ENTRA_APP_CLIENT_SECRET' }
  return { clientId, clientSecret }
}

/** What deletion verification needs from the settings. */
export const verifySettings = (config: Config) => ({
  deadlineMs: config.deleteVerifyDeadlineHours * 3_600_000,
})
