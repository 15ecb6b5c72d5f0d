/** Next.js boot hook: hands over to the composition root (lib/boot.ts) before the first request. */
export async function register(): Promise<void> {
  // Only the Node.js server boots: the edge runtime has none of the modules the root wires together.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootServer } = await import('./lib/boot');
  await bootServer();
}
