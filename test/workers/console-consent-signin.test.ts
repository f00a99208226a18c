/**
 * The sign-in that proves an admin consent, through the Worker's fetch: the consent answer's
 * `tenant` comes from the browser, so an admin who swaps it for another customer's directory
 * (one that consented to the same app) must not connect their instance to it. The sign-in's ID
 * token decides: it must name that directory (`tid`, `iss`), this service (`aud`), this attempt
 * (`nonce`) and an administrator who could have consented (`wids`). A code for another
 * directory, a replayed code, an altered or late state, and a sign-in Microsoft refused are all
 * refused with a clear page, and nothing is stored. A silent sign-in that needs the admin falls
 * back to an interactive one.
 */
import { beforeAll, describe, it, vi } from 'vitest'
import {
  answerOf,
  callback,
  connect,
  connectThrough,
  consentHistory,
  LOGIN,
  paramsOf,
  settingsOf,
  signInUrlOf,
  waitingSync,
} from '../support/consent'
import { signedIn } from '../support/console'
import { chooseConsenter, newDirectory, registerOperatorApp } from '../support/graph'

const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'
const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814'

beforeAll(async () => {
  await registerOperatorApp()
})

/** What must hold after a refused attempt: the instance still waits, no history was written. */
async function expectNothingStored(tenantId: string, instanceId: string) {
  return {
    settings: await settingsOf(tenantId, instanceId),
    history: await consentHistory(tenantId, instanceId),
  }
}

/** A customer whose directory consented to the app and is connected (the attack's victim). */
async function victimDirectory(): Promise<string> {
  const victim = await waitingSync(`victim-${crypto.randomUUID().slice(0, 8)}@fabrikam.test`)
  const directory = await newDirectory()
  await chooseConsenter({ directoryId: directory })
  const res = await connectThrough(victim.b, victim.id)
  if (res.status !== 303) throw new Error(`victim: ${String(res.status)}`)
  return directory
}

describe('Console: the sign-in that proves an admin consent', () => {
  it("Should refuse a consent answer whose tenant was swapped for another customer's directory", async ({
    expect,
  }) => {
    const victim = await victimDirectory()
    const { tenant, b, id } = await waitingSync('attacker@acme.test')
    const own = await newDirectory()
    await chooseConsenter({ directoryId: own, preferredUsername: 'mallory@acme.test' })
    const answer = paramsOf(await answerOf(await connect(b, id)))
    expect(answer['tenant']).toBe(own)

    const signIn = await signInUrlOf(b, callback({ ...answer, tenant: victim }))
    expect(signIn.pathname).toBe(`/${victim}/oauth2/v2.0/authorize`)
    const refused = await b.get(await answerOf(signIn))
    expect(refused.status).toBe(403)
    const html = await refused.text()
    expect(html).toContain(
      `You signed in as mallory@acme.test of directory ${own}, but consent was given for directory ${victim}`
    )
    expect(html).toContain('Nothing was changed')
    expect(await expectNothingStored(tenant.id, id)).toEqual({
      settings: expect.objectContaining({ directoryId: null }) as unknown,
      history: [],
    })

    // Nor with a code the attacker gets by signing in to their own directory instead.
    const ownCode = await answerOf(new URL(signIn.toString().replace(`/${victim}/`, `/${own}/`)))
    const mixed = await b.get(ownCode)
    expect(mixed.status).toBe(400)
    expect(await mixed.text()).toContain('AADSTS700005')
    expect(await expectNothingStored(tenant.id, id)).toEqual({
      settings: expect.objectContaining({ directoryId: null }) as unknown,
      history: [],
    })
  })

  it.for([
    [
      'an Application Administrator',
      { wids: [APPLICATION_ADMINISTRATOR] },
      403,
      'is not a Global Administrator or Privileged Role Administrator of directory',
    ],
    ['a token that names no roles', { wids: null }, 503, 'did not say which directory roles'],
    [
      'a token for another application',
      { idTokenClaims: { aud: '77777777-7777-4777-8777-777777777777' } },
      400,
      'issued for another application (77777777-7777-4777-8777-777777777777)',
    ],
    [
      'a token from another issuer',
      { idTokenClaims: { iss: 'https://login.evil.example/x/v2.0' } },
      400,
      'issued by https://login.evil.example/x/v2.0, not by Microsoft Entra ID',
    ],
    [
      'a token for another nonce',
      { idTokenClaims: { nonce: 'someone-elses-nonce' } },
      400,
      'belongs to another attempt to connect',
    ],
    [
      'an expired token',
      { idTokenClaims: { exp: 1_700_000_000 } },
      400,
      'This sign-in answer has expired',
    ],
  ] as const)(
    'Should refuse %s and store nothing',
    async ([, admin, status, message], { expect }) => {
      const { tenant, b, id } = await waitingSync(
        `signin-${crypto.randomUUID().slice(0, 8)}@acme.test`
      )
      const directory = await newDirectory()
      await chooseConsenter({
        directoryId: directory,
        preferredUsername: '<script>alert(1)</script>@acme.test',
        ...admin,
      })
      const res = await connectThrough(b, id)
      expect(res.status).toBe(status)
      const html = await res.text()
      expect(html).toContain(message)
      expect(html).not.toContain('<script>alert(1)')
      expect(await expectNothingStored(tenant.id, id)).toEqual({
        settings: expect.objectContaining({ directoryId: null }) as unknown,
        history: [],
      })
    }
  )

  it('Should accept a Privileged Role Administrator and fall back to an interactive sign-in', async ({
    expect,
  }) => {
    const { tenant, b, id, path } = await waitingSync('signin-mfa@acme.test')
    const directory = await newDirectory()
    await chooseConsenter({
      directoryId: directory,
      wids: [PRIVILEGED_ROLE_ADMINISTRATOR],
      requiresInteraction: true,
    })
    const silent = await signInUrlOf(b, await answerOf(await connect(b, id)))
    expect(silent.searchParams.get('prompt')).toBe('none')
    const needsMore = await answerOf(silent)
    expect(paramsOf(needsMore)['error']).toBe('interaction_required')
    const interactive = await signInUrlOf(b, needsMore)
    expect(`${interactive.origin}${interactive.pathname}`).toBe(
      `${LOGIN}/${directory}/oauth2/v2.0/authorize`
    )
    expect(interactive.searchParams.get('prompt')).toBeNull()
    expect(interactive.searchParams.get('nonce')).toBe(silent.searchParams.get('nonce'))
    const done = await b.get(await answerOf(interactive))
    expect(done.headers.get('Location')).toBe(`${path}?done=connected`)
    expect(await settingsOf(tenant.id, id)).toMatchObject({ directoryId: directory })
  })

  it('Should show what Microsoft said when the sign-in itself is refused', async ({ expect }) => {
    const { tenant, b, id } = await waitingSync('signin-denied@acme.test')
    await chooseConsenter({ directoryId: await newDirectory(), requiresInteraction: true })
    const interactive = await signInUrlOf(
      b,
      await answerOf(await signInUrlOf(b, await answerOf(await connect(b, id))))
    )
    const state = interactive.searchParams.get('state') ?? ''
    const res = await b.get(
      callback({
        state,
        error: 'access_denied',
        error_description: 'AADSTS50105: The signed in user <b>x</b> is not assigned to a role.',
      })
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Sign-in was not completed')
    expect(html).toContain('AADSTS50105: The signed in user &lt;b&gt;x&lt;/b&gt;')
    expect(html).toContain(`href="/console/integrations/${id}/connect"`)
    expect(await expectNothingStored(tenant.id, id)).toEqual({
      settings: expect.objectContaining({ directoryId: null }) as unknown,
      history: [],
    })
  })

  it('Should refuse a sign-in answer altered, from another session, mixed, replayed or late', async ({
    expect,
  }) => {
    const { tenant, b, id } = await waitingSync('signin-replay@acme.test')
    const other = await signedIn(tenant.id, { email: 'signin-replay-b@acme.test' })
    const directory = await newDirectory()
    await chooseConsenter({ directoryId: directory })
    const first = await signInUrlOf(b, await answerOf(await connect(b, id)))
    const second = await signInUrlOf(b, await answerOf(await connect(b, id)))
    const answer = await answerOf(first)
    const params = paramsOf(answer)
    const state = params['state'] ?? ''

    expect(await (await other.get(answer)).text()).toContain('does not belong to your session')
    for (const altered of [
      state.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
      state.replace(directory, crypto.randomUUID()),
      state.replace(/\.s\./, '.i.'),
    ]) {
      const res = await b.get(callback({ ...params, state: altered }))
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('does not belong to your session')
    }
    // The code of one attempt with the state of another: the ID token's nonce gives it away.
    const mixed = await b.get(
      callback({ ...params, state: second.searchParams.get('state') ?? '' })
    )
    expect(mixed.status).toBe(400)
    expect(await mixed.text()).toContain('belongs to another attempt to connect')
    expect(await expectNothingStored(tenant.id, id)).toEqual({
      settings: expect.objectContaining({ directoryId: null }) as unknown,
      history: [],
    })

    expect((await b.get(await answerOf(first))).status).toBe(303)
    const replayedCode = await b.get(answer)
    expect(replayedCode.status).toBe(400)
    expect(await replayedCode.text()).toContain('AADSTS54005')
    const replayedState = await b.get(await answerOf(first))
    expect(replayedState.status).toBe(409)
    expect(await replayedState.text()).toContain('used already')
    expect(await consentHistory(tenant.id, id)).toHaveLength(1)

    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const late = await signInUrlOf(b, await answerOf(await connect(b, id)))
      vi.setSystemTime(Date.now() + 11 * 60_000)
      const res = await b.get(await answerOf(late))
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('more than 10 minutes after you started')
    } finally {
      vi.useRealTimers()
    }
    expect(await consentHistory(tenant.id, id)).toHaveLength(1)
  })
})
