export { startServer, type RunningServer } from './server.js';
export { loadConfig, ConfigError, type ServerConfig } from './config.js';
export { createApp } from './app.js';
export type { ServerContext } from './context.js';
