import { badRequest } from '../errors';
import type { AttributeDefinition } from '../schema/attribute';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import type { AttributePath, FilterNode } from './ast';
import { comparison } from './compare';
import { attributeAccessor, elementAccessor, isObject, subAttributeAccessor, type Accessor, type JsonObject } from './locate';

export type ResourceTest = (resource: object) => boolean;

/** Conditions at the top level read the resource; inside `emails[…]` they read one element of `emails`. */
type Scope = { kind: 'resource'; type: ResourceTypeDefinition } | { kind: 'element'; parent: AttributeDefinition | undefined };

/**
 * Resolves the filter against the schema once and returns a test for resources of that type.
 * Throws 400 invalidFilter for comparisons the schema rules out; unknown attributes never throw, they just don't match.
 * Use it directly when testing many resources against one filter.
 */
export function compileFilter(filter: FilterNode, type: ResourceTypeDefinition): ResourceTest {
  const test = compile(filter, { kind: 'resource', type });
  return (resource) => test(resource as JsonObject);
}

/** RFC 7644 §3.4.2.2 semantics; see compileFilter. */
export function matchesFilter(resource: object, filter: FilterNode, type: ResourceTypeDefinition): boolean {
  return compileFilter(filter, type)(resource);
}

/** The inner filter of a value path, as a test on one element of the complex attribute `parent`. */
export function compileElementFilter(filter: FilterNode, parent: AttributeDefinition | undefined): (element: JsonObject) => boolean {
  return compile(filter, { kind: 'element', parent });
}

const never = () => false;

export const pathText = (path: AttributePath) =>
  `${path.schema === undefined ? '' : `${path.schema}:`}${path.attribute}${path.subAttribute === undefined ? '' : `.${path.subAttribute}`}`;

function compile(node: FilterNode, scope: Scope): (from: JsonObject) => boolean {
  switch (node.kind) {
    case 'and': {
      const left = compile(node.left, scope);
      const right = compile(node.right, scope);
      return (from) => left(from) && right(from);
    }
    case 'or': {
      const left = compile(node.left, scope);
      const right = compile(node.right, scope);
      return (from) => left(from) || right(from);
    }
    case 'not': {
      const inner = compile(node.filter, scope);
      return (from) => !inner(from);
    }
    case 'present': {
      const accessor = access(node.path, scope);
      return accessor ? (from) => accessor.read(from).some(isPresent) : never;
    }
    case 'compare': {
      const accessor = access(node.path, scope);
      return accessor ? comparison(accessor, node.operator, node.value, pathText(node.path)) : never;
    }
    case 'valuePath':
      return valuePath(node.path, node.filter, scope);
  }
}

function valuePath(path: AttributePath, filter: FilterNode, scope: Scope): (from: JsonObject) => boolean {
  // The parser never nests value filters; a hand-built AST that does selects nothing.
  const accessor = scope.kind === 'resource' ? access(path, scope) : undefined;
  if (!accessor) return never;
  if (accessor.definition && accessor.definition.type !== 'complex') {
    throw badRequest('invalidFilter', `"${pathText(path)}" is not a complex attribute, so it cannot have a value filter`);
  }
  const test = compileElementFilter(filter, accessor.definition);
  return (from) => accessor.read(from).filter(isObject).some(test);
}

function access(path: AttributePath, scope: Scope): Accessor | undefined {
  let accessor: Accessor | undefined;
  if (scope.kind === 'resource') {
    accessor = attributeAccessor(scope.type, path.schema, path.attribute);
  } else {
    accessor = path.schema === undefined ? elementAccessor(scope.parent, path.attribute) : undefined;
  }
  return accessor && path.subAttribute !== undefined ? subAttributeAccessor(accessor, path.subAttribute) : accessor;
}

/** RFC 7644 `pr`: the attribute has a non-empty value. */
function isPresent(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}
