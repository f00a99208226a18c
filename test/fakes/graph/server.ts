/**
 * @module The fake Graph as a Node HTTP server on 127.0.0.1, for `npm run dev` and the benchmark:
 * ```
 * node test/fakes/graph/server.ts --port 8788 [--fixture path.json] [--directory <id>]
 * ```
 * Token endpoint: `POST http://127.0.0.1:8788/{directoryId}/oauth2/v2.0/token`; Graph base URL:
 * `http://127.0.0.1:8788/v1.0`; control API under `/_fake` (control.ts). `--directory` defaults
 * to the fixture's `directoryId`. A small node:http <-> fetch adapter, no dependencies.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { arrayBuffer } from 'node:stream/consumers'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createFakeGraph, type FakeGraph } from './app.ts'

const HOST = '127.0.0.1'

async function toRequest(req: IncomingMessage, port: number): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await arrayBuffer(req)
  const url = `http://${req.headers.host ?? `${HOST}:${String(port)}`}${req.url ?? '/'}`
  return new Request(url, {
    method,
    headers,
    ...(body !== undefined && body.byteLength > 0 ? { body } : {}),
  })
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  res.writeHead(response.status, headers)
  res.end(new Uint8Array(await response.arrayBuffer()))
}

/** Serves a fake on 127.0.0.1:port; resolves once listening. */
export function serveFakeGraph(fake: FakeGraph, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    toRequest(req, port)
      .then((request) => fake.fetch(request))
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(error instanceof Error ? error.message : String(error))
      })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, HOST, () => resolve(server))
  })
}

function readFixture(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Cannot read fixture ${path}: ${reason}`, { cause: error })
  }
}

function directoryIdOf(fixture: unknown, explicit: string | undefined): string {
  if (explicit !== undefined) return explicit
  if (typeof fixture === 'object' && fixture !== null && 'directoryId' in fixture) {
    if (typeof fixture.directoryId === 'string') return fixture.directoryId
  }
  throw new Error('--directory is required when the fixture has no "directoryId"')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8788' },
      fixture: { type: 'string' },
      directory: { type: 'string' },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Bad --port ${values.port}`)
  }
  const fake = createFakeGraph()
  let loaded = ''
  if (values.fixture !== undefined) {
    const fixture = readFixture(values.fixture)
    const directoryId = directoryIdOf(fixture, values.directory)
    fake.load(directoryId, fixture)
    loaded = ` (directory ${directoryId} from ${values.fixture})`
  }
  const server = await serveFakeGraph(fake, port)
  const address = server.address()
  const actualPort = typeof address === 'object' && address !== null ? address.port : port
  console.log(`Fake Microsoft Graph listening on http://${HOST}:${String(actualPort)}${loaded}`)
  const stop = (): void => {
    server.close(() => process.exit(0))
    // Keep-alive sockets would otherwise hold the process for their timeout.
    server.closeAllConnections()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  })
}
