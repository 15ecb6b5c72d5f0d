// Automated accessibility audit (axe-core, WCAG 2.x A/AA) of the pages this app serves, with a result shown.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('the converter page with a result has no WCAG A/AA violations', async ({ page }) => {
  await page.goto('/');
  await page.locator('#file-input').setInputFiles('test/fixtures/api/logo-256.png');
  await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

for (const path of ['/history', '/docs/api']) {
  test(`${path} has no WCAG A/AA violations`, async ({ page }) => {
    await page.goto(path);
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
      [],
    );
  });
}

test('the converter can be used from the keyboard alone', async ({ page }) => {
  await page.goto('/');
  // Skip link first, then the header links, then the file picker button.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const chooser = page.getByRole('button', { name: 'Choose files…' });
  for (let i = 0; i < 8 && !(await chooser.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(chooser).toBeFocused();
  const [fileChooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  await fileChooser.setFiles('test/fixtures/api/logo-256.png');
  await expect(page.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
});
