/**
 * The abstract syntax of RFC 7644 §3.4.2.2 filters and §3.5.2 PATCH paths.
 * Attribute names are kept as written; resolution against a schema (case-insensitive)
 * happens where they are evaluated.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterValue = string | number | boolean | null;

/** `urn:…:enterprise:2.0:User:manager.value` → { schema: 'urn:…:enterprise:2.0:User', attribute: 'manager', subAttribute: 'value' } */
export interface AttributePath {
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

export type FilterNode =
  | { kind: 'compare'; path: AttributePath; operator: CompareOperator; value: FilterValue }
  | { kind: 'present'; path: AttributePath }
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  /** `emails[type eq "work" and value co "@example.com"]`: the inner filter is relative to each element. */
  | { kind: 'valuePath'; path: AttributePath; filter: FilterNode };

/**
 * A PATCH target: `members`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:department`, `members[value eq "id"]`.
 */
export interface PatchPath {
  path: AttributePath;
  valueFilter?: FilterNode;
  /** The sub-attribute after a value filter: the `value` of `emails[type eq "work"].value`. */
  subAttribute?: string;
}
