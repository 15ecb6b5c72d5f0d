/** Next.js boot hook: validates configuration and installs graceful shutdown before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootServer } = await import('./lib/lifecycle/boot');
  await bootServer();
}
