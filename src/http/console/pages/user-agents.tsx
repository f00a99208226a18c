/**
 * @module The user agents linked to a user, on the user's page: how each was linked (the rule:
 * UPN, then work email, then employeeNumber), whether it holds a license, Do Not Track, and the
 * agent it is merged into.
 */
import type { AgentView } from '../../../storage/repos/agent-views'
import * as ui from '../components'
import { LINK_RULES } from '../labels'
import { DntBadge } from './users'

const labelOf = (a: { domain: string; logonName: string }): string => `${a.domain}\\${a.logonName}`

function License(props: { agent: AgentView }) {
  const { agent } = props
  if (agent.state === 'active')
    return (
      <ui.Badge tone="ok">
        {agent.mergedAgents > 0
          ? `Holds a license (also for ${String(agent.mergedAgents)} merged)`
          : 'Holds a license'}
      </ui.Badge>
    )
  return (
    <ui.Badge tone="neutral">
      {agent.state === 'merged' ? 'Merged: no license' : 'Removed: no license'}
    </ui.Badge>
  )
}

function AgentRow(props: { agent: AgentView; into: AgentView | undefined }) {
  const { agent: a, into } = props
  return (
    <tr>
      <td>{labelOf(a)}</td>
      <td>{a.linkRule === null ? '—' : LINK_RULES[a.linkRule]}</td>
      <td>
        <License agent={a} />
      </td>
      <td>
        <DntBadge on={a.doNotTrack} />
      </td>
      <td>{into ? labelOf(into) : (a.mergedInto ?? '—')}</td>
      <ui.TimeCell at={a.lastSeen} />
    </tr>
  )
}

export function UserAgents(props: { agents: AgentView[] }) {
  const byId = new Map(props.agents.map((a) => [a.id, a]))
  return (
    <section class="card" aria-labelledby="agents-title">
      <h2 id="agents-title">User agents</h2>
      {props.agents.length === 0 ? (
        <p class="muted">
          No user agent is linked. An agent links to this user when it reports one of their UPNs, a
          work email or their employeeNumber.
        </p>
      ) : (
        <ui.Table
          caption="User agents of this user"
          captionHidden
          columns={['Agent', 'Linked by', 'License', 'Do Not Track', 'Merged into', 'Last seen']}
        >
          {props.agents.map((a) => (
            <AgentRow agent={a} into={a.mergedInto === null ? undefined : byId.get(a.mergedInto)} />
          ))}
        </ui.Table>
      )}
    </section>
  )
}
