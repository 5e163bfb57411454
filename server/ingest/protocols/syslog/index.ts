export { SyslogListeners, type SyslogListenerDeps } from './syslog-listeners.js';
export { DEFAULT_SYSLOG_SETTINGS, type SyslogSettings } from './syslog-settings.js';
