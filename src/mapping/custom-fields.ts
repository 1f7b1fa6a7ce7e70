import { ScimError } from '../scim/errors';
import { findAttribute } from '../scim/schema/attribute';
import { allSchemas, resolveAttribute, userResourceType } from '../scim/schema/resource-types';
import { parsePatchPath, valuesAtPath, type PatchPath } from '../scim/filter';
import { asRecord, field, text } from './values';

/** One row of a SCIM setting's "Map Fields": a SCIM path and the custom field it fills. */
export interface FieldMapping {
  scimPath: string;
  customFieldKey: string;
}

type Problem = { problem: string };

/** The SCIM setting model's limit on a mapping path. */
const MAX_PATH_LENGTH = 300;

const definedSchemas = allSchemas.map((schema) => schema.id.toLowerCase());

/** The values a path selects; a ScimError (a value filter the schema rules out) becomes a problem. */
function select(resource: object, path: PatchPath, source: string): unknown[] | Problem {
  try {
    return valuesAtPath(resource, path, userResourceType);
  } catch (error) {
    if (error instanceof ScimError) return { problem: `"${source}" cannot be used: ${error.detail}.` };
    throw error;
  }
}

/** Checks what the parser cannot know: that the path names a User attribute with text to show. */
function schemaProblem(parsed: PatchPath): string | undefined {
  const { schema, attribute } = parsed.path;
  const resolved = resolveAttribute(userResourceType, schema === undefined ? attribute : `${schema}:${attribute}`);
  if (resolved === undefined) {
    // IdPs may send extensions of their own; their attributes are read from the resource as they arrive.
    if (schema !== undefined && !definedSchemas.includes(schema.toLowerCase())) return undefined;
    return `"${attribute}" is not an attribute of ${schema ?? 'a SCIM User'}.`;
  }
  const definition = resolved.definition;
  if (definition.returned === 'never') return `"${definition.name}" holds a secret that is never stored, so it cannot be mapped.`;
  if (parsed.valueFilter !== undefined && !definition.multiValued) {
    return `"${definition.name}" has a single value, so it cannot take a [filter].`;
  }
  const subAttribute = parsed.path.subAttribute ?? parsed.subAttribute;
  const subAttributes = definition.subAttributes ?? [];
  if (subAttribute !== undefined) {
    return findAttribute(subAttributes, subAttribute) === undefined ? `"${definition.name}" has no part called "${subAttribute}".` : undefined;
  }
  if (subAttributes.length > 0 && findAttribute(subAttributes, 'value') === undefined) {
    // A whole address or name has no single text to put in a column.
    const example = subAttributes.find((s) => s.type === 'string' && s.name !== 'type') ?? subAttributes[0];
    return `"${definition.name}" has several parts; choose one, such as ${definition.name}.${example?.name ?? ''}.`;
  }
  return undefined;
}

/**
 * Parses a mapping path and checks it against the User schema, answering a sentence an admin
 * can act on rather than throwing.
 */
export function compileMappingPath(path: string): PatchPath | Problem {
  const trimmed = path.trim();
  if (trimmed === '') return { problem: 'Enter a SCIM attribute path, such as title or addresses[type eq "work"].locality.' };
  if (trimmed.length > MAX_PATH_LENGTH) return { problem: `A SCIM attribute path can be at most ${MAX_PATH_LENGTH} characters long.` };
  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(trimmed);
  } catch (error) {
    if (error instanceof ScimError) return { problem: `"${trimmed}" is not a valid SCIM attribute path. ${error.detail}.` };
    throw error;
  }
  const problem = schemaProblem(parsed);
  if (problem !== undefined) return { problem };
  // Reading an empty user compiles the value filter, so a filter the schema rules out is reported now.
  const dryRun = select({}, parsed, trimmed);
  return 'problem' in dryRun ? dryRun : parsed;
}

/** For the console when an admin saves mappings: an error message, or undefined when the path is usable. */
export function validateMappingPath(path: string): string | undefined {
  const compiled = compileMappingPath(path);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/** Text for a custom field: scalars as written, an element by its `value`, anything else skipped. */
function textOf(value: unknown): string | null {
  const element = asRecord(value);
  return element === undefined ? text(value) : text(field(element, 'value'));
}

/**
 * Custom field values of one SCIM User. A mapping that no longer compiles or reads is skipped
 * rather than failing the user: paths are validated when the admin saves them, and one stale
 * mapping must not stop every user's sync. When several mappings fill one custom field, the
 * first with a value wins, so their order works as a fallback list.
 */
export function projectCustomFields(resource: object, mappings: ReadonlyArray<FieldMapping>): Record<string, string> {
  const values = new Map<string, string>();
  for (const { scimPath, customFieldKey } of mappings) {
    if (values.has(customFieldKey)) continue;
    const compiled = compileMappingPath(scimPath);
    if ('problem' in compiled) continue;
    const selected = select(resource, compiled, scimPath);
    if ('problem' in selected) continue;
    const found = selected.flat().map(textOf).find((value) => value !== null);
    if (found !== undefined && found !== null) values.set(customFieldKey, found);
  }
  // fromEntries defines own properties, so no key can reach Object.prototype.
  return Object.fromEntries(values);
}
