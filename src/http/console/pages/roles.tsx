/**
 * @module Roles (Apty's roles assigned to groups, TrackTik's groups as roles): the tenant's role
 * mode and a way to switch it, the default role, and in group-roles mode the roles with how many
 * groups carry each, creating one and deleting one behind a confirmation (the domain refuses a
 * role in use and names its groups); in groups-as-roles mode the groups, which are the roles.
 * Every change goes through the tenant's object, which recomputes the users' roles.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { RoleMode } from '../../../directory/effective-role'
import {
  listRoles,
  rolesByIds,
  rolesPage,
  type RoleRow as Role,
} from '../../../storage/repos/roles'
import { listGroups } from '../../../storage/repos/group-list'
import { roleUse } from '../../../storage/repos/role-use'
import { unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConsolePageError } from '../errors'
import { formOf, queryOf } from '../forms'
import { Page } from '../layout'
import { PageQuery } from '../paging'

const MODES: Record<RoleMode, { label: string; explains: string }> = {
  'group-roles': {
    label: 'Group roles',
    explains:
      'A group may grant a role: each user gets the role of the role-bearing group they joined most recently, and users in none get the default role.',
  },
  'groups-as-roles': {
    label: 'Groups as roles',
    explains:
      "Every group is a role: each user's role is the group they joined most recently, and users in no group get the default role.",
  },
}

const NOTICES: Record<string, string> = {
  created: 'The role is created.',
  deleted: 'The role is deleted.',
  mode: "The role mode is switched and every user's role is recomputed.",
  default: 'The default role is changed.',
}

const ModeForm = z.object({ roleMode: z.enum(['group-roles', 'groups-as-roles']) })
const DefaultForm = z.object({ defaultRoleId: z.string().max(200) })
const CreateForm = z.object({ name: z.string().trim().min(1, 'is required').max(200) })

function ModeCard(props: { c: ConsoleContext }) {
  const { tenant, csrfToken } = props.c.var.session
  const other: RoleMode = tenant.roleMode === 'group-roles' ? 'groups-as-roles' : 'group-roles'
  return (
    <section class="card" aria-labelledby="mode-title">
      <h2 id="mode-title" class="row">
        <span>Role mode</span>
        <ui.Badge tone="info">{MODES[tenant.roleMode].label}</ui.Badge>
      </h2>
      <dl class="facts">
        {(['group-roles', 'groups-as-roles'] as const).map((m) => (
          <>
            <dt>{MODES[m].label}</dt>
            <dd>{MODES[m].explains}</dd>
          </>
        ))}
      </dl>
      <form
        method="post"
        action="/console/roles/mode"
        data-confirm={`Switch to ${MODES[other].label}? Every user's role is recomputed at once.`}
        data-confirm-action="Switch"
        class="row mt"
      >
        <ui.Csrf token={csrfToken} />
        <input type="hidden" name="roleMode" value={other} />
        <button type="submit">Switch to {MODES[other].label}</button>
      </form>
    </section>
  )
}

async function DefaultRoleCard(props: { c: ConsoleContext }) {
  const { db, tenant, csrfToken } = props.c.var.session
  const roles = await listRoles(db, tenant.id)
  const who = tenant.roleMode === 'group-roles' ? 'no role-bearing group' : 'no group'
  return (
    <section class="card" aria-labelledby="default-title">
      <h2 id="default-title">Default role</h2>
      <form method="post" action="/console/roles/default" class="filters">
        <ui.Csrf token={csrfToken} />
        <div class="field">
          <label for="f-default">Default role</label>
          <select id="f-default" name="defaultRoleId" aria-describedby="f-default-hint">
            <option value="" selected={tenant.defaultRoleId === null}>
              No default role
            </option>
            {roles.map((r) => (
              <option value={r.id} selected={r.id === tenant.defaultRoleId}>
                {r.name}
              </option>
            ))}
          </select>
          <span class="hint" id="f-default-hint">
            Users in {who} get it; Apty calls it "Content Creator".
          </span>
        </div>
        <button type="submit">Save</button>
      </form>
    </section>
  )
}

function RoleRow(props: { role: Role; groups: number; isDefault: boolean; csrfToken: string }) {
  const { role: r, groups } = props
  return (
    <tr>
      <td>
        {r.name} {props.isDefault && <ui.Badge tone="info">Default</ui.Badge>}
      </td>
      <td>{groups === 0 ? 'No group' : `${String(groups)} group(s)`}</td>
      <ui.TimeCell at={r.createdAt} />
      <td>
        <ui.ConfirmedAction
          action={`/console/roles/${encodeURIComponent(r.id)}/delete`}
          question={`Delete the role "${r.name}"? A role that is the default or that groups carry cannot be deleted: reassign it first.`}
          confirm="Delete role"
          csrfToken={props.csrfToken}
          label="Delete"
          ariaLabel={`Delete ${r.name}`}
          danger
          class="inline"
        />
      </td>
    </tr>
  )
}

async function RoleRows(props: { c: ConsoleContext; cursor: string | undefined; limit: number }) {
  const { db, tenant, csrfToken } = props.c.var.session
  const roles = await rolesPage(db, tenant.id, { limit: props.limit, cursor: props.cursor })
  const use = await roleUse(
    db,
    tenant.id,
    roles.rows.map((r) => r.id)
  )
  return (
    <>
      <div class="table-wrap">
        <table>
          <ui.TableHead caption="Roles" columns={['Role', 'Carried by', 'Created']} actions />
          <tbody>
            {roles.rows.map((r) => (
              <RoleRow
                role={r}
                groups={use.get(r.id) ?? 0}
                isDefault={r.id === tenant.defaultRoleId}
                csrfToken={csrfToken}
              />
            ))}
          </tbody>
        </table>
        {roles.rows.length === 0 && <p class="empty">No roles yet. Create one below.</p>}
      </div>
      <ui.Pager base="/console/roles" query={{}} next={roles.nextCursor} />
      <form method="post" action="/console/roles" class="card filters">
        <ui.Csrf token={csrfToken} />
        <ui.Field name="name" label="New role name" required maxlength={200} />
        <ui.Submit>Create role</ui.Submit>
      </form>
    </>
  )
}

async function GroupRoleRows(props: {
  c: ConsoleContext
  cursor: string | undefined
  limit: number
}) {
  const { db, tenant } = props.c.var.session
  const groups = await listGroups(db, tenant.id, { limit: props.limit, cursor: props.cursor })
  return (
    <>
      <p class="muted">
        Roles come from your identity provider's groups here: to add or remove a role, add or remove
        a group there.
      </p>
      <div class="table-wrap">
        <table>
          <ui.TableHead
            caption="Groups, each a role"
            columns={[
              'Role (group)',
              { label: 'Users', num: true },
              { label: 'User agents', num: true },
            ]}
          />
          <tbody>
            {groups.rows.map((g) => (
              <tr>
                <td>
                  <a href={`/console/groups/${encodeURIComponent(g.id)}`}>{g.displayName}</a>
                </td>
                <td class="num">{String(g.userCount)}</td>
                <td class="num">{String(g.agentCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {groups.rows.length === 0 && <p class="empty">No groups yet, so no roles.</p>}
      </div>
      <ui.Pager base="/console/roles" query={{}} next={groups.nextCursor} />
    </>
  )
}

function RolesPage(props: { c: ConsoleContext; error?: string | undefined }) {
  const { c } = props
  const { session } = c.var
  const q = queryOf(c, PageQuery)
  const notice = NOTICES[c.req.query('done') ?? '']
  const Rows = session.tenant.roleMode === 'group-roles' ? RoleRows : GroupRoleRows
  return (
    <Page title="Roles" session={session} current="/console/roles">
      <ui.PageHead
        title="Roles"
        lede="What each user is in the product: the role their groups give them, or the default role."
      />
      {notice && <ui.Notice tone="ok">{notice}</ui.Notice>}
      {props.error && <ui.Notice tone="bad">{props.error}</ui.Notice>}
      <ModeCard c={c} />
      <DefaultRoleCard c={c} />
      <Rows c={c} cursor={q.cursor} limit={q.limit} />
    </Page>
  )
}

export function rolesPages(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  const writer = (c: ConsoleContext) => sessionWriter(c)
  const done = (c: ConsoleContext, code: string) => c.redirect(`/console/roles?done=${code}`, 303)

  app.get('/roles', (c) => c.html(<RolesPage c={c} />))

  app.post('/roles', async (c) => {
    const { name } = await formOf(c, CreateForm)
    const outcome = await writer(c).createRole(adminEnvelope(c), name)
    if (!outcome.ok) return c.html(<RolesPage c={c} error={outcome.detail} />, outcome.status)
    return done(c, 'created')
  })

  app.post('/roles/:roleId/delete', async (c) => {
    const { db, tenant } = c.var.session
    const [role] = await rolesByIds(db, tenant.id, [c.req.param('roleId')])
    if (!role) throw new ConsolePageError(404, 'There is no such role.')
    const outcome = await writer(c).deleteRole(adminEnvelope(c), role.id)
    if (!outcome.ok) return c.html(<RolesPage c={c} error={outcome.detail} />, outcome.status)
    return done(c, 'deleted')
  })

  app.post('/roles/mode', async (c) => {
    const { roleMode } = await formOf(c, ModeForm)
    unwrap(await writer(c).updateRoleSettings(adminEnvelope(c), { roleMode }))
    return done(c, 'mode')
  })

  app.post('/roles/default', async (c) => {
    const { defaultRoleId } = await formOf(c, DefaultForm)
    const { db, tenant } = c.var.session
    if (defaultRoleId !== '' && (await rolesByIds(db, tenant.id, [defaultRoleId])).length === 0)
      throw new ConsolePageError(404, 'There is no such role.')
    unwrap(
      await writer(c).updateRoleSettings(adminEnvelope(c), {
        defaultRoleId: defaultRoleId === '' ? null : defaultRoleId,
      })
    )
    return done(c, 'default')
  })

  return app
}
