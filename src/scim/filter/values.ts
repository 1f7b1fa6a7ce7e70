import type { ResourceTypeDefinition } from '../schema/resource-types';
import type { PatchPath } from './ast';
import { compileElementFilter } from './evaluate';
import { attributeAccessor, elementAccessor, isObject, subAttributeAccessor, type Accessor, type JsonObject } from './locate';

/**
 * The values a path selects in a resource, multi-valued attributes flattened and absent values
 * left out: `name.givenName` → ['Barbara'], `emails` → the email objects,
 * `addresses[type eq "work"].locality` → the locality of each work address,
 * `urn:…:enterprise:2.0:User:manager.value` → the manager's id.
 * Attributes of extensions we do not define are found by key, case-insensitively, and their
 * simple values come back as strings. A path the resource type cannot have selects nothing;
 * a value filter that compares wrongly for the schema throws 400 invalidFilter.
 */
export function valuesAtPath(resource: object, path: PatchPath, type: ResourceTypeDefinition): unknown[] {
  const from = resource as JsonObject;
  let accessor = attributeAccessor(type, path.path.schema, path.path.attribute);
  if (accessor && path.path.subAttribute !== undefined) accessor = subAttributeAccessor(accessor, path.path.subAttribute);
  if (!accessor) return [];
  if (!path.valueFilter) return asSelected(accessor, accessor.read(from));

  if (accessor.definition && accessor.definition.type !== 'complex') return [];
  const test = compileElementFilter(path.valueFilter, accessor.definition);
  const elements = accessor.read(from).filter(isObject).filter(test);
  if (path.subAttribute === undefined) return elements;
  const sub = elementAccessor(accessor.definition, path.subAttribute);
  return sub ? asSelected(sub, elements.flatMap((element) => sub.read(element))) : [];
}

/** Custom extension attributes have no schema, so their simple values are taken as strings. */
function asSelected(accessor: Accessor, values: unknown[]): unknown[] {
  if (accessor.definition) return values;
  return values.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v));
}
