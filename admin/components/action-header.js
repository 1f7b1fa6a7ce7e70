import React from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Badge, Box, ButtonGroup, cssClass, H2 } from '@adminjs/design-system';
import {
  Breadcrumbs,
  actionHref,
  buildActionClickHandler,
  buildActionTestId,
  useActionResponseHandler,
  useFilterDrawer,
  useModal,
  useTranslation,
} from 'adminjs';

const h = React.createElement;

/**
 * The heading of a page names what it shows: the resource on its list ("Target Users"), the
 * record on a record's pages (the user's e-mail, the group's name), and the action elsewhere
 * ("New SCIM setting"). AdminJS's header always names the action ("List", "Show"), and its
 * title comes from a translation lookup that cannot take a record's value, so the console
 * overrides the whole header through ComponentLoader.override('ActionHeader') (AdminJS's
 * documented way). Written for adminjs 7.8.17: the layout, buttons and filter toggle follow its
 * action-header.tsx and actions-to-button-group.ts, using only what its browser bundle exports
 * (window.AdminJS), and keep its data-css names; an action shown in a drawer keeps AdminJS's own header.
 */
function heading({ action, resource, record }, translateAction, translateLabel) {
  if (record) return record.title || record.id;
  if (action.name === 'list') return translateLabel(resource.name, resource.id);
  return translateAction(action.label, resource.id);
}

/**
 * An action's address: AdminJS's, and for an action that works on the list as it is filtered
 * (`custom.withListQuery`: the target users' Export), the list's query along.
 */
const paramsFor = (action, params, location) => (action.custom && action.custom.withListQuery ? { ...params, search: location.search } : params);

/** AdminJS's actions-to-button-group: one button per action, nested under its `parent`. */
function buttonsFor(actions, params, handleClick, translateAction, location) {
  const buttons = actions.map((action) => {
    const href = actionHref(action, paramsFor(action, params, location));
    return {
      icon: action.icon,
      label: translateAction(action.label, params.resourceId),
      variant: action.variant,
      source: action,
      href: href || undefined,
      onClick: href ? handleClick : undefined,
      'data-testid': buildActionTestId(action),
      buttons: [],
      'data-css': `${action.resourceId}-${action.name}-button`,
    };
  });
  const byName = {};
  for (const button of buttons) {
    const parentName = button.source.parent;
    if (!parentName) {
      byName[button.source.name] = byName[button.source.name] || button;
      continue;
    }
    const parent = byName[parentName] || buttons.find((b) => b.source.name === parentName) || { label: parentName, buttons: [] };
    parent.buttons = [...(parent.buttons || []), button];
    byName[parentName] = parent;
  }
  return Object.values(byName);
}

export default function ActionHeader(props) {
  const { OriginalComponent, resource, actionPerformed, record, action, tag, omitActions, toggleFilter: filterToggle } = props;
  const translations = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const modalFunctions = useModal();
  const actionResponseHandler = useActionResponseHandler(actionPerformed);
  const { toggleFilter, filtersCount } = useFilterDrawer();

  if (action.showInDrawer) return h(OriginalComponent, props);
  if (action.hideActionHeader) return null;

  const { translateAction, translateButton, translateLabel } = translations;
  const params = { resourceId: resource.id, recordId: record ? record.id : undefined };
  const handleClick = (event, sourceAction) =>
    buildActionClickHandler({ action: sourceAction, params: paramsFor(sourceAction, params, location), actionResponseHandler, navigate, location, translateFunctions: translations, modalFunctions })(event);

  const mainActions = record
    ? record.recordActions.filter((ra) => ra.name !== action.name)
    : resource.resourceActions.filter((ra) => ra.name === 'new' && ra.name !== action.name);
  const actionButtons = buttonsFor(mainActions, params, handleClick, translateAction, location);
  if (filterToggle) {
    actionButtons.push({
      label: translateButton(filtersCount > 0 ? 'filterActive' : 'filter', resource.id, { count: filtersCount }),
      onClick: toggleFilter,
      icon: 'Filter',
      'data-css': `${resource.id}-filter-button`,
    });
  }
  const resourceButtons = action.showResourceActions
    ? buttonsFor(resource.resourceActions.filter((ra) => !['list', 'new'].includes(ra.name)), { resourceId: resource.id }, handleClick, translateAction, location)
    : [];

  return h(
    Box,
    { className: cssClass('ActionHeader'), 'data-css': `${resource.id}-${action.name}-action-header` },
    h(
      Box,
      { flex: true, flexDirection: 'row', px: ['default', 0] },
      h(Breadcrumbs, { resource, actionName: action.name, record }),
      h(Box, { flexShrink: 0 }, h(ButtonGroup, { size: 'sm', rounded: true, buttons: resourceButtons })),
    ),
    h(
      Box,
      { display: ['block', 'flex'] },
      h(
        Box,
        { mt: 'lg', flexGrow: 1, px: ['default', 0] },
        h(H2, { mb: 'lg' }, heading({ action, resource, record }, translateAction, translateLabel), tag ? h(Badge, { variant: 'default', outline: true, ml: 'default' }, tag) : null),
      ),
      omitActions ? null : h(Box, { mt: 'xl', mb: 'default', flexShrink: 0 }, h(ButtonGroup, { buttons: actionButtons })),
    ),
  );
}
