import { jsonForHtml } from '../../../admin/adminjs/page-layout';

describe('AdminJS page state', () => {
  it('cannot close its script element, whatever a value holds, and reads back unchanged', () => {
    const state = { session: { email: '</script><script>alert(1)</script>' }, line: 'a\u2028b\u2029c', comment: '<!-- x -->' };
    const text = jsonForHtml(state);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(state);
  });
});
