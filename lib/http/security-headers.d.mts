// Types for lib/http/security-headers.mjs (plain JavaScript so next.config.mjs can import it).
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>>;
export const API_CONTENT_SECURITY_POLICY: string;
export function createNonce(): string;
export function pageContentSecurityPolicy(
  nonce: string,
  options: { development: boolean; https: boolean },
): string;
