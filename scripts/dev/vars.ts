/**
 * .dev.vars for `npm run dev`: copied from .dev.vars.example when missing; an existing one that
 * lacks keys the example has (e.g. GRAPH_BASE_URL, GRAPH_TOKEN_URL, SECRETS_KEY, added with the
 * pull sync) gets them appended, with their comments, so an old checkout keeps working.
 */
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs'

const VARS = '.dev.vars'
const EXAMPLE = '.dev.vars.example'
const KEY_LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/

/** The key=value pairs of a .dev.vars-style text (dotenv syntax, quotes removed). */
function parseVars(text: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = KEY_LINE.exec(line)
    if (m?.[1] !== undefined && m[2] !== undefined)
      vars.set(m[1], m[2].replace(/^(["'])(.*)\1$/, '$2'))
  }
  return vars
}

/** Each key of the example with the comment lines right above it (a blank line ends a comment). */
function exampleBlocks(text: string): { key: string; lines: string[] }[] {
  const blocks: { key: string; lines: string[] }[] = []
  let comments: string[] = []
  for (const line of text.split('\n')) {
    const m = KEY_LINE.exec(line)
    if (m?.[1] !== undefined) {
      blocks.push({ key: m[1], lines: [...comments, line] })
      comments = []
    } else comments = line.trim().startsWith('#') ? [...comments, line] : []
  }
  return blocks
}

function appendMissing(): void {
  const current = readFileSync(VARS, 'utf8')
  const have = parseVars(current)
  const missing = exampleBlocks(readFileSync(EXAMPLE, 'utf8')).filter((b) => !have.has(b.key))
  if (missing.length === 0) return
  const text = missing.flatMap((b) => b.lines).join('\n')
  const sep = current === '' || current.endsWith('\n') ? '' : '\n'
  appendFileSync(VARS, `${sep}# Added by npm run dev from ${EXAMPLE}:\n${text}\n`)
  console.log(`Added ${missing.map((b) => b.key).join(', ')} to ${VARS} (from ${EXAMPLE})`)
}

/** Makes sure .dev.vars exists and has every key of the example; returns its values. */
export function prepareDevVars(): Map<string, string> {
  if (!existsSync(VARS)) {
    copyFileSync(EXAMPLE, VARS)
    console.log(`Created ${VARS} from ${EXAMPLE}`)
  } else appendMissing()
  return parseVars(readFileSync(VARS, 'utf8'))
}
