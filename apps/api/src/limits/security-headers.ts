import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The one inline script the console's index.html carries: Angular's critical-CSS loader,
 * `<link rel="stylesheet" media="print" onload="this.media='all'">`. Allowed by its hash alone ('unsafe-hashes'
 * covers event-handler attributes), so no other inline script or handler can run.
 */
const ANGULAR_STYLESHEET_ONLOAD = "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='";

/**
 * Content-Security-Policy for everything the API serves: JSON, the console (scripts and styles from this origin;
 * Angular writes component styles inline; transcripts and audio previews are blob: URLs) and Swagger UI (external
 * scripts, inline styles, data: images). Nothing may frame it, post forms elsewhere, or load plugins.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'unsafe-hashes'", ANGULAR_STYLESHEET_ONLOAD],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
};

/** One year; no includeSubDomains or preload: sibling hosts of the domain are not ours to commit to HTTPS. */
const HSTS = 'max-age=31536000';

/**
 * helmet's defaults (nosniff, frame and opener isolation, no referrer leaks, …) with our CSP. HSTS only on requests
 * that came over HTTPS (`req.secure`: the socket, or X-Forwarded-Proto from a proxy TRUST_PROXY trusts): a browser
 * ignores it over plain HTTP anyway, and a laptop on http://localhost must never be pinned to HTTPS.
 * `upgrade-insecure-requests` is left out for the same reason.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: false,
    // The legacy twin of frame-ancestors 'none', for browsers that predate CSP 2.
    xFrameOptions: { action: 'deny' },
  });
  const hsts = (request: Request, response: Response, next: NextFunction): void => {
    if (request.secure) response.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
  return [headers, hsts];
}
