/**
 * @module The phases of a sync that read Microsoft Graph: resolve the parent groups by name,
 * list the groups parent's direct child groups, then page through the transitive user members of
 * every supported child and of the DNT and Delete parents. Each call reads one page and stages
 * it with its paging position.
 */
import type { GraphClient } from '../graph/client'
import { GraphError } from '../graph/errors'
import type { GraphGroup } from '../graph/schemas'
import type { PullSettings } from '../domain/instances'
import { classifyGroup, UNSUPPORTED_REASON } from './entra-mapping'
import { enterPhase, type SyncRun } from './report'
import type { SyncStage } from './stage'

/** A configuration problem an admin must fix; the run stops with this message. */
export class SyncConfigError extends Error {
  override readonly name = 'SyncConfigError'
}

/** What a read phase of a sync step works with: its run, settings, Graph and staging. */
export interface ReadDeps {
  run: SyncRun
  settings: PullSettings
  graph: GraphClient
  stage: SyncStage
}

async function resolveOne(graph: GraphClient, name: string, role: string): Promise<GraphGroup> {
  const found = await graph.findGroupsByDisplayName(name)
  if (found.length === 0) {
    throw new SyncConfigError(
      `The ${role} "${name}" was not found in the Entra directory: check the name in the instance settings`
    )
  }
  if (found.length > 1) {
    const ids = found.map((g) => g.id).join(', ')
    throw new SyncConfigError(
      `${String(found.length)} groups are named "${name}" (${ids}): rename all but the ${role} in Entra ID, or name another group`
    )
  }
  return found[0] as GraphGroup
}

export async function resolveParents({ run, settings, graph, stage }: ReadDeps): Promise<void> {
  const groups = await resolveOne(graph, settings.groupsParent, 'groups parent group')
  if (classifyGroup(groups) === 'm365') {
    throw new SyncConfigError(
      `The groups parent "${settings.groupsParent}" is a Microsoft 365 group, which cannot contain groups: use a security group`
    )
  }
  const dnt = settings.dntParent
    ? await resolveOne(graph, settings.dntParent, 'Do Not Track parent group')
    : undefined
  const del = settings.deleteParent
    ? await resolveOne(graph, settings.deleteParent, 'Delete parent group')
    : undefined
  run.parents = { groups: groups.id, dnt: dnt?.id ?? null, delete: del?.id ?? null }
  stage.addGroups(run.id, [
    ...(dnt
      ? [{ id: dnt.id, displayName: dnt.displayName ?? '', kind: 'dnt-parent' as const }]
      : []),
    ...(del
      ? [{ id: del.id, displayName: del.displayName ?? '', kind: 'delete-parent' as const }]
      : []),
  ])
  enterPhase(run, 'children')
}

/** One page of the groups parent's direct child groups; unsupported kinds are reported. */
export async function readChildrenPage({ run, graph, stage }: ReadDeps): Promise<void> {
  const parent = run.parents.groups ?? ''
  const page = await graph.getGroupsPage(run.link ?? graph.firstPageUrl('childGroups', parent))
  const staged = page.items.map((g) => {
    const kind = classifyGroup(g)
    if (kind !== 'security')
      run.unsupportedGroups.push({
        id: g.id,
        displayName: g.displayName ?? '',
        reason: UNSUPPORTED_REASON[kind],
      })
    return {
      id: g.id,
      displayName: g.displayName ?? g.id,
      kind: kind === 'security' ? ('child' as const) : ('unsupported' as const),
    }
  })
  stage.addGroups(run.id, staged)
  run.link = page.nextLink ?? null
  if (!page.nextLink) enterPhase(run, 'members')
}

/** One page of transitive user members of the next group still being read. Returns its size. */
export async function readMembersPage({ run, graph, stage }: ReadDeps): Promise<number> {
  const group = stage.nextPendingGroup(run.id)
  if (!group) {
    enterPhase(run, 'apply-users')
    return 0
  }
  try {
    const page = await graph.getUsersPage(
      group.nextLink ?? graph.firstPageUrl('transitiveUsers', group.id)
    )
    stage.addMemberPage(run.id, group.id, page.items, page.nextLink)
    return page.items.length
  } catch (error) {
    if (
      !(error instanceof GraphError) ||
      error.failure.kind !== 'notFound' ||
      group.kind !== 'child'
    )
      throw error
    // The child group was deleted while the run read it: it is no longer a child.
    stage.dropGroup(run.id, group.id)
    return 0
  }
}
