// The browser-facing security headers: a nonce-based Content Security Policy for pages, a locked-down one for API
// answers, and the headers every response carries (no framing, no MIME sniffing, no referrer leaks). Plain
// JavaScript on purpose: next.config.mjs applies the fixed ones and proxy.ts the per-page policy, from this one
// file. nginx repeats some of them, but the app never depends on a proxy for them (Vercel has none).

/** On every response: pages, API answers, static files. */
export const COMMON_SECURITY_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  // frame-ancestors in the CSP is the modern form; this covers old browsers and responses without a CSP.
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
});

/** API answers are data, never documents: nothing may load or run if one is opened in a tab. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** A fresh unguessable nonce per page response (128 random bits, base64). */
export function createNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The pages' policy. Scripts run only with this response's nonce ('strict-dynamic' lets Next's loader add its
 * chunks); styles may be inline (React style attributes); images come from us or the page's own blob:/data: URLs
 * (previews of the user's uploads and results). `development` adds what React's dev tools need (eval, the HMR
 * socket); `https` makes the browser upgrade any stray http:// subresource.
 */
export function pageContentSecurityPolicy(nonce, { development, https }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
