/**
 * @module The directory sync on its instance's page: how it connects to Microsoft Entra ID (for a
 * consent instance: waiting for consent or connected, see consent.tsx), its settings (parent
 * groups, interval, attribute sync, own-app credentials), "Sync now", a live progress bar while a
 * run goes (the script polls `…/progress`), and the reports of the last runs with their counts,
 * the groups it could not use and the errors with what to fix.
 */
import { Hono } from 'hono'
import { awaitsConsent, type InstanceView } from '../../../domain/instances'
import type { Phase, SyncRun } from '../../../sync/report'
import { tenantWriter, unwrap } from '../../../tenant-do/client'
import * as ui from '../components'
import type { ConsoleContext, ConsoleHonoTypes } from '../context'
import { adminEnvelope, sessionWriter } from '../context'
import { ConnectionCard } from './consent'
import { instanceOf } from './instance-scope'
import { PullFields, pullPatch } from './pull-form'

const PHASES: readonly { phase: Phase; label: string }[] = [
  { phase: 'resolve', label: 'Finding the parent groups' },
  { phase: 'children', label: 'Reading the child groups' },
  { phase: 'members', label: 'Reading the members' },
  { phase: 'apply-users', label: 'Updating users' },
  { phase: 'apply-groups', label: 'Updating groups' },
  { phase: 'remove-groups', label: 'Removing groups that left the parent' },
  { phase: 'apply-dnt', label: 'Applying the Do Not Track group' },
  { phase: 'apply-deletes', label: 'Applying the Delete group' },
  { phase: 'done', label: 'Done' },
]

const STATUS: Record<SyncRun['status'], { label: string; tone: ui.Tone }> = {
  running: { label: 'Running', tone: 'info' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
}

/** How far a run is, for the progress bar: phases done out of all. */
function progressOf(run: SyncRun | undefined) {
  const index = run ? PHASES.findIndex((p) => p.phase === run.phase) : PHASES.length - 1
  const waiting = run?.nextAttemptAt
    ? ` (waiting for Microsoft Graph until ${run.nextAttemptAt})`
    : ''
  return {
    finished: run === undefined || run.status !== 'running',
    done: Math.max(0, index),
    total: PHASES.length - 1,
    label: run ? `${PHASES[index]?.label ?? run.phase}${waiting}` : 'No sync is running',
  }
}

const TRIGGERS: Record<SyncRun['trigger'], string> = {
  manual: 'Sync',
  schedule: 'Scheduled sync',
  retry: 'Retry',
}

const COUNT_LABELS: [keyof SyncRun['counts'], string][] = [
  ['entraUsersSeen', 'Entra users seen'],
  ['linked', 'Linked to an agent'],
  ['usersCreated', 'Users created'],
  ['usersUpdated', 'Users updated'],
  ['groupsCreated', 'Groups created'],
  ['groupsUpdated', 'Groups updated'],
  ['groupsDeleted', 'Groups deleted'],
  ['groupsSkippedNoLinkedUsers', 'Groups waiting for a linked user'],
  ['membersAdded', 'Members added'],
  ['membersRemoved', 'Members removed'],
  ['dntAdded', 'Added to Do Not Track'],
  ['deletionsRequested', 'Users deleted'],
]

function RunReport(props: { run: SyncRun }) {
  const { run } = props
  return (
    <article class="card" aria-labelledby={`run-${run.id}`}>
      <h3 id={`run-${run.id}`} class="row">
        <span>
          {TRIGGERS[run.trigger]} of <ui.Time at={run.startedAt} />
        </span>
        <ui.Badge tone={STATUS[run.status].tone}>{STATUS[run.status].label}</ui.Badge>
      </h3>
      <dl class="facts">
        <dt>Finished</dt>
        <dd>
          <ui.Time at={run.finishedAt} />
        </dd>
        {COUNT_LABELS.map(([key, label]) => (
          <>
            <dt>{label}</dt>
            <dd>{String(run.counts[key])}</dd>
          </>
        ))}
      </dl>
      {run.status === 'failed' && run.retryAt && (
        <p>
          {run.failureKind === 'needs-admin'
            ? 'This needs a change on your side (see the errors). '
            : 'Microsoft Graph was unavailable. '}
          Retried automatically at <ui.Time at={run.retryAt} />.
        </p>
      )}
      {run.usersOutOfScope.count > 0 && (
        <p>
          {String(run.usersOutOfScope.count)} user(s) are no longer under any parent group: they
          stay active with no groups (only the Delete group deletes users)
          {run.usersOutOfScope.sample.length > 0 &&
            `, e.g. ${run.usersOutOfScope.sample.map((u) => u.userName).join(', ')}`}
          .
        </p>
      )}
      {run.unsupportedGroups.length > 0 && (
        <>
          <h4>Groups it could not use</h4>
          <ul>
            {run.unsupportedGroups.map((g) => (
              <li>
                {g.displayName}: {g.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {run.errors.length > 0 && (
        <>
          <h4>Errors</h4>
          <ul>
            {run.errors.map((e) => (
              <li>
                {e.message}
                {e.requestId && <span class="muted"> (Graph request {e.requestId})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  )
}

export async function PullSection(props: { c: ConsoleContext; instance: InstanceView }) {
  const { c, instance } = props
  const { tenant, csrfToken } = c.var.session
  const { runs, nextRunAt } = unwrap(
    await tenantWriter(c.env, tenant.id).syncRuns(adminEnvelope(c), instance.id, 5)
  )
  const running = runs.find((r) => r.status === 'running')
  const progress = progressOf(running)
  const base = `/console/integrations/${instance.id}`
  const waiting = instance.settings !== undefined && awaitsConsent(instance.settings)
  return (
    <>
      <ConnectionCard c={c} instance={instance} />
      <section class="card" aria-labelledby="sync-title">
        <h2 id="sync-title">Sync</h2>
        {running ? (
          <div data-progress-url={`${base}/progress`}>
            <label for="sync-progress">Sync in progress</label>
            <progress id="sync-progress" max={progress.total} value={progress.done} />
            <p data-progress-text aria-live="polite">
              {progress.label}
            </p>
          </div>
        ) : waiting ? (
          <p class="muted">
            No sync runs until your directory is connected: connect it to Microsoft Entra ID above.
          </p>
        ) : (
          <p class="muted">
            Syncs every {String(instance.settings?.intervalHours ?? 24)} hours. Next run:{' '}
            {nextRunAt ? <ui.Time at={nextRunAt} /> : 'none planned (the instance is disabled)'}.
            Start one now to apply changes at once.
          </p>
        )}
        <form method="post" action={`${base}/sync`}>
          <ui.Csrf token={csrfToken} />
          <button type="submit" class="primary" disabled={!instance.enabled || waiting}>
            Sync now
          </button>
        </form>
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Last runs</h2>
        {runs.length === 0 ? (
          <p class="card empty">No sync has run yet.</p>
        ) : (
          runs.map((r) => <RunReport run={r} />)
        )}
      </section>
      <section aria-labelledby="settings-title">
        <ui.PageHead title="Settings" />
        <form method="post" action={`${base}/settings`}>
          <ui.Csrf token={csrfToken} />
          <input type="hidden" name="name" value={instance.name} />
          <PullFields
            current={instance.settings}
            secretSet={instance.settings?.clientSecretSet ?? false}
            auth={instance.settings?.auth ?? 'app'}
          />
          <ui.Submit>Save settings</ui.Submit>
        </form>
      </section>
    </>
  )
}

/** The directory sync's actions: settings, sync now, progress. */
export function pullRoutes(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  const path = '/integrations/:instanceId'
  app.post(`${path}/settings`, async (c) => {
    const instance = await instanceOf(c)
    const patch = pullPatch(await c.req.parseBody())
    unwrap(await sessionWriter(c).updateInstance(adminEnvelope(c), instance.id, patch))
    return c.redirect(`/console/integrations/${instance.id}?done=saved`, 303)
  })
  app.post(`${path}/sync`, async (c) => {
    const instance = await instanceOf(c)
    unwrap(await sessionWriter(c).startSync(adminEnvelope(c), instance.id))
    return c.redirect(`/console/integrations/${instance.id}?done=sync`, 303)
  })
  app.get(`${path}/progress`, async (c) => {
    const instance = await instanceOf(c)
    const { runs } = unwrap(await sessionWriter(c).syncRuns(adminEnvelope(c), instance.id, 1))
    const latest = runs[0]
    return c.json(progressOf(latest?.status === 'running' ? latest : undefined))
  })
  return app
}
