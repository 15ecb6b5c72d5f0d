// The account page in a real browser: sign up (a validation error keeps the form), create an API key shown
// once, use it on the API, revoke it, sign out and back in. Screenshot kept under test-results/.
import { expect, test } from '@playwright/test';

test('sign up, create an API key shown once, use and revoke it, sign in again', async ({
  page,
  request,
}, testInfo) => {
  const email = `e2e-${Date.now()}@example.com`;
  await page.goto('/account');

  await page.getByLabel('Email', { exact: true }).nth(1).fill(email);
  await page.getByLabel('Password (8+ characters)').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('p[role=alert]')).toHaveText('Use at least 8 characters.');
  // React resets forms after an action; the email must survive the error.
  await expect(page.getByLabel('Email', { exact: true }).nth(1)).toHaveValue(email);
  await page.getByLabel('Password (8+ characters)').fill('a-good-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();

  await page.getByLabel('Name').fill('e2e bot');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^svgai_[A-Za-z0-9_-]{43}$/);

  const withKey = await request.post('/api/v1/convert', {
    headers: { authorization: `Bearer ${key}` },
    data: {},
  });
  const wrongKey = await request.post('/api/v1/convert', {
    headers: { authorization: `Bearer ${key.slice(0, -2)}xx` },
    data: {},
  });
  expect(withKey.status()).not.toBe(401);
  expect(wrongKey.status()).toBe(401);

  await page.reload();
  await expect(page.getByTestId('new-api-key')).toHaveCount(0);
  const row = page.getByRole('row', { name: /e2e bot/ });
  await expect(row).toContainText(key.slice(0, 12));
  // revoking asks first: cancelling keeps the key, confirming revokes it
  await page.getByRole('button', { name: 'Revoke key e2e bot' }).click();
  await expect(row).toContainText('Programs using it stop working at once');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).not.toContainText('revoked');
  expect(
    (
      await request.post('/api/v1/convert', { headers: { authorization: `Bearer ${key}` }, data: {} })
    ).status(),
  ).not.toBe(401);
  await page.getByRole('button', { name: 'Revoke key e2e bot' }).click();
  await page.getByRole('button', { name: 'Yes, revoke key e2e bot' }).click();
  await expect(row).toContainText('revoked');
  const revoked = await request.post('/api/v1/convert', {
    headers: { authorization: `Bearer ${key}` },
    data: {},
  });
  expect(revoked.status()).toBe(401);
  await page.screenshot({ path: testInfo.outputPath('account.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email', { exact: true }).first().fill(email);
  await page.getByLabel('Password', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('p[role=alert]')).toHaveText('Wrong email or password.');
  await page.getByLabel('Password', { exact: true }).fill('a-good-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});
