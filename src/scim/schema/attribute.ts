/** RFC 7643 §7 attribute characteristics, as served by /Schemas and used by filters and PATCH. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'subAttributes'>>;

const defaults = {
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
} as const;

export const attr = (name: string, type: AttributeType, options: Options = {}): AttributeDefinition => ({
  name,
  type,
  ...defaults,
  ...options,
});

export const complex = (name: string, subAttributes: AttributeDefinition[], options: Options = {}): AttributeDefinition => ({
  name,
  type: 'complex',
  ...defaults,
  ...options,
  subAttributes,
});

/** The sub-attributes every multi-valued complex attribute of RFC 7643 §2.4 has. */
export const multiValuedStrings = (name: string, canonicalTypes: string[], valueOptions: Options = {}) =>
  complex(
    name,
    [
      attr('value', 'string', valueOptions),
      attr('display', 'string'),
      attr('type', 'string', { canonicalValues: canonicalTypes }),
      attr('primary', 'boolean'),
    ],
    { multiValued: true },
  );

/** Case-insensitive lookup, as RFC 7643 §2.1 makes attribute names case-insensitive. */
export function findAttribute(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === wanted);
}
