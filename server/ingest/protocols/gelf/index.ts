export { gelfRoutes } from './gelf-http-route.js';
export { GelfUdpListener, startGelfUdpListener, type GelfUdpDeps } from './gelf-udp-listener.js';
export { DEFAULT_GELF_SETTINGS, type GelfSettings } from './gelf-settings.js';
