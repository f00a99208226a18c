/**
 * @module The core User schema, attribute for attribute as RFC 7643 §4.1 and §8.7.1 define it
 * (descriptions abridged where the RFC repeats itself).
 */
import { CORE_USER_SCHEMA } from '../constants'
import type { AttributeDef, SchemaDef } from './attribute'
import { attribute, complex, plural } from './define'

const text = (name: string, description: string): AttributeDef =>
  attribute(name, 'string', description)

const NAME = complex(
  'name',
  "The components of the user's real name.  Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.",
  [
    text(
      'formatted',
      "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III')."
    ),
    text(
      'familyName',
      "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III')."
    ),
    text(
      'givenName',
      "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III')."
    ),
    text(
      'middleName',
      "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III')."
    ),
    text(
      'honorificPrefix',
      "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III')."
    ),
    text(
      'honorificSuffix',
      "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III')."
    ),
  ]
)

const WORK_HOME_OTHER = ['work', 'home', 'other'] as const

const ADDRESSES = complex(
  'addresses',
  "A physical mailing address for this User.  Canonical type values of 'work', 'home', and 'other'.",
  [
    text(
      'formatted',
      'The full mailing address, formatted for display or use with a mailing label.  This attribute MAY contain newlines.'
    ),
    text(
      'streetAddress',
      'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.  This attribute MAY contain newlines.'
    ),
    text('locality', 'The city or locality component.'),
    text('region', 'The state or region component.'),
    text('postalCode', 'The zip code or postal code component.'),
    text('country', 'The country name component.'),
    attribute(
      'type',
      'string',
      "A label indicating the attribute's function, e.g., 'work' or 'home'.",
      {
        canonicalValues: WORK_HOME_OTHER,
      }
    ),
    // RFC 7643 §8.7.1 omits `primary` here, but §4.1.2 and §2.4 give every multi-valued
    // attribute one, and IdPs send it ("primary": true on the work address).
    attribute(
      'primary',
      'boolean',
      "A Boolean value indicating the 'primary' or preferred mailing address.  The primary attribute value 'true' MUST appear no more than once."
    ),
  ],
  { multiValued: true }
)

/** The User's groups are derived from Group membership, so every part of them is readOnly. */
const GROUPS = complex(
  'groups',
  'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
  [
    attribute('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
    attribute(
      '$ref',
      'reference',
      "The URI of the corresponding 'Group' resource to which the user belongs.",
      {
        referenceTypes: ['User', 'Group'],
        mutability: 'readOnly',
      }
    ),
    attribute(
      'display',
      'string',
      'A human-readable name, primarily used for display purposes.  READ-ONLY.',
      {
        mutability: 'readOnly',
      }
    ),
    attribute(
      'type',
      'string',
      "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.",
      {
        canonicalValues: ['direct', 'indirect'],
        mutability: 'readOnly',
      }
    ),
  ],
  { multiValued: true, mutability: 'readOnly' }
)

/** RFC 7643 §4.1 / §8.7.1, core User. */
export const USER_SCHEMA_DEF = {
  id: CORE_USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute(
      'userName',
      'string',
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.  Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users.  REQUIRED.",
      {
        required: true,
        uniqueness: 'server',
      }
    ),
    NAME,
    text(
      'displayName',
      'The name of the User, suitable for display to end-users.  The name SHOULD be the full name of the User being described, if known.'
    ),
    text(
      'nickName',
      "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'."
    ),
    attribute(
      'profileUrl',
      'reference',
      "A fully qualified URL pointing to a page representing the User's online profile.",
      {
        referenceTypes: ['external'],
      }
    ),
    text('title', 'The user\'s title, such as "Vice President."'),
    text(
      'userType',
      "Used to identify the relationship between the organization and the user.  Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used."
    ),
    text(
      'preferredLanguage',
      "Indicates the User's preferred written or spoken language.  Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US."
    ),
    text(
      'locale',
      "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."
    ),
    text(
      'timezone',
      "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."
    ),
    attribute('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    attribute(
      'password',
      'string',
      "The User's cleartext password.  This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      {
        mutability: 'writeOnly',
        returned: 'never',
      }
    ),
    plural(
      'emails',
      "Email addresses for the user.  Canonical type values of 'work', 'home', and 'other'.",
      {
        value: text(
          'value',
          "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'."
        ),
        typeDescription: "A label indicating the attribute's function, e.g., 'work' or 'home'.",
        typeValues: WORK_HOME_OTHER,
        primaryExample: 'the preferred mailing address or primary email address',
      }
    ),
    plural(
      'phoneNumbers',
      "Phone numbers for the User.  The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'.  Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      {
        value: text('value', 'Phone number of the User.'),
        typeDescription:
          "A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.",
        typeValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
        primaryExample: 'the preferred phone number or primary phone number',
      }
    ),
    plural('ims', 'Instant messaging addresses for the User.', {
      value: text('value', 'Instant messaging address for the User.'),
      typeDescription: "A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.",
      typeValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
      primaryExample: 'the preferred messenger or primary messenger',
    }),
    plural('photos', 'URLs of photos of the User.', {
      value: attribute('value', 'reference', 'URL of a photo of the User.', {
        referenceTypes: ['external'],
      }),
      typeDescription: "A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.",
      typeValues: ['photo', 'thumbnail'],
      primaryExample: 'the preferred photo or thumbnail',
    }),
    ADDRESSES,
    GROUPS,
    plural(
      'entitlements',
      'A list of entitlements for the User that represent a thing the User has.',
      {
        value: text('value', 'The value of an entitlement.'),
        typeDescription: "A label indicating the attribute's function.",
      }
    ),
    plural(
      'roles',
      "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
      {
        value: text('value', 'The value of a role.'),
        typeDescription: "A label indicating the attribute's function.",
        typeValues: [],
      }
    ),
    plural('x509Certificates', 'A list of certificates issued to the User.', {
      value: attribute('value', 'binary', 'The value of an X.509 certificate.'),
      typeDescription: "A label indicating the attribute's function.",
      typeValues: [],
    }),
  ],
} satisfies SchemaDef
