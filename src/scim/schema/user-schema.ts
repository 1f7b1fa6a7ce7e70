import { attr, complex, multiValuedStrings, type SchemaDefinition } from './attribute';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server', description: 'Unique identifier for the User, used by the IdP to match.' }),
    complex('name', [
      attr('formatted', 'string'),
      attr('familyName', 'string'),
      attr('givenName', 'string'),
      attr('middleName', 'string'),
      attr('honorificPrefix', 'string'),
      attr('honorificSuffix', 'string'),
    ]),
    attr('displayName', 'string'),
    attr('nickName', 'string'),
    attr('profileUrl', 'reference', { referenceTypes: ['external'] }),
    attr('title', 'string'),
    attr('userType', 'string'),
    attr('preferredLanguage', 'string'),
    attr('locale', 'string'),
    attr('timezone', 'string'),
    attr('active', 'boolean'),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    multiValuedStrings('emails', ['work', 'home', 'other']),
    multiValuedStrings('phoneNumbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedStrings('ims', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValuedStrings('photos', ['photo', 'thumbnail']),
    complex(
      'addresses',
      [
        attr('formatted', 'string'),
        attr('streetAddress', 'string'),
        attr('locality', 'string'),
        attr('region', 'string'),
        attr('postalCode', 'string'),
        attr('country', 'string'),
        attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean'),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      [
        attr('value', 'string', { mutability: 'readOnly' }),
        attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multiValuedStrings('entitlements', []),
    multiValuedStrings('roles', []),
    multiValuedStrings('x509Certificates', []),
  ],
};

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string'),
    attr('costCenter', 'string'),
    attr('organization', 'string'),
    attr('division', 'string'),
    attr('department', 'string'),
    complex('manager', [
      attr('value', 'string'),
      attr('$ref', 'reference', { referenceTypes: ['User'] }),
      attr('displayName', 'string', { mutability: 'readOnly' }),
      // OneLogin's template (seed 004) sends the manager's id as managerId.
      attr('managerId', 'string'),
    ]),
  ],
};
