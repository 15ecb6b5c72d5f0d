// History in a real browser: a signed-in user's conversions are recorded for them, listed under "Only mine",
// and open again with their SVG.
import { expect, test } from '@playwright/test';

test('a signed-in user finds their conversion in the history and opens it again', async ({ page }) => {
  const email = `history-${Date.now()}@example.com`;
  await page.goto('/account');
  await page.getByLabel('Email', { exact: true }).nth(1).fill(email);
  await page.getByLabel('Password (8+ characters)').fill('a-good-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.locator('#file-input').setInputFiles({
    name: `mine-${Date.now()}.png`,
    mimeType: 'image/png',
    buffer: (await import('node:fs')).readFileSync('test/fixtures/api/logo-256.png'),
  });
  const ssim = await page.getByTestId('ssim').textContent();
  await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);

  await page.goto('/history?mine=1');
  await expect(page.getByRole('link', { name: 'Only mine' })).toHaveAttribute('aria-current', 'page');
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(/^.*mine-\d+\.png/);
  await rows.first().getByRole('link').click();

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
});
