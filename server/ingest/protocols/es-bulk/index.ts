export { parseBulkBody, type BulkOperation, type BulkAction } from './bulk-request.js';
export { prepareBulk, writeBulk, type BulkItem, type PreparedBulk } from './bulk-items.js';
export { bulkResponseJson } from './bulk-response.js';
export { ES_INFO, ES_PRODUCT_HEADER, ES_VERSION, wantsElasticsearchInfo } from './es-info.js';
