// History in a real browser: each visitor sees only their own conversions. A signed-in user's are recorded for
// them and open again with their SVG; a signed-out browser keeps its own through an httpOnly cookie; nobody
// else can list or open them (404, as for an id that does not exist).
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';

const LOGO = readFileSync('test/fixtures/api/logo-256.png');

async function convert(page: Page, name: string): Promise<string | null> {
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.locator('#file-input').setInputFiles({ name, mimeType: 'image/png', buffer: LOGO });
  await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  return page.getByTestId('ssim').textContent();
}

/** A visitor in a browser of their own (separate cookies), signed out. */
async function stranger(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/**
 * The history lists exactly this visitor's conversions of `name`. Checking "Fast" re-converts after a pause,
 * so one upload can be recorded once or twice depending on timing: count the names, not the rows.
 */
async function expectOnlyOwn(page: Page, name: string | RegExp): Promise<void> {
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText(name);
  await expect(rows.filter({ hasNotText: name })).toHaveCount(0);
}

async function expectHidden(page: Page, href: string): Promise<void> {
  const detail = await page.goto(href);
  expect(detail?.status()).toBe(404);
  const svg = await page.request.get(`${href}/svg`);
  expect(svg.status()).toBe(404);
  const api = await page.request.get(`/api/v1/conversions/${href.split('/').pop()}`);
  expect(api.status()).toBe(404);
}

test('a signed-in user finds their conversion in the history, opens it again, and nobody else can', async ({
  page,
  browser,
}) => {
  const email = `history-${Date.now()}@example.com`;
  await page.goto('/account');
  await page.getByLabel('Email', { exact: true }).nth(1).fill(email);
  await page.getByLabel('Password (8+ characters)').fill('a-good-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  const ssim = await convert(page, `mine-${Date.now()}.png`);

  await page.goto('/history');
  // There is no "Everyone" view any more: the page is always the visitor's own.
  await expect(page.getByRole('link', { name: 'Everyone' })).toHaveCount(0);
  await expectOnlyOwn(page, /mine-\d+\.png/);
  await page.locator('tbody tr').first().getByRole('link').click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(/mine-\d+\.png/);
  const preview = page.getByRole('img', { name: /SVG result of mine-/ });
  await expect
    .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  if (ssim) await expect(page.getByText(ssim.trim()).first()).toBeVisible();
  const svg = await page.request.get((await preview.getAttribute('src'))!);
  expect(svg.headers()['content-type']).toContain('image/svg+xml');
  expect(svg.headers()['content-security-policy']).toContain("default-src 'none'");
  await page.screenshot({ path: 'test-results/history-detail.png', fullPage: true });

  // A signed-out visitor in another browser sees none of it, and its id opens nothing.
  const href = new URL(page.url()).pathname;
  const other = await stranger(browser);
  await other.goto('/history');
  await expect(other.getByText(/mine-\d+\.png/)).toHaveCount(0);
  await expectHidden(other, href);
  await other.context().close();
});

test('a signed-out browser sees its own conversions through its history cookie, and only it does', async ({
  page,
  browser,
}) => {
  const name = `anon-${Date.now()}.png`;
  await convert(page, name);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'svgai_history');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  // Scripts on the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('svgai_history');

  await page.goto('/history');
  await expectOnlyOwn(page, name);
  await page.locator('tbody tr').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  const href = new URL(page.url()).pathname;
  expect((await page.request.get(`${href}/svg`)).status()).toBe(200);

  const other = await stranger(browser);
  const otherName = `other-${Date.now()}.png`;
  await convert(other, otherName);
  await other.goto('/history');
  await expectOnlyOwn(other, otherName);
  await expect(other.getByText(name)).toHaveCount(0);
  await expectHidden(other, href);
  await other.context().close();
});
