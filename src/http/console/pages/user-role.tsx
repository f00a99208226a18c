/**
 * @module A user's effective role on their page, and where it comes from (Apty's roles assigned
 * to groups): the role of the role-bearing group they joined most recently, else the tenant's
 * default role; in groups-as-roles mode (TrackTik) the most recently joined group is the role.
 */
import type { Child } from 'hono/jsx'
import type { RoleMode } from '../../../directory/effective-role'
import type { UserDetail } from '../../../storage/repos/user-detail'
import { roleText } from './users'

function GroupLink(props: { user: UserDetail; groupId: string }) {
  const group = props.user.groups.find((g) => g.id === props.groupId)
  return <a href={`/console/groups/${props.groupId}`}>{group?.displayName ?? 'a group'}</a>
}

function sourceOf(user: UserDetail, mode: RoleMode): Child {
  const { role } = user
  switch (role?.kind) {
    case undefined:
      return mode === 'groups-as-roles'
        ? 'No role: every group is a role in this tenant, and this user is in no group.'
        : 'No role: no group of this user grants one, and the tenant has no default role.'
    case 'default':
      return 'The tenant’s default role: no group of this user grants a role.'
    case 'group-role':
      return (
        <>
          Granted by the group <GroupLink user={user} groupId={role.viaGroupId ?? ''} />, the
          role-granting group they joined most recently.
        </>
      )
    case 'group':
      return (
        <>
          Every group is a role in this tenant: this is the group{' '}
          <GroupLink user={user} groupId={role.id} />, the group they joined most recently.
        </>
      )
  }
}

export function RoleFacts(props: { user: UserDetail; mode: RoleMode }) {
  return (
    <section class="card" aria-labelledby="role-title">
      <h2 id="role-title">Effective role</h2>
      <p>
        <strong>{roleText(props.user.role)}</strong>
      </p>
      <p class="muted">{sourceOf(props.user, props.mode)}</p>
    </section>
  )
}
