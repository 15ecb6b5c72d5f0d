/**
 * Signs in the way a browser does, through the real /api/auth route (next-auth's CSRF token, then the
 * credentials callback), and returns the Cookie header that carries the session. Test-only.
 */
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';

type AuthRoute = (
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
) => Promise<Response>;

/** name=value pairs from a response's Set-Cookie headers (cleared cookies dropped). */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1);
    if (value) out[pair.slice(0, eq)] = value;
  }
  return out;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

export async function callAuth(
  route: AuthRoute,
  action: string[],
  init: { method?: string; form?: Record<string, string>; cookie?: string; peer?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { [PEER_ADDRESS_HEADER]: init.peer ?? '203.0.113.50' };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  return route(
    new Request(`http://localhost:3000/api/auth/${action.join('/')}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    }),
    { params: Promise.resolve({ nextauth: action }) },
  );
}

/** The sign-in answer and the cookie jar after it (the session cookie when the password was right). */
export async function signIn(
  route: { GET: AuthRoute; POST: AuthRoute },
  email: string,
  password: string,
  peer?: string,
): Promise<{ res: Response; jar: Record<string, string> }> {
  const csrf = await callAuth(route.GET, ['csrf'], { peer });
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await callAuth(route.POST, ['callback', 'credentials'], {
    form: { csrfToken, email, password, json: 'true', callbackUrl: '/account' },
    cookie: cookieHeader(jar),
    peer,
  });
  return { res, jar: { ...jar, ...cookiesOf(res) } };
}
