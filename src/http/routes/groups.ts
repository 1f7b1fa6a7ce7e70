import { Router, type Request, type Response } from 'express';
import type { IntakeContext } from '../context';
import { baseUrl, tenantOf } from '../context';
import { queueProjection } from '../../store/outbox';
import { groupResource } from '../../store/scim-groups';
import { renderResource } from '../../scim/resources/render';
import { selectAttributes } from '../../scim/resources/attribute-selection';
import { listResponse, parsePaging } from '../../scim/resources/list-response';
import { groupResourceType } from '../../scim/schema/resource-types';
import { parsePatchRequest } from '../../scim/patch';
import type { ScimGroupResourceDoc } from '../../models/scim-group-resource';
import { bodyOf, queryText, requireWritable, sendScim } from './respond';

/** Members are not read from the database when the client excludes them (Entra's group lookups). */
function wantsMembers(req: Request): boolean {
  const excluded = queryText(req, 'excludedAttributes');
  const attributes = queryText(req, 'attributes');
  if (attributes) return /(^|,)\s*(urn:ietf:params:scim:schemas:core:2\.0:group:)?members(\.|\s*,|\s*$)/i.test(attributes);
  return !excluded || !/(^|,)\s*(urn:ietf:params:scim:schemas:core:2\.0:group:)?members\s*(,|$)/i.test(excluded);
}

/** RFC 7644 §3 for /Groups. PATCH answers 204 unless the client asks for attributes back. */
export function groupsRouter(ctx: IntakeContext): Router {
  const router = Router();
  const location = (req: Request, res: Response, id: string) => `${baseUrl(ctx.config, req, res)}/Groups/${id}`;
  const render = (req: Request, res: Response, doc: ScimGroupResourceDoc) =>
    selectAttributes(
      renderResource(doc, 'Group', location(req, res, doc._id), doc.members ? { members: groupResource(doc).members } : {}),
      groupResourceType,
      { attributes: queryText(req, 'attributes'), excludedAttributes: queryText(req, 'excludedAttributes') },
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
    const { doc } = await ctx.groups.create(tenant, bodyOf(req));
    await queueProjection(ctx.producer, ctx.logger, 'Group', tenant, doc._id, doc.version, 'create');
    res.location(location(req, res, doc._id));
    sendScim(res, 201, render(req, res, doc));
  });

  router.put('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed } = await ctx.groups.replace(tenant, req.params.id, bodyOf(req));
    if (changed) await queueProjection(ctx.producer, ctx.logger, 'Group', tenant, doc._id, doc.version, 'replace');
    sendScim(res, 200, render(req, res, doc));
  });

  router.patch('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed } = await ctx.groups.patch(tenant, req.params.id, parsePatchRequest(bodyOf(req)).Operations);
    if (changed) await queueProjection(ctx.producer, ctx.logger, 'Group', tenant, doc._id, doc.version, 'patch');
    if (queryText(req, 'attributes') || queryText(req, 'excludedAttributes')) sendScim(res, 200, render(req, res, doc));
    else res.status(204).end();
  });

  router.delete('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const doc = await ctx.groups.delete(tenant, req.params.id);
    await queueProjection(ctx.producer, ctx.logger, 'Group', tenant, doc._id, doc.version, 'delete');
    res.status(204).end();
  });

  return router;
}
