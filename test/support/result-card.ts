/** Browser-test helpers for the converter's result cards: add an image, download from its format menu, screenshots. */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Saves a screenshot of `target` and attaches it to the test's results as `name`. */
export async function attachScreenshot(
  target: Page | Locator,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await target.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Drops a PNG on the converter and waits for its card's first result. */
export async function addPng(page: Page, name: string, buffer: Buffer): Promise<Locator> {
  await page.locator('#file-input').setInputFiles({ name, mimeType: 'image/png', buffer });
  const card = page.getByRole('article', { name });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  return card;
}

/** Downloads the card's result in `format` (its format menu's label) and returns the saved file's path. */
export async function downloadFromCard(
  page: Page,
  card: Locator,
  format: string,
  testInfo: TestInfo,
): Promise<string> {
  await card.getByLabel('Format').selectOption({ label: format });
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: `Download ${format}` }).click(),
  ]);
  // a folder per download: a test may download the same file name more than once, and checks the name given
  const target = testInfo.outputPath(`download-${Date.now()}`, file.suggestedFilename());
  await file.saveAs(target);
  return target;
}
