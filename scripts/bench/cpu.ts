/**
 * Server CPU from /proc: the user + system time of every process in a server's process group
 * (npx, wrangler's node, workerd), read before and after a phase. The bench client's own CPU is
 * not in it. Linux only; elsewhere it reads as undefined and the tables leave CPU blank.
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

/** utime + stime (ms) of one process if it is in the group, else 0. */
function processCpuMs(pid: string, pgid: number): number {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return 0 // It exited between the listing and the read.
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (Number(fields[2]) !== pgid) return 0
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond
}

/** CPU ms used so far by the process group `pgid` (a server started detached: its pid). */
export function groupCpuMs(pgid: number): number | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  let total = 0
  for (const name of entries) if (/^\d+$/.test(name)) total += processCpuMs(name, pgid)
  return total
}
