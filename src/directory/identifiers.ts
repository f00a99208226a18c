/**
 * @module The identifiers of a user that the product matches agents on, read from the stored
 * SCIM document: UPNs (the ActivTrak extension's `userPrincipalNames`, and `userName`, which
 * Entra maps from userPrincipalName), work emails, and the enterprise `employeeNumber`. All are
 * folded for case-insensitive comparison.
 */
import { isJsonObject } from '../lib/json'
import { fold } from '../lib/text'
import { ACTIVTRAK_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../scim/constants'
import type { ScimDocument } from '../scim/schemas/attribute'

export interface UserIdentifiers {
  userName: string
  /** Folded UPNs: every activtrak userPrincipalNames value, then userName. */
  upns: string[]
  /** Folded work emails (type "work", or untyped). */
  workEmails: string[]
  /** Folded employeeNumber, if any. */
  employeeNumber: string | null
}

const objectAt = (doc: ScimDocument, key: string): Record<string, unknown> => {
  const v = doc[key]
  return isJsonObject(v) ? v : {}
}

const elements = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter(isJsonObject) : []

const unique = (values: string[]): string[] => [...new Set(values)]

export function userIdentifiers(doc: ScimDocument): UserIdentifiers {
  const userName = typeof doc.userName === 'string' ? doc.userName : ''
  const upns = elements(objectAt(doc, ACTIVTRAK_USER_SCHEMA).userPrincipalNames).flatMap((e) =>
    typeof e.value === 'string' && e.value.trim() !== '' ? [fold(e.value.trim())] : []
  )
  const workEmails = elements(doc.emails).flatMap((e) => {
    const type = typeof e.type === 'string' ? fold(e.type) : undefined
    return typeof e.value === 'string' && (type === undefined || type === 'work')
      ? [fold(e.value.trim())]
      : []
  })
  const employee = objectAt(doc, ENTERPRISE_USER_SCHEMA).employeeNumber
  return {
    userName,
    upns: unique([...upns, ...(userName ? [fold(userName.trim())] : [])]),
    workEmails: unique(workEmails),
    employeeNumber:
      typeof employee === 'string' && employee.trim() !== '' ? fold(employee.trim()) : null,
  }
}

/** The ActivTrak extension's `tracking` flag; undefined when the document does not say. */
export function trackingOf(doc: ScimDocument): boolean | undefined {
  const v = objectAt(doc, ACTIVTRAK_USER_SCHEMA).tracking
  return typeof v === 'boolean' ? v : undefined
}

/** RFC 7643 §4.1.1: `active` absent means active. */
export const isActive = (doc: ScimDocument): boolean => doc.active !== false

/** Whether two identifier sets would match agents differently. */
export function sameIdentifiers(a: UserIdentifiers, b: UserIdentifiers): boolean {
  const eq = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i])
  return (
    eq(a.upns, b.upns) && eq(a.workEmails, b.workEmails) && a.employeeNumber === b.employeeNumber
  )
}
