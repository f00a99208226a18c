import { describe, it } from 'vitest'
import { SerialQueue } from '../../../src/lib/serial-queue'

const tick = () => new Promise((r) => setTimeout(r, 1))

describe('SerialQueue', () => {
  it('Should run tasks one at a time in arrival order', async ({ expect }) => {
    const queue = new SerialQueue()
    const log: string[] = []
    let running = 0
    const task = (name: string) => async () => {
      running++
      expect(running).toBe(1)
      log.push(`start ${name}`)
      await tick()
      log.push(`end ${name}`)
      running--
      return name
    }
    const results = await Promise.all(['a', 'b', 'c'].map((n) => queue.run(task(n))))
    expect(results).toEqual(['a', 'b', 'c'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })

  it('Should keep going after a task fails, and report the failure to its caller only', async ({
    expect,
  }) => {
    const queue = new SerialQueue()
    const failed = queue.run(() => Promise.reject(new Error('boom')))
    const next = queue.run(() => Promise.resolve('ok'))
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toBe('ok')
  })
})
