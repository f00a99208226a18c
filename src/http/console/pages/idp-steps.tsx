/**
 * @module What to do in the identity provider once an instance exists, in the vendor guides'
 * words: where the tenant URL and the key go, which mappings to keep, and Okta's "HTTP Header"
 * authentication mode. Shown with a new key and on the instance's page.
 */
import type { InstanceKind } from '../../../domain/instances'

const ACTIVTRAK = 'urn:ietf:params:scim:schemas:extension:activtrak:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function EntraSteps() {
  return (
    <ol class="steps">
      <li>
        In the Microsoft Entra admin center, open <strong>Enterprise applications</strong>, choose{' '}
        <strong>New application</strong> → <strong>Create your own application</strong> and pick{' '}
        <em>Integrate any other application you don't find in the gallery</em>.
      </li>
      <li>
        Under <strong>Provisioning</strong>, set the mode to <strong>Automatic</strong>. Paste the
        tenant URL into <strong>Tenant URL</strong> and the key into <strong>Secret Token</strong>,
        then <strong>Test Connection</strong> and <strong>Save</strong>.
      </li>
      <li>
        In <strong>Mappings → Provision Microsoft Entra ID Users</strong>, keep the default mappings
        and add <code>{`${ACTIVTRAK}:userPrincipalNames[value eq null].value`}</code> (from
        userPrincipalName), optionally <code>{`${ACTIVTRAK}:tracking`}</code> (true or false) and{' '}
        <code>{`${ENTERPRISE}:employeeNumber`}</code> (from employeeId).
      </li>
      <li>
        In <strong>Provision Microsoft Entra ID Groups</strong>, remove the <code>externalId</code>{' '}
        mapping and, under the members attribute, keep only the User object type.
      </li>
      <li>
        Under <strong>Settings → Scope</strong>, choose <em>Sync only assigned users and groups</em>
        , assign them in <strong>Users and groups</strong>, and select{' '}
        <strong>Start provisioning</strong>. Entra ID then provisions about every 40 minutes.
      </li>
    </ol>
  )
}

function OktaSteps() {
  return (
    <ol class="steps">
      <li>
        In the Okta Admin Console, create an app integration (SWA or SAML), open its{' '}
        <strong>General</strong> tab and set <strong>Provisioning</strong> to <strong>SCIM</strong>.
      </li>
      <li>
        In the <strong>Provisioning</strong> tab, paste the tenant URL into{' '}
        <strong>SCIM connector base URL</strong> and set{' '}
        <strong>Unique identifier field for users</strong> to <code>userName</code>.
      </li>
      <li>
        Check <strong>Push New Users</strong>, <strong>Push Profile Updates</strong> and{' '}
        <strong>Push Groups</strong>.
      </li>
      <li>
        Set <strong>Authentication Mode</strong> to <strong>HTTP Header</strong> and paste the key
        as the token (with or without <code>Bearer </code>), then{' '}
        <strong>Test Connector Configuration</strong>.
      </li>
      <li>
        Under <strong>To App</strong>, enable <strong>Create Users</strong>,{' '}
        <strong>Update User Attributes</strong> and <strong>Deactivate Users</strong>; assign people
        and push groups.
      </li>
    </ol>
  )
}

/** The setup steps of a SCIM kind; nothing for the directory sync. */
export function IdpSteps(props: { kind: InstanceKind }) {
  if (props.kind === 'entra-scim') return <EntraSteps />
  if (props.kind === 'okta-scim') return <OktaSteps />
  return null
}
