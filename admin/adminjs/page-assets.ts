/**
 * What AdminJS's own page template writes inline, as files: its Content-Security-Policy lets
 * the console run only scripts and style sheets served from its own origin. These follow the
 * contract AdminJS's bundles read at load time (window.REDUX_STATE, THEME, THEME_COMPONENTS,
 * AdminJS, then createRoot(…).render(AdminJS.Application) once they are loaded), as AdminJS
 * 7.8.17's layout template (src/frontend/layout-template.tsx) writes it.
 */

/** Runs after the design-system bundle (for combineStyles) and before AdminJS's app bundle (which reads these globals). */
export const BOOT_SCRIPT = `(function () {
  'use strict';
  var state = JSON.parse(document.getElementById('adminjs-state').textContent);
  window.REDUX_STATE = state;
  window.THEME = window.AdminJSDesignSystem.combineStyles(state.branding.theme || {});
  window.THEME_COMPONENTS = {};
  window.AdminJS = { Components: {} };
})();
`;

/** Runs last in the body, once every bundle is there. */
export const START_SCRIPT = `(function () {
  'use strict';
  window.createRoot(document.getElementById('app')).render(window.AdminJS.Application);
})();
`;

/** AdminJS's page template's style block: Eric Meyer's reset (public domain) and the app's full-height root. */
export const PAGE_STYLE = `html, body, div, span, applet, object, iframe, h1, h2, h3, h4, h5, h6, p, blockquote, pre,
a, abbr, acronym, address, big, cite, code, del, dfn, em, img, ins, kbd, q, s, samp,
small, strike, strong, sub, sup, tt, var, b, u, i, center, dl, dt, dd, ol, ul, li,
fieldset, form, label, legend, table, caption, tbody, tfoot, thead, tr, th, td,
article, aside, canvas, details, embed, figure, figcaption, footer, header, hgroup,
main, menu, nav, output, ruby, section, summary, time, mark, audio, video {
  margin: 0; padding: 0; border: 0; font-size: 100%; font: inherit; vertical-align: baseline;
}
article, aside, details, figcaption, figure, footer, header, hgroup, main, menu, nav, section { display: block; }
*[hidden] { display: none; }
body { line-height: 1; }
ol, ul { list-style: none; }
blockquote, q { quotes: none; }
blockquote:before, blockquote:after, q:before, q:after { content: ''; content: none; }
table { border-collapse: collapse; border-spacing: 0; }
html, body, #app { margin: 0; padding: 0; width: 100%; height: 100%; color: #0c1e29; }
#app { isolation: isolate; }
:root { color-scheme: light; }
`;
