/**
 * @module A group's page (Apty's User Groups): its members, each with their user agents (every
 * agent of a member counts as a member of its own), and the role it grants, set or cleared here
 * in group-roles mode; in groups-as-roles mode the group itself is the role. Membership is the
 * identity provider's to manage, so the page offers no member editing.
 */
import { groupsAreRoles } from '../../../directory/effective-role'
import { Hono } from 'hono'
import { z } from 'zod'
import { rolesByIds, rolesPage, type RoleRow } from '../../../storage/repos/roles'
import {
  groupMemberCounts,
  groupMemberPage,
  groupSummary,
  type GroupMemberRow,
} from '../../../storage/repos/views'
import type { Page as ListPage } from '../../../storage/page'
import { unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { formOf, queryOf } from '../forms'
import { Page } from '../layout'
import { PageQuery } from '../paging'
import { AGENT_COUNT_NOTE } from './groups'
import { StateBadge } from './users'

/** Roles offered in the role picker; a tenant with more sets the rest through the admin API. */
const ROLES_OFFERED = 200

const NOTICES: Record<string, string> = {
  role: 'The role is set. Members whose role comes from this group have it now.',
  cleared:
    'The group grants no role now. Its members get their role from another group or the default role.',
}

const RoleForm = z.object({ roleId: z.string().max(200) })

type Group = NonNullable<Awaited<ReturnType<typeof groupSummary>>>

/** The group named in the path, in the signed-in admin's tenant; 404 otherwise. */
async function groupOf(c: ConsoleContext): Promise<Group> {
  const { db, tenant } = c.var.session
  const group = await groupSummary(db, tenant.id, c.req.param('groupId') ?? '')
  if (!group) throw new ConsolePageError(404, 'There is no such group.')
  return group
}

function RolePicker(props: { c: ConsoleContext; group: Group; roles: ListPage<RoleRow> }) {
  const { group, roles } = props
  return (
    <form method="post" action={`/console/groups/${group.id}/role`} class="filters">
      <ui.Csrf token={props.c.var.session.csrfToken} />
      <div class="field">
        <label for="f-roleId">Role this group grants</label>
        <select id="f-roleId" name="roleId" aria-describedby="f-roleId-hint">
          <option value="">No role</option>
          {roles.rows.map((r) => (
            <option value={r.id} selected={r.id === group.roleId}>
              {r.name}
            </option>
          ))}
        </select>
        <span class="hint" id="f-roleId-hint">
          {roles.nextCursor === null
            ? 'Roles are managed on the Roles page.'
            : `The first ${String(ROLES_OFFERED)} roles by name; set others through the admin API.`}
        </span>
      </div>
      <ui.Submit>Save role</ui.Submit>
    </form>
  )
}

async function RoleCard(props: { c: ConsoleContext; group: Group }) {
  const { c, group } = props
  const { db, tenant } = c.var.session
  if (groupsAreRoles(tenant.roleMode))
    return (
      <section class="card" aria-labelledby="role-title">
        <h2 id="role-title">Role</h2>
        <p>
          In this tenant every group is a role: this group is the role{' '}
          <strong>{group.displayName}</strong>, held by each member who joined it most recently of
          all their groups.
        </p>
      </section>
    )
  const [roles, current] = await Promise.all([
    rolesPage(db, tenant.id, { limit: ROLES_OFFERED }),
    rolesByIds(db, tenant.id, group.roleId === null ? [] : [group.roleId]),
  ])
  return (
    <section class="card" aria-labelledby="role-title">
      <h2 id="role-title">Role</h2>
      <p>
        {group.roleId === null ? (
          'This group grants no role.'
        ) : (
          <>
            Grants <strong>{current[0]?.name ?? 'a deleted role'}</strong> to its members: each
            holds the role of the role-granting group they joined most recently.
          </>
        )}
      </p>
      <RolePicker c={c} group={group} roles={roles} />
    </section>
  )
}

function MemberRows(props: { members: GroupMemberRow[] }) {
  return (
    <ui.Table
      caption="Member users and their user agents"
      captionHidden
      columns={['Name', 'userName', 'State', 'User agents (each a member)']}
    >
      {props.members.map((m) => (
        <tr>
          <td>
            <a href={`/console/users/${m.id}`}>{m.displayName ?? m.userName}</a>
          </td>
          <td>{m.userName}</td>
          <td>
            <StateBadge active={m.active} />
          </td>
          <td>
            {m.agents.length === 0 ? (
              <span class="muted">None</span>
            ) : (
              <ul class="plain">
                {m.agents.map((a) => (
                  <li>
                    {`${a.domain}\\${a.logonName}`}
                    {a.merged > 0 && (
                      <span class="muted"> (and {String(a.merged)} merged into it)</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </ui.Table>
  )
}

async function MembersCard(props: { c: ConsoleContext; group: Group }) {
  const { c, group } = props
  const { db, tenant } = c.var.session
  const q = queryOf(c, PageQuery)
  const [counts, members] = await Promise.all([
    groupMemberCounts(db, tenant.id, group.id),
    groupMemberPage(db, tenant.id, group.id, { limit: q.limit, cursor: q.cursor }),
  ])
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p>
        <strong>{String(counts.userCount)}</strong> users and{' '}
        <strong>{String(counts.agentCount)}</strong> user agents. {AGENT_COUNT_NOTE}
      </p>
      <p class="muted">
        Membership is managed in your identity provider (Entra ID or Okta assignments and groups, or
        the directory sync’s groups): add or remove members there, and the change shows here with
        its next push or sync.
      </p>
      {members.rows.length === 0 ? (
        <p class="empty">{q.cursor ? 'No more members.' : 'This group has no members.'}</p>
      ) : (
        <MemberRows members={members.rows} />
      )}
      <ui.Pager
        base={`/console/groups/${group.id}`}
        query={{ limit: String(q.limit) }}
        next={members.nextCursor}
      />
    </section>
  )
}

async function GroupPage(props: { c: ConsoleContext }) {
  const { c } = props
  const { session } = c.var
  const group = await groupOf(c)
  const notice = NOTICES[c.req.query('done') ?? '']
  return (
    <Page title={group.displayName} session={session} current="/console/groups">
      <ui.PageHead
        title={group.displayName}
        lede="A group from your identity provider: who is in it, and the role it gives them."
        actions={<a href="/console/groups">All groups</a>}
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      <div class="grid2">
        <section class="card" aria-labelledby="facts-title">
          <h2 id="facts-title">Details</h2>
          <dl class="facts">
            <dt>externalId</dt>
            <dd>{group.externalId ?? <span class="muted">None</span>}</dd>
            <dt>Created</dt>
            <dd>
              <ui.Time at={group.createdAt} />
            </dd>
            <dt>Updated</dt>
            <dd>
              <ui.Time at={group.updatedAt} />
            </dd>
          </dl>
        </section>
        <RoleCard c={c} group={group} />
      </div>
      <MembersCard c={c} group={group} />
    </Page>
  )
}

export function groupPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get('/groups/:groupId', (c) => c.html(<GroupPage c={c} />))
  app.post('/groups/:groupId/role', async (c) => {
    const group = await groupOf(c)
    const { roleId } = await formOf(c, RoleForm)
    if (groupsAreRoles(c.var.session.tenant.roleMode))
      throw new ConsolePageError(
        400,
        'In this tenant every group is a role, so a group grants no other role. Switch the tenant to group-roles mode first.'
      )
    unwrap(
      await sessionWriter(c).setGroupRole(adminEnvelope(c), group.id, roleId === '' ? null : roleId)
    )
    return c.redirect(`/console/groups/${group.id}?done=${roleId === '' ? 'cleared' : 'role'}`, 303)
  })
  return app
}
