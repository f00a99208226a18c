/**
 * @module The user-agent table of the console: per agent its reported identity, link state and
 * the rule that linked it (or the agent it is merged into), its user, its license (a Do Not
 * Track agent still holds one, and the table says so), Do Not Track and last seen; optionally
 * with a checkbox per linked agent, for merging.
 */
import type { AgentView } from '../../../storage/repos/agent-views'
import type { AgentLinkState } from '../../../storage/repos/agents'
import * as ui from '../components'

export type LinkState = AgentLinkState

/** The link states, as the filter offers them. */
export const LINK_STATES = [
  { value: 'linked', label: 'Linked' },
  { value: 'unlinked', label: 'Not linked' },
  { value: 'merged', label: 'Merged' },
  { value: 'removed', label: 'Removed' },
] as const satisfies readonly { value: LinkState; label: string }[]

const STATE_TONES: Record<LinkState, ui.Tone> = {
  linked: 'ok',
  unlinked: 'warn',
  merged: 'info',
  removed: 'neutral',
}

const RULES: Record<NonNullable<AgentView['linkRule']>, string> = {
  upn: 'UPN',
  email: 'work email',
  employeeNumber: 'employeeNumber',
}

/** `DOMAIN\logonName`, as the agent reports it. */
export const agentLabel = (a: Pick<AgentView, 'domain' | 'logonName'>): string =>
  a.domain ? `${a.domain}\\${a.logonName}` : a.logonName

/** Agents report times with any offset; the console shows UTC. */
function utc(at: string): string | null {
  const ms = Date.parse(at)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

function LinkCell(props: { a: AgentView }) {
  const { a } = props
  const label = LINK_STATES.find((s) => s.value === a.linkState)?.label ?? a.linkState
  return (
    <>
      <ui.Badge tone={STATE_TONES[a.linkState]}>{label}</ui.Badge>
      {a.linkRule && a.linkState === 'linked' && <span class="hint"> by {RULES[a.linkRule]}</span>}
      {a.linkState === 'merged' && a.mergeId && (
        <div class="hint">
          into <span class="mono">{a.mergedInto ?? ''}</span> ·{' '}
          <a href={`/console/agents/merges/${encodeURIComponent(a.mergeId)}`}>View merge</a>
        </div>
      )}
      {a.mergedAgents > 0 && <div class="hint">{`${String(a.mergedAgents)} merged into it`}</div>}
    </>
  )
}

function UserCell(props: { a: AgentView; names: ReadonlyMap<string, string> }) {
  const { userId } = props.a
  if (userId === null) return <span class="muted">—</span>
  const name = props.names.get(userId) ?? userId
  const id = encodeURIComponent(userId)
  return (
    <>
      <a href={`/console/users/${id}`}>{name}</a>
      <div class="hint">
        <a href={`/console/agents?userId=${id}`} aria-label={`Every agent of ${name}`}>
          All their agents
        </a>
      </div>
    </>
  )
}

function LicenseCell(props: { a: AgentView }) {
  const { a } = props
  if (a.state === 'active')
    return (
      <>
        <ui.Badge tone="ok">Licensed</ui.Badge>
        {a.doNotTrack && <div class="hint">Not tracked, but still holds a license</div>}
      </>
    )
  return (
    <>
      <ui.Badge tone="neutral">No license</ui.Badge>
      <div class="hint">
        {a.state === 'merged' ? 'Shares the license of the agent it is merged into' : 'Removed'}
      </div>
    </>
  )
}

function Row(props: {
  a: AgentView
  i: number
  names: ReadonlyMap<string, string>
  selectable: boolean
}) {
  const { a } = props
  return (
    <tr>
      {props.selectable && (
        <td>
          {a.linkState === 'linked' && (
            <>
              <input type="checkbox" id={`pick-${String(props.i)}`} name="agentIds" value={a.id} />
              <label class="sr-only" for={`pick-${String(props.i)}`}>
                Select {agentLabel(a)}
              </label>
            </>
          )}
        </td>
      )}
      <td>
        {agentLabel(a)}
        <div class="hint mono">{a.id}</div>
      </td>
      <td>
        <LinkCell a={a} />
      </td>
      <td>
        <UserCell a={a} names={props.names} />
      </td>
      <td>
        <LicenseCell a={a} />
      </td>
      <td>
        {a.doNotTrack ? (
          <ui.Badge tone="warn">Do Not Track</ui.Badge>
        ) : (
          <span class="muted">Tracked</span>
        )}
      </td>
      <ui.TimeCell at={utc(a.lastSeen)} />
    </tr>
  )
}

export function AgentTable(props: {
  agents: AgentView[]
  names: ReadonlyMap<string, string>
  selectable: boolean
}) {
  return (
    <div class="table-wrap" id="results" data-count={String(props.agents.length)}>
      <table>
        <caption class="sr-only">User agents</caption>
        <thead>
          <tr>
            {props.selectable && (
              <th scope="col">
                <span class="sr-only">Select</span>
              </th>
            )}
            <th scope="col">Agent</th>
            <th scope="col">Link</th>
            <th scope="col">User</th>
            <th scope="col">License</th>
            <th scope="col">Do Not Track</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((a, i) => (
            <Row a={a} i={i} names={props.names} selectable={props.selectable} />
          ))}
        </tbody>
      </table>
      {props.agents.length === 0 && <p class="empty">No user agents match.</p>}
    </div>
  )
}
