/** Formats generated Markdown the way `npm run format` (prettier) would, so generating and formatting agree. */
import path from 'node:path';
import prettier from 'prettier';

export async function formatMarkdown(text: string, file = 'docs/generated.md'): Promise<string> {
  const root = path.resolve(import.meta.dirname, '../..');
  const options = (await prettier.resolveConfig(path.join(root, file))) ?? {};
  return prettier.format(text, { ...options, parser: 'markdown' });
}
