import { Router, type Request, type Response } from 'express';
import type { IntakeContext } from '../context';
import { baseUrl, tenantOf } from '../context';
import { wakeProjection } from '../../store/outbox';
import { syncActivity } from '../../store/sync-activity';
import { groupResource } from '../../store/scim-groups';
import { renderResource } from '../../scim/resources/render';
import { returnsAttribute, selectAttributes } from '../../scim/resources/attribute-selection';
import { listResponse, parsePaging } from '../../scim/resources/list-response';
import { groupResourceType } from '../../scim/schema/resource-types';
import { parsePatchRequest } from '../../scim/patch';
import type { ScimGroupResourceDoc } from '../../models/scim-group-resource';
import type { Tenant } from '../../store/tenant';
import { requestIdOf } from '../request-id';
import { attributeQuery, bodyOf, queryText, requireWritable, sendScim } from './respond';

/** Members are not read from the database when the response leaves them out (Entra's group lookups). */
const wantsMembers = (req: Request) => returnsAttribute(groupResourceType, attributeQuery(req), 'members');

const IGNORED_IDS_SHOWN = 20;

/**
 * Members naming no user of the setting are left out at intake (a 400 would make the IdP
 * retry the whole request, and drop the other members with it, until it quarantines the
 * job). The admin sees them in the sync activity and the log; ids only, no personal data.
 */
async function reportIgnoredMembers(ctx: IntakeContext, req: Request, tenant: Tenant, doc: ScimGroupResourceDoc, ignored: string[]): Promise<void> {
  if (ignored.length === 0) return;
  const shown = ignored.slice(0, IGNORED_IDS_SHOWN).join(', ');
  const more = ignored.length > IGNORED_IDS_SHOWN ? ` and ${ignored.length - IGNORED_IDS_SHOWN} more` : '';
  ctx.logger.warn({ scimSettingId: tenant.scimSettingId.toHexString(), requestId: requestIdOf(req), groupId: doc._id, ignored: ignored.length }, 'group members that are not users of this SCIM setting were ignored');
  // The write is stored and queued: failing to record it must not fail the request.
  await syncActivity
    .record(ctx.models, tenant, {
      operation: `${req.method} /Groups${req.method === 'POST' ? '' : `/${doc._id}`}`,
      resourceType: 'Group',
      resourceId: doc._id,
      version: doc.version,
      outcome: 'rejected',
      changes: ['members'],
      error: `Ignored ${ignored.length} member(s) that are not users of this SCIM setting: ${shown}${more}`,
      displayName: doc.displayName,
      requestId: requestIdOf(req),
    })
    .catch((err: Error) => ctx.logger.error({ err: err.message, groupId: doc._id }, 'could not record ignored group members'));
}

/** RFC 7644 §3 for /Groups. PATCH answers 204 unless the client asks for attributes back. */
export function groupsRouter(ctx: IntakeContext): Router {
  const router = Router();
  const location = (req: Request, res: Response, id: string) => `${baseUrl(ctx.config, req, res)}/Groups/${id}`;
  const render = (req: Request, res: Response, doc: ScimGroupResourceDoc) =>
    selectAttributes(
      renderResource(doc, 'Group', location(req, res, doc._id), doc.members ? { members: groupResource(doc).members } : {}),
      groupResourceType,
      attributeQuery(req),
    );

  router.get('/', async (req, res) => {
    const paging = parsePaging(req.query);
    const page = await ctx.groups.list(tenantOf(res), queryText(req, 'filter'), paging, wantsMembers(req), (id) => location(req, res, id));
    sendScim(res, 200, listResponse(page.docs.map((doc) => render(req, res, doc)), page.totalResults, paging));
  });

  router.get('/:id', async (req, res) => {
    sendScim(res, 200, render(req, res, await ctx.groups.get(tenantOf(res), req.params.id, wantsMembers(req))));
  });

  router.post('/', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, ignoredMembers } = await ctx.groups.create(tenant, bodyOf(req), requestIdOf(req));
    await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    await reportIgnoredMembers(ctx, req, tenant, doc, ignoredMembers);
    res.location(location(req, res, doc._id));
    sendScim(res, 201, render(req, res, doc));
  });

  router.put('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed, ignoredMembers } = await ctx.groups.replace(tenant, req.params.id, bodyOf(req), requestIdOf(req));
    if (changed) await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    await reportIgnoredMembers(ctx, req, tenant, doc, ignoredMembers);
    sendScim(res, 200, render(req, res, doc));
  });

  router.patch('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed, ignoredMembers } = await ctx.groups.patch(tenant, req.params.id, parsePatchRequest(bodyOf(req)).Operations, requestIdOf(req));
    if (changed) await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    await reportIgnoredMembers(ctx, req, tenant, doc, ignoredMembers);
    if (queryText(req, 'attributes') || queryText(req, 'excludedAttributes')) sendScim(res, 200, render(req, res, doc));
    else res.status(204).end();
  });

  router.delete('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    await ctx.groups.delete(tenant, req.params.id, requestIdOf(req));
    await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    res.status(204).end();
  });

  return router;
}
