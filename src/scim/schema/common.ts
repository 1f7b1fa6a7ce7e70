import { attr, complex, type AttributeDefinition } from './attribute';

/** RFC 7643 §3.1: attributes every resource has, whatever its schema. */
export const commonAttributes: AttributeDefinition[] = [
  attr('id', 'string', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  attr('externalId', 'string', { caseExact: true }),
  complex(
    'meta',
    [
      attr('resourceType', 'string', { mutability: 'readOnly' }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly' }),
      attr('version', 'string', { mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];
