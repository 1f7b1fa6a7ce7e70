import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of every console response: scripts, styles, fonts, images and
 * requests only from the console's own origin, so an injected script tag or a markup
 * injection that loads from elsewhere does nothing.
 * - No inline scripts: AdminJS's pages come from the console's template (admin/adminjs/page-layout.ts)
 *   and bull-board keeps its configuration in a JSON data element.
 * - Inline styles are allowed: AdminJS's components (styled-components) and bull-board write
 *   <style> elements and style attributes while they run, and the console's pages carry a style block.
 * - data: images: the design system draws some icons as data URLs.
 */
export function consoleContentSecurityPolicy(): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
}
