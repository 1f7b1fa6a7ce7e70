import { ScimError, SCIM_ERROR_SCHEMA } from '../../../src/scim/errors';

describe('ScimError', () => {
  it('renders the RFC 7644 §3.12 body with the status as a string', () => {
    expect(new ScimError(400, 'bad filter', 'invalidFilter').toBody()).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'bad filter',
    });
  });

  it('leaves scimType out when there is none', () => {
    expect(new ScimError(404, 'no such user').toBody()).not.toHaveProperty('scimType');
  });
});
