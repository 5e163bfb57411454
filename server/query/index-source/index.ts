export { IndexLogSource, type IndexedTopicView, type IndexLogSourceOptions } from './index-log-source.js';
export { DayFileCache } from './day-file-cache.js';
