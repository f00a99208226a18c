/**
 * @module Routes a write command to its domain service.
 */
import type { StoredResource } from '../model/resource'
import { createGroup, deleteGroup, patchGroup, replaceGroup } from '../domain/groups'
import { createUser, deleteUser, patchUser, replaceUser } from '../domain/users'
import type { WriteContext } from '../domain/write-context'
import type { WriteCommand } from './commands'

export async function dispatch(
  ctx: WriteContext,
  command: WriteCommand
): Promise<StoredResource | null> {
  switch (command.op) {
    case 'createUser':
      return createUser(ctx, command.body)
    case 'createGroup':
      return createGroup(ctx, command.body)
    case 'replaceUser':
      return replaceUser(ctx, command.id, command.body, command.ifMatch)
    case 'patchUser':
      return patchUser(ctx, command.id, command.body, command.ifMatch)
    case 'replaceGroup':
      return replaceGroup(ctx, command.id, command.body, command.ifMatch)
    case 'patchGroup':
      return patchGroup(ctx, command.id, command.body, command.ifMatch)
    case 'deleteUser':
      await deleteUser(ctx, command.id, command.ifMatch)
      return null
    case 'deleteGroup':
      await deleteGroup(ctx, command.id, command.ifMatch)
      return null
  }
}
