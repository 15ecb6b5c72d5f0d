// The attacks of issue 12 against the production build, black-box over HTTP and in a real browser: headers and
// CSP (and that the pages still work under it), framing, problem+json for every /api error, query validation,
// API key scopes, sessions that end on sign-out, sign-up limits, the canonical origin, and ops data kept from
// remote clients. The server trusts one proxy hop (TRUST_PROXY, playwright.config.ts), so a request carrying
// X-Forwarded-For stands for a remote client and one without it for this machine.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';

const LOGO = 'test/fixtures/api/logo-256.png';
const remote = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
let clientCounter = 10;
const freshRemote = () => remote(++clientCounter);

function multipart(query = '') {
  return {
    url: `/api/v1/convert${query}`,
    multipart: { file: { name: 'logo.png', mimeType: 'image/png', buffer: readFileSync(LOGO) } },
  };
}

/** Signs up from a remote client of its own: sign-ups are limited per address (5 an hour). */
async function signUpInBrowser(page: Page, email: string, password = 'a-good-password') {
  await page.setExtraHTTPHeaders(freshRemote());
  await page.goto('/account');
  await page.getByLabel('Email', { exact: true }).nth(1).fill(email);
  await page.getByLabel('Password (8+ characters)').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith('next-auth.session-token'));
  expect(cookie, 'session cookie').toBeTruthy();
  return `${cookie!.name}=${cookie!.value}`;
}

test.describe('headers', () => {
  for (const path of ['/', '/account', '/history', '/docs/api']) {
    test(`${path} sends a nonce CSP, refuses framing and sniffing, and names no framework`, async ({
      request,
    }) => {
      const res = await request.get(path);
      expect(res.status()).toBe(200);
      const h = res.headers();
      expect(h['content-security-policy']).toMatch(
        /script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/,
      );
      expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(h['content-security-policy']).toContain("object-src 'none'");
      expect(h['x-frame-options']).toBe('DENY');
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(h['x-powered-by']).toBeUndefined();
      // The nonce is fresh per response.
      const again = (await request.get(path)).headers()['content-security-policy'];
      expect(again).not.toBe(h['content-security-policy']);
    });
  }

  test('API answers carry a CSP that lets nothing run and are never sniffed', async ({ request }) => {
    const res = await request.get('/api/openapi.json');
    expect(res.headers()['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['x-powered-by']).toBeUndefined();
  });

  test('the pages work under their CSP: no violation while converting, signing up and browsing', async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(m.text()))
        violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Refused to load: CSP ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await page.goto('/');
    await page.locator('#file-input').setInputFiles(LOGO);
    await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
    await signUpInBrowser(page, `csp-${Date.now()}@example.com`);
    await expect(page.getByText(/Signed in as/)).toBeVisible();
    for (const path of ['/history', '/docs/api', '/ops']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    expect(violations).toEqual([]);
  });

  test('a page on another origin cannot frame /account (clickjacking)', async ({ page, baseURL }) => {
    // The attacker's page, served on another origin of this machine (Chrome would block a public origin from
    // framing a loopback address for its own reasons, which would prove nothing about ours).
    const target = new URL('/account', baseURL);
    const attacker = new URL(baseURL!);
    attacker.hostname = attacker.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    await page.route(`${attacker.origin}/attacker`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<iframe src="${target.href}" width="800" height="600"></iframe>`,
      }),
    );
    await page.goto(`${attacker.origin}/attacker`);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(frame).toBeTruthy();
    const heading = await frame
      .evaluate(() => document.querySelector('h1')?.textContent ?? null)
      .catch(() => null);
    // Chrome shows its own "127.0.0.1 is blocked" page in the frame instead of ours.
    expect(heading?.trim() ?? null).not.toBe('Account');
  });
});

test.describe('API surface', () => {
  test('a method a route does not serve is a 405 problem with Allow', async ({ request }) => {
    for (const [method, path, allow] of [
      ['GET', '/api/v1/convert', 'POST, OPTIONS'],
      ['DELETE', '/api/v1/conversions', 'GET, HEAD, OPTIONS'],
      ['PUT', '/api/openapi.json', 'GET, HEAD, OPTIONS'],
    ]) {
      const res = await request.fetch(path, { method });
      expect(res.status(), `${method} ${path}`).toBe(405);
      expect(res.headers()['content-type']).toBe('application/problem+json');
      expect(res.headers()['allow']).toBe(allow);
      expect(await res.json()).toMatchObject({ status: 405, title: 'Method not allowed' });
    }
  });

  test('an unknown /api path is a 404 problem, not an HTML page', async ({ request }) => {
    for (const path of ['/api/v1/nope', '/api/v2/convert', '/api/v1/conversions/x/y']) {
      const res = await request.post(path, { data: {} });
      expect(res.status(), path).toBe(404);
      expect(res.headers()['content-type']).toBe('application/problem+json');
    }
  });

  test('bad query options are a 400 on multipart uploads too', async ({ request }) => {
    for (const query of ['?quality=ultra', '?format=gif', '?mode=sepia', '?colours=3']) {
      const { url, multipart: form } = multipart(query);
      const res = await request.post(url, { multipart: form, headers: freshRemote() });
      expect(res.status(), query).toBe(400);
      expect(res.headers()['content-type']).toBe('application/problem+json');
    }
    const { url, multipart: form } = multipart('?quality=fast&format=json');
    expect((await request.post(url, { multipart: form, headers: freshRemote() })).status()).toBe(200);
  });
});

test.describe('accounts and sessions', () => {
  test('a key with only "Read history" cannot convert', async ({ page, request }) => {
    await signUpInBrowser(page, `scope-${Date.now()}@example.com`);
    await expect(page.getByText(/Signed in as/)).toBeVisible();
    await page.getByLabel('Name').fill('reader');
    await page.getByLabel('Convert images').uncheck();
    await page.getByLabel('Read history').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-api-key').textContent())!.trim();
    const { url, multipart: form } = multipart();
    const res = await request.post(url, { multipart: form, headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(403);
    expect(res.headers()['www-authenticate']).toContain('insufficient_scope');
    expect(
      (await request.get('/api/v1/conversions', { headers: { authorization: `Bearer ${key}` } })).status(),
    ).toBe(200);
  });

  test('a signed-in user opens their own conversion, and sign-out ends the copied session', async ({
    page,
    playwright,
    baseURL,
  }) => {
    await signUpInBrowser(page, `session-${Date.now()}@example.com`);
    await expect(page.getByText(/Signed in as/)).toBeVisible();
    await page.goto('/');
    await page.locator('#file-input').setInputFiles(LOGO);
    await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
    const cookie = await sessionCookie(page);
    const thief = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie } });
    const list = await thief.get('/api/v1/conversions');
    expect(list.status()).toBe(200);
    const [item] = (await list.json()).items as { id: string }[];
    // GET /{id} ignored the session: the list showed the item, opening it answered 404.
    expect((await thief.get(`/api/v1/conversions/${item.id}`)).status()).toBe(200);

    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    // The copy taken before sign-out kept working for 30 days.
    expect((await thief.get('/api/v1/conversions')).status()).toBe(401);
    expect(await (await thief.get('/api/auth/session')).json()).toEqual({});
    await thief.dispose();
  });

  test('"End all sessions" (sign out everywhere) ends the sessions of other browsers too', async ({
    browser,
    page,
  }) => {
    const email = `everywhere-${Date.now()}@example.com`;
    await signUpInBrowser(page, email);
    await expect(page.getByText(/Signed in as/)).toBeVisible();
    const other = await signedInElsewhere(browser, email);
    await page.reload();
    await expect(page.getByRole('row', { name: /Chrome/ })).toHaveCount(2);
    await page.getByRole('button', { name: 'End all sessions' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await other.reload();
    await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await other.context().close();
  });

  test('sign-up is limited per client', async ({ browser }) => {
    const client = freshRemote();
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext({ extraHTTPHeaders: client });
      const page = await context.newPage();
      await page.goto('/account');
      await page.getByLabel('Email', { exact: true }).nth(1).fill(`flood-${Date.now()}-${i}@example.com`);
      await page.getByLabel('Password (8+ characters)').fill('a-good-password');
      await page.getByRole('button', { name: 'Create account' }).click();
      const done = page.getByText(/Signed in as|Too many accounts/);
      await expect(done).toBeVisible();
      outcomes.push((await done.textContent())!.startsWith('Too many') ? 'refused' : 'created');
      await context.close();
    }
    // 30 accounts in 4 s went through before.
    expect(outcomes).toEqual(['created', 'created', 'created', 'created', 'created', 'refused']);
  });

  test('sign-in answers point at APP_URL whatever Host or X-Forwarded-Host say', async ({
    request,
    baseURL,
  }) => {
    const csrf = await request.get('/api/auth/csrf');
    const { csrfToken } = await csrf.json();
    const res = await request.post('/api/auth/signin/credentials', {
      form: { csrfToken, json: 'true' },
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    });
    const { url } = await res.json();
    expect(new URL(url).origin).toBe(new URL(baseURL!).origin);
  });

  test('ten wrong guesses from one client do not lock the owner out from another', async ({
    page,
    request,
  }) => {
    const email = `owner-${Date.now()}@example.com`;
    await signUpInBrowser(page, email, 'the-owners-password');
    await expect(page.getByText(/Signed in as/)).toBeVisible();
    const attempt = async (password: string, headers: Record<string, string>) => {
      const { csrfToken } = await (await request.get('/api/auth/csrf', { headers })).json();
      return request.post('/api/auth/callback/credentials', {
        form: { csrfToken, email, password, json: 'true' },
        headers,
      });
    };
    const attacker = freshRemote();
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(`guess-${i}`, attacker)).status());
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect((await attempt('the-owners-password', freshRemote())).status()).toBe(200);
  });
});

async function signedInElsewhere(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/account');
  await page.getByLabel('Email', { exact: true }).first().fill(email);
  await page.getByLabel('Password', { exact: true }).fill('a-good-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  return page;
}

test.describe('operations data', () => {
  test('remote clients get health status only, no metrics, no ops page or snapshot', async ({ request }) => {
    const headers = freshRemote();
    const health = await request.get('/api/health', { headers });
    const text = await health.text();
    expect(JSON.parse(text).checks).toBeUndefined();
    expect(text).not.toMatch(/pid|node|heap|\/tmp|models\//i);
    const ready = await request.get('/api/health/ready', { headers });
    expect((await ready.json()).checks).toBeUndefined();
    expect(await (await request.get('/api/health/live', { headers })).json()).not.toHaveProperty('pid');
    expect((await request.get('/api/metrics', { headers })).status()).toBe(401);
    expect((await request.get('/ops/snapshot', { headers })).status()).toBe(401);
    expect((await request.get('/ops', { headers })).status()).toBe(404);
  });

  test('this machine (development) sees the details', async ({ request }) => {
    expect((await (await request.get('/api/health')).json()).checks).toBeDefined();
    expect((await request.get('/api/metrics')).status()).toBe(200);
    expect((await request.get('/ops/snapshot')).status()).toBe(200);
  });
});
