/**
 * @module Fields of the console's GET filter forms. A form sends every control, so a select left
 * on "All" or an empty text box arrives as `name=`: that means "no filter", never a bad value.
 */
import { z } from 'zod'

/** `schema`, or missing when the form left the control empty. */
export const optionalField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

/** An id from a link or a form (looked up in the session's tenant before use). */
export const IdField = z.string().trim().min(1).max(200)

/** A cursor of a list ordered by agent id: the agent's own id, any text up to 200 characters. */
export const AgentCursor = z.string().min(1).max(200)
