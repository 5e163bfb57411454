import { decodeStruct, encodeStruct } from './codec.js';
import type { Reader } from './reader.js';
import { struct, type Decoded, type Encodable, type Shape, type Struct } from './schema.js';
import type { Writer } from './writer.js';

/**
 * One Kafka API as Sluice implements it: its key, the versions Sluice serves (what ApiVersions
 * advertises), the first flexible version, and the request and response layouts side by side.
 */
export interface ApiDefinition<Q extends Shape, P extends Shape> {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First version with compact encodings and tagged fields; null when no served version is flexible. */
  readonly flexibleFrom: number | null;
  readonly request: Struct<Q>;
  readonly response: Struct<P>;
}

export type RequestOf<A> = A extends ApiDefinition<infer Q, Shape> ? Decoded<Q> : never;
export type ResponseOf<A> = A extends ApiDefinition<Shape, infer P> ? Encodable<P> : never;

export function defineApi<Q extends Shape, P extends Shape>(spec: {
  key: number;
  name: string;
  versions: [number, number];
  flexibleFrom: number | null;
  request: Q;
  response: P;
}): ApiDefinition<Q, P> {
  return {
    key: spec.key,
    name: spec.name,
    minVersion: spec.versions[0],
    maxVersion: spec.versions[1],
    flexibleFrom: spec.flexibleFrom,
    request: struct(spec.request),
    response: struct(spec.response),
  };
}

export function isFlexible(api: ApiDefinition<Shape, Shape>, version: number): boolean {
  return api.flexibleFrom !== null && version >= api.flexibleFrom;
}

export function supportsVersion(api: ApiDefinition<Shape, Shape>, version: number): boolean {
  return version >= api.minVersion && version <= api.maxVersion;
}

export function decodeRequest<Q extends Shape, P extends Shape>(api: ApiDefinition<Q, P>, r: Reader, version: number): Decoded<Q> {
  return decodeStruct(api.request, r, version, isFlexible(api, version));
}

export function encodeResponse<Q extends Shape, P extends Shape>(api: ApiDefinition<Q, P>, value: Encodable<P>, w: Writer, version: number): void {
  encodeStruct(api.response, value, w, version, isFlexible(api, version));
}
