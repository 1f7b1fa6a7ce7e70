import { commonAttributes } from './common';
import { findAttribute, type AttributeDefinition, type SchemaDefinition } from './attribute';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, enterpriseUserSchema, userSchema } from './user-schema';
import { GROUP_SCHEMA, groupSchema } from './group-schema';

/**
 * What filters, paths and PATCH need to know about one resource type: its core schema,
 * its extensions, and how to resolve an attribute name (with or without a schema URN prefix).
 */
export interface ResourceTypeDefinition {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  coreSchema: SchemaDefinition;
  extensions: SchemaDefinition[];
}

export const userResourceType: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  coreSchema: userSchema,
  extensions: [enterpriseUserSchema],
};

export const groupResourceType: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  coreSchema: groupSchema,
  extensions: [],
};

export const allSchemas: SchemaDefinition[] = [userSchema, enterpriseUserSchema, groupSchema];

export interface ResolvedAttribute {
  /** The schema URN for an extension attribute; undefined for core and common attributes. */
  extension?: string;
  definition: AttributeDefinition;
}

/**
 * Resolves a top-level attribute name such as `userName`, `urn:…:core:2.0:User:userName`
 * or `urn:…:enterprise:2.0:User:department`, case-insensitively.
 */
export function resolveAttribute(type: ResourceTypeDefinition, fullName: string): ResolvedAttribute | undefined {
  const lower = fullName.toLowerCase();
  for (const extension of type.extensions) {
    const prefix = `${extension.id.toLowerCase()}:`;
    if (lower.startsWith(prefix)) {
      const definition = findAttribute(extension.attributes, fullName.slice(prefix.length));
      return definition ? { extension: extension.id, definition } : undefined;
    }
  }
  const corePrefix = `${type.coreSchema.id.toLowerCase()}:`;
  const name = lower.startsWith(corePrefix) ? fullName.slice(corePrefix.length) : fullName;
  const definition = findAttribute(type.coreSchema.attributes, name) ?? findAttribute(commonAttributes, name);
  return definition ? { definition } : undefined;
}

export { USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA };
