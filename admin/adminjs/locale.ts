import type { AdminJSOptions } from './esm';

/** Names in the customer's words (their docs: SCIM Settings, Target Users, Edit Fields, Group By). */
export const CONSOLE_LOCALE: AdminJSOptions['locale'] = {
  language: 'en',
  availableLanguages: ['en'],
  withBackend: false,
  translations: {
    en: {
      actions: {
        rotateToken: 'Rotate token',
        toggleEnabled: 'Disable / enable',
        resync: 'Re-sync',
        setupHelp: 'Setup help',
        members: 'Members',
      },
      buttons: { logout: 'Sign out', login: 'Sign in' },
      components: {
        Login: {
          welcomeHeader: 'SCIM provisioning',
          welcomeMessage: 'Sign in to manage SCIM settings, target users and target groups.',
          properties: { email: 'E-mail', password: 'Password' },
          loginButton: 'Sign in',
        },
      },
      labels: {
        ScimSetting: 'SCIM Settings',
        CustomField: 'Custom Fields',
        TargetUser: 'Target Users',
        TargetGroup: 'Target Groups',
        SyncActivity: 'Sync Activity',
        Company: 'Companies',
        AdminUser: 'Console admins',
        'Company Settings': 'Company Settings',
        'Target Users': 'Target Users',
      },
      // Nested paths are looked up as nested keys, which the resource's own "fieldMappings" label
      // (a string) would shadow; the generic section holds them instead.
      properties: { fieldMappings: { scimPath: 'SCIM attribute', customFieldId: 'Custom field' } },
      messages: {
        invalidCredentials: 'Wrong e-mail or password.',
      },
      resources: {
        ScimSetting: {
          properties: {
            name: 'Name',
            enabled: 'Enabled',
            tokenPrefix: 'Token',
            'token.rotatedAt': 'Token issued',
            createdAt: 'Created',
            lastUsedAt: 'Last used',
            syncedUsers: 'Synced users',
            syncedGroups: 'Synced groups',
            lastActivityAt: 'Last activity',
            fieldMappings: 'Field mappings',
            targetGroupId: 'Target group',
            groupingCriteria: 'Grouping criteria',
            groupByCustomFieldId: 'Group by custom field',
            deletePolicy: 'When the IdP deletes a user',
            rulesVersion: 'Rules version',
            companyId: 'Company',
          },
        },
        CustomField: { properties: { name: 'Name', key: 'Key', companyId: 'Company', createdAt: 'Created' } },
        TargetGroup: {
          properties: { name: 'Name', source: 'Source', memberCount: 'Members', scimSettingId: 'SCIM setting', scimGroupId: 'IdP group id', companyId: 'Company', createdAt: 'Created' },
        },
        TargetUser: {
          properties: {
            email: 'E-mail',
            userName: 'User name',
            firstName: 'First name',
            lastName: 'Last name',
            department: 'Department',
            title: 'Job title',
            phoneNumber: 'Phone number',
            manager: 'Manager',
            customFieldValues: 'Custom fields',
            groupNames: 'Groups',
            groupIds: 'Groups',
            status: 'Status',
            scimSettingId: 'SCIM setting',
            externalId: 'External id',
            scimUserId: 'SCIM id',
            companyId: 'Company',
            'sync.lastSyncedAt': 'Last sync',
            'sync.version': 'SCIM version',
            'sync.rulesVersion': 'Rules version',
          },
        },
        Company: { properties: { name: 'Name', createdAt: 'Created', updatedAt: 'Updated' } },
        AdminUser: {
          properties: { email: 'E-mail', role: 'Role', companyId: 'Company', lastLoginAt: 'Last sign-in', createdAt: 'Created' },
        },
        SyncActivity: {
          properties: {
            at: 'Time',
            operation: 'IdP operation',
            resourceType: 'Resource',
            resourceId: 'Resource id',
            outcome: 'Outcome',
            changes: 'Changed fields',
            changedFields: 'Changed fields',
            error: 'Error',
            scimSettingId: 'SCIM setting',
            companyId: 'Company',
          },
        },
      },
    },
  },
};
