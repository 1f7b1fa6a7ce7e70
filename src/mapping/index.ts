export { mapScimUser } from './map-scim-user';
export { TARGET_USER_FIELDS, type MappedTargetUser } from './mapped-target-user';
export { compileMappingPath, validateMappingPath, projectCustomFields, type FieldMapping } from './custom-fields';
export { decideGroups, targetGroupName, MAX_GROUP_NAME_LENGTH, type GroupDecision, type GroupDecisionInput } from './group-by';
export { changedFields } from './changed-fields';
