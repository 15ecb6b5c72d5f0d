/** Process lifecycle: graceful shutdown hooks shared by the server, worker pool, database and Redis clients. */
export {
  installShutdownHandlers,
  isShuttingDown,
  onShutdown,
  registerBusySource,
  shutdownGracefully,
} from './shutdown';
