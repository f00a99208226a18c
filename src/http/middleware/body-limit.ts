/**
 * @module The request body limit of every API: one size (`MAX_PAYLOAD_BYTES`, which SCIM
 * advertises as bulk.maxPayloadSize), answered 413 in each API's own error shape. It holds the
 * largest legitimate bodies: a whole group of 50,000 members in one PUT, a batch of 1,000 agent
 * reports.
 */
import { bodyLimit } from 'hono/body-limit'
import { MAX_PAYLOAD_BYTES } from '../../config'

/** Refuses a body over the limit with the error `tooLarge` makes of the message. */
export const payloadLimit = (tooLarge: (status: 413, message: string) => Error) =>
  bodyLimit({
    maxSize: MAX_PAYLOAD_BYTES,
    onError: () => {
      throw tooLarge(
        413,
        `The request body exceeds the maximum of ${String(MAX_PAYLOAD_BYTES)} bytes`
      )
    },
  })
