/**
 * The fake Microsoft Graph (test/fakes/graph/) served from the calling script's own process on
 * 127.0.0.1, for `npm run dev` and the bench. Node 22 strips the fake's TypeScript types itself
 * (every npm script runs on the `node` devDependency), so no build step is needed.
 */
import type { Server } from 'node:http'
import { createFakeGraph, type FakeGraph } from '../test/fakes/graph/app.ts'
import { serveFakeGraph } from '../test/fakes/graph/server.ts'

/** A fake Graph being served: the fake itself, its server, and where it listens. */
export interface ServedGraph {
  fake: FakeGraph
  server: Server
  port: number
  base: string
}

/**
 * Serves an empty fake on 127.0.0.1:port (0 = a free port the OS picks); load directories with
 * `fake.load(directoryId, fixture)`. Rejects when the port is taken (EADDRINUSE).
 */
export async function startFakeGraph(port: number): Promise<ServedGraph> {
  const fake = createFakeGraph()
  const server = await serveFakeGraph(fake, port)
  const address = server.address()
  if (typeof address !== 'object' || address === null) {
    throw new Error('the fake Graph did not report the port it listens on')
  }
  return { fake, server, port: address.port, base: `http://127.0.0.1:${address.port}` }
}

/** Stops the fake's HTTP server, keep-alive sockets included; resolves once it is closed. */
export function stopFakeGraph(graph: ServedGraph | undefined): Promise<void> {
  if (!graph) return Promise.resolve()
  return new Promise((resolve) => {
    graph.server.close(() => resolve())
    graph.server.closeAllConnections()
  })
}
