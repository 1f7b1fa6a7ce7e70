import { Router, type Request, type Response } from 'express';
import type { IntakeContext } from '../context';
import { baseUrl } from '../context';
import { notFound } from '../../scim/errors';
import { allSchemas, groupResourceType, userResourceType, type ResourceTypeDefinition } from '../../scim/schema/resource-types';
import { commonAttributes } from '../../scim/schema/common';
import { MAX_PAGE_SIZE } from '../../scim/resources/list-response';
import { sendScim } from './respond';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

const list = (resources: unknown[]) => ({
  schemas: [LIST],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
});

/** RFC 7644 §4: what this service provider supports, so IdPs can discover it. */
export function discoveryRouter(ctx: IntakeContext): Router {
  const router = Router();
  const base = (req: Request, res: Response) => baseUrl(ctx.config, req, res);


  const schemaResource = (base: string, schema: (typeof allSchemas)[number]) => ({
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.id === userResourceType.coreSchema.id || schema.id === groupResourceType.coreSchema.id
      ? [...commonAttributes.filter((a) => a.name !== 'meta'), ...schema.attributes]
      : schema.attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  });

  const resourceTypeResource = (base: string, type: ResourceTypeDefinition) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
    description: type.name === 'User' ? 'User Account' : 'Group',
    schema: type.coreSchema.id,
    schemaExtensions: type.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${type.name}` },
  });

  // `/serviceConfiguration` is what a widely used reference client's test collection asks for.
  router.get(['/ServiceProviderConfig', '/serviceConfiguration'], (req, res) => {
    sendScim(res, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: `${base(req, res)}/ServiceProviderConfig`,
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_PAGE_SIZE },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'The secret token of a SCIM setting, sent as "Authorization: Bearer <token>".',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base(req, res)}/ServiceProviderConfig` },
    });
  });

  router.get('/Schemas', (req, res) => sendScim(res, 200, list(allSchemas.map((s) => schemaResource(base(req, res), s)))));
  router.get('/Schemas/:id', (req, res) => {
    const schema = allSchemas.find((s) => s.id.toLowerCase() === req.params.id.toLowerCase());
    if (!schema) throw notFound(`Schema ${req.params.id} not found.`);
    sendScim(res, 200, schemaResource(base(req, res), schema));
  });

  const types = [userResourceType, groupResourceType];
  router.get('/ResourceTypes', (req, res) => sendScim(res, 200, list(types.map((t) => resourceTypeResource(base(req, res), t)))));
  router.get('/ResourceTypes/:name', (req, res) => {
    const type = types.find((t) => t.name.toLowerCase() === req.params.name.toLowerCase());
    if (!type) throw notFound(`Resource type ${req.params.name} not found.`);
    sendScim(res, 200, resourceTypeResource(base(req, res), type));
  });

  return router;
}
