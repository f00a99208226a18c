/**
 * @module Serves the console's stylesheet and script. Their URLs carry a hash of their content,
 * so browsers cache them for good and a new version is fetched as soon as it is deployed.
 */
import { Hono } from 'hono'
import type { ConsoleHonoTypes } from '../context'
import { SCRIPT } from './script'
import { STYLE } from './style'

/** FNV-1a, 32 bits: a content fingerprint for cache busting, not a security hash. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

export const STYLE_URL = `/console/assets/app.${fingerprint(STYLE)}.css`
export const SCRIPT_URL = `/console/assets/app.${fingerprint(SCRIPT)}.js`

const IMMUTABLE = 'public, max-age=31536000, immutable'

export function assetsRouter(): Hono<ConsoleHonoTypes> {
  const app = new Hono<ConsoleHonoTypes>()
  app.get(STYLE_URL.replace('/console/assets', ''), (c) =>
    c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': IMMUTABLE })
  )
  app.get(SCRIPT_URL.replace('/console/assets', ''), (c) =>
    c.body(SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': IMMUTABLE,
    })
  )
  return app
}
