export type * from './topic-store.js';
export type * from './classic-group-protocol.js';
export { FileTopicStore, type FileTopicStoreOptions, type FsyncPolicy, type StoreObserver } from './file/file-topic-store.js';
export { validateTopicName } from './topic-name.js';
export type { RecordHeader, StoredRecord } from './record-batch/index.js';
