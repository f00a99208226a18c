/**
 * @module The integration instance a console URL names, looked up in the signed-in admin's own
 * tenant only: another tenant's instance is a 404, like one that does not exist.
 */
import { instanceView, type InstanceView } from '../../../domain/instances'
import { getInstance } from '../../../storage/repos/instances'
import type { ConsoleContext } from '../context'
import { ConsolePageError } from '../errors'

/** The instance with this id in the signed-in admin's tenant; 404 otherwise. */
export async function instanceById(c: ConsoleContext, id: string): Promise<InstanceView> {
  const { db, tenant } = c.var.session
  const row = await getInstance(db, tenant.id, id)
  if (!row) throw new ConsolePageError(404, 'There is no such integration instance.')
  return instanceView(row)
}

/** The instance named in the path, in the signed-in admin's tenant; 404 otherwise. */
export const instanceOf = (c: ConsoleContext): Promise<InstanceView> =>
  instanceById(c, c.req.param('instanceId') ?? '')
