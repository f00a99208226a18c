/**
 * What `npm run dev` prints once local state is ready: the SCIM endpoints and tokens of the demo
 * tenants, how "Connect to Microsoft Entra ID" works against the fake, and three ready-to-paste
 * curls for the pull sync against the fake Graph's contoso directory (create an entra-pull
 * instance for the demo US tenant, start a sync, read the report).
 */

import type { ServedGraph } from '../fake-graph.ts'
import type { SeededTenant } from '../local-db.ts'

/** The parts of the contoso fixture the banner and the instance body use. */
export interface ContosoFixture {
  directoryId: string
  clientId: string
  clientSecret: string
}

/** A demo tenant with its console owner. */
export interface DemoTenant extends SeededTenant {
  admin: { email: string; password: string }
}

/** The operator's app registered in the fake, and the admin who consents to it. */
export interface Consent {
  clientId: string
  directoryId: string
  preferredUsername: string
}

/** What the banner shows. */
export interface BannerInput {
  base: string
  adminToken: string
  demo: { us: DemoTenant; eu: DemoTenant }
  graph: ServedGraph
  fixture: ContosoFixture
  existingId: string | undefined
  consent: Consent | undefined
}

/** Quotes a value for a POSIX shell (single quotes; an inner ' becomes '\''). */
const sh = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`

/** The body that creates the contoso pull instance. */
export const contosoInstance = (fixture: ContosoFixture) => ({
  name: 'Entra pull (contoso)',
  kind: 'entra-pull',
  directoryId: fixture.directoryId,
  clientId: fixture.clientId,
  clientSecret: fixture.clientSecret,
  groupsParent: 'ActivTrak Groups',
  dntParent: 'ActivTrak Do Not Track',
  deleteParent: 'ActivTrak Delete',
  syncAttributes: false,
})

/**
 * Prints `.instance.id` of the JSON on stdin, or the whole answer on stderr when it has none (an
 * error): node is there wherever `npm run dev` runs, jq may not be.
 */
const INSTANCE_ID =
  `node -pe 'const r = JSON.parse(require("fs").readFileSync(0, "utf8"));` +
  ` r.instance?.id ?? (console.error(JSON.stringify(r)), "")'`

function syncCurls({
  base,
  adminToken,
  tenantId,
  fixture,
  existingId,
}: Pick<BannerInput, 'base' | 'adminToken' | 'fixture' | 'existingId'> & {
  tenantId: string
}): string {
  const auth = `-H ${sh(`Authorization: Bearer ${adminToken}`)}`
  const instances = `${base}/admin/v1/tenants/${tenantId}/instances`
  const create = [
    `INSTANCE=$(curl -s -X POST ${auth} -H 'Content-Type: application/json' \\`,
    `  -d ${sh(JSON.stringify(contosoInstance(fixture)))} \\`,
    `  ${instances} | ${INSTANCE_ID}); echo "instance $INSTANCE"`,
  ]
  const again = existingId
    ? [`  (created by an earlier run already; instead of the curl above: INSTANCE=${existingId})`]
    : []
  return [
    'Pull sync (Entra ID) against the fake Graph, demo US tenant:',
    '  1. create the entra-pull instance for the contoso directory:',
    ...create.map((l) => `  ${l}`),
    ...again,
    "  2. start a sync (it advances by itself on the tenant Durable Object's alarm):",
    `  curl -s -X POST ${auth} ${instances}/$INSTANCE/sync`,
    '  3. read the run report (status, phase, counts, errors, metrics):',
    `  curl -s ${auth} "${instances}/$INSTANCE/sync/runs?limit=1"`,
    '  (groups are created only once a member has an agent: report one with POST',
    `   ${base}/admin/v1/tenants/${tenantId}/agents, e.g. upn "AdeleV@contoso.com", then sync again)`,
  ].join('\n')
}

/** The line about admin consent in the fake: which app, who consents and signs in, where to click. */
function consentLine(consent: Consent | undefined): string {
  if (!consent)
    return '  Connect to Microsoft Entra ID: off (no ENTRA_APP_CLIENT_ID / _SECRET in .dev.vars)'
  return [
    `  Connect to Microsoft Entra ID: app ${consent.clientId} is registered here; ${consent.preferredUsername},`,
    `    a Global Administrator of directory ${consent.directoryId} (contoso), is signed in: they consent`,
    '    and the sign-in that proves it passes at once. Console > Integrations >',
    '    directory sync > Add instance > "Save, then connect to Microsoft Entra ID".',
  ].join('\n')
}

/** The whole banner. */
export function devBanner({
  base,
  adminToken,
  demo,
  graph,
  fixture,
  existingId,
  consent,
}: BannerInput): string {
  const scimUrl = `${base}/scim/v2`
  const sync = syncCurls({ base, adminToken, tenantId: demo.us.tenantId, fixture, existingId })
  return `
SCIM service on ${base}
  Console:     ${base}/console/login
    US tenant: ${demo.us.admin.email}  password ${demo.us.admin.password}
    EU tenant: ${demo.eu.admin.email}  password ${demo.eu.admin.password}
  Admin API:   ${base}/admin/v1   (Authorization: Bearer ${adminToken})
  US tenant:   ${demo.us.tenantId}
    SCIM URL:  ${scimUrl}
    Token:     ${demo.us.token}
  EU tenant:   ${demo.eu.tenantId}
    SCIM URL:  ${scimUrl}
    Token:     ${demo.eu.token}
Fake Microsoft Graph on ${graph.base}: directory ${fixture.directoryId} (contoso)
  Graph:       ${graph.base}/v1.0      token endpoint: ${graph.base}/{directoryId}/oauth2/v2.0/token
${consentLine(consent)}

Try: curl -H "Authorization: Bearer ${demo.us.token}" ${scimUrl}/Users

${sync}
`
}
