/**
 * Server CPU from /proc: the user + system time of every process in a server's process group
 * (npx, wrangler's node, workerd), read before and after a phase. The bench client's own CPU is
 * not in it. Linux only; elsewhere it reads as undefined and the tables leave CPU blank.
 *
 * `wrangler dev` runs two workerd processes: its proxy, listening on the server's port, which
 * forwards each request and relays the Worker's console and inspector messages to wrangler's
 * node process; and the runtime that serves the Worker itself, its Durable Objects and local D1
 * (on a port of its own). `runtime` is that second one's CPU alone: what a deployed Worker would
 * pay, where the rest is the local tooling's.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU ms of a server's processes: all of them, and the workerd that runs the Worker. */
export interface ServerCpu {
  total: number
  runtime: number
}

/** utime + stime (ms) of one process if it is in the group, else undefined. */
function processCpuMs(pid: string, pgid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined // It exited between the listing and the read.
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (Number(fields[2]) !== pgid) return undefined
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond
}

/** Whether a process is the workerd that runs the Worker, not wrangler's proxy on `port`. */
function isRuntime(pid: string, port: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return args[0]?.endsWith('/workerd') === true && !args.some((a) => a.endsWith(`:${port}`))
  } catch {
    return false
  }
}

/** CPU used so far by the process group `pgid` (a server started detached, serving `port`). */
export function groupCpu(pgid: number, port: string): ServerCpu | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const cpu: ServerCpu = { total: 0, runtime: 0 }
  for (const pid of entries) {
    const ms = /^\d+$/.test(pid) ? processCpuMs(pid, pgid) : undefined
    if (ms === undefined) continue
    cpu.total += ms
    if (isRuntime(pid, port)) cpu.runtime += ms
  }
  return cpu
}
