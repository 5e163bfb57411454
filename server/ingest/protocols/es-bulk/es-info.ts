/**
 * What Sluice says it is to Elasticsearch clients. Filebeat, Logstash, Vector and the official clients
 * read `GET /` (version.number picks their request format: 8.x means no `_type`), and the official
 * clients refuse any 2xx answer without `X-Elastic-Product: Elasticsearch`, on every request. 8.17 is a
 * version every current shipper speaks to without a compatibility switch.
 */
export const ES_VERSION = '8.17.0';

export const ES_PRODUCT_HEADER = { 'x-elastic-product': 'Elasticsearch' } as const;

export const ES_INFO = {
  name: 'sluice',
  cluster_name: 'sluice',
  cluster_uuid: 'sluice',
  version: {
    number: ES_VERSION,
    build_flavor: 'default',
    build_type: 'sluice',
    build_hash: '',
    build_date: '',
    build_snapshot: false,
    lucene_version: '9.12.0',
    minimum_wire_compatibility_version: '7.17.0',
    minimum_index_compatibility_version: '7.0.0',
  },
  tagline: 'You Know, for Search',
};

/**
 * `GET /` is both the web UI's home page and Elasticsearch's info endpoint. A browser navigating there
 * always lists text/html in Accept; Elasticsearch clients never do (the official ones send
 * `application/vnd.elasticsearch+json`, Beats `application/json`, others nothing or `*\/*`). So: an
 * Accept that names text/html gets the UI, anything else the Elasticsearch answer.
 */
export function wantsElasticsearchInfo(accept: string | undefined): boolean {
  return accept === undefined || !/\btext\/html\b/i.test(accept);
}
