import { Router, type Request, type Response } from 'express';
import type { IntakeContext } from '../context';
import { baseUrl, tenantOf } from '../context';
import { wakeProjection } from '../../store/outbox';
import { renderResource } from '../../scim/resources/render';
import { selectAttributes } from '../../scim/resources/attribute-selection';
import { listResponse, parsePaging } from '../../scim/resources/list-response';
import { userResourceType } from '../../scim/schema/resource-types';
import { parsePatchRequest } from '../../scim/patch';
import type { ScimUserResourceDoc } from '../../models/scim-user-resource';
import { requestIdOf } from '../request-id';
import { attributeQuery, bodyOf, sendScim, queryText, requireWritable } from './respond';

/** RFC 7644 §3 for /Users. Every write stores its due projection and itself, then wakes the setting's projection. */
export function usersRouter(ctx: IntakeContext): Router {
  const router = Router();
  const location = (req: Request, res: Response, id: string) => `${baseUrl(ctx.config, req, res)}/Users/${id}`;
  const render = (req: Request, res: Response, doc: ScimUserResourceDoc) =>
    selectAttributes(renderResource(doc, 'User', location(req, res, doc._id)), userResourceType, attributeQuery(req));

  router.get('/', async (req, res) => {
    const paging = parsePaging(req.query);
    const page = await ctx.users.list(tenantOf(res), queryText(req, 'filter'), paging, (id) => location(req, res, id));
    sendScim(res, 200, listResponse(page.docs.map((doc) => render(req, res, doc)), page.totalResults, paging));
  });

  router.get('/:id', async (req, res) => {
    sendScim(res, 200, render(req, res, await ctx.users.get(tenantOf(res), req.params.id)));
  });

  router.post('/', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const doc = await ctx.users.create(tenant, bodyOf(req), requestIdOf(req));
    await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    res.location(location(req, res, doc._id));
    sendScim(res, 201, render(req, res, doc));
  });

  router.put('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed } = await ctx.users.replace(tenant, req.params.id, bodyOf(req), requestIdOf(req));
    if (changed) await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    sendScim(res, 200, render(req, res, doc));
  });

  router.patch('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const { doc, changed } = await ctx.users.patch(tenant, req.params.id, parsePatchRequest(bodyOf(req)).Operations, requestIdOf(req));
    if (changed) await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    sendScim(res, 200, render(req, res, doc));
  });

  router.delete('/:id', async (req, res) => {
    requireWritable(ctx, req);
    const tenant = tenantOf(res);
    const doc = await ctx.users.delete(tenant, req.params.id, requestIdOf(req));
    // The groups it leaves record their own due projections; one wake-up covers them all.
    await ctx.groups.removeMemberEverywhere(tenant, doc._id, requestIdOf(req));
    await wakeProjection(ctx.producer, ctx.logger, tenant, requestIdOf(req));
    res.status(204).end();
  });

  return router;
}
