export type { AttributePath, CompareOperator, FilterNode, FilterValue, PatchPath } from './ast';
export { parseFilter, parsePatchPath, MAX_INPUT_LENGTH, MAX_NESTING } from './parser';
export { compileFilter, matchesFilter, type ResourceTest } from './evaluate';
export { valuesAtPath } from './values';
export { toMongoPrefilter, type MongoPrefilter, type PrefilterField } from './mongo-prefilter';
export { limitFilterCost, MAX_FILTER_CONDITIONS } from './filter-cost';
