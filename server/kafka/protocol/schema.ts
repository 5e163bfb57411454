/**
 * A small language for Kafka message layouts, modelled on Kafka's own message definitions
 * (clients/src/main/resources/common/message/*.json): each field says in which versions it exists, in
 * which it may be null, and its default. One definition covers every version of a message, and the
 * codec (codec.ts) reads and writes any of them, including the flexible versions (KIP-482: compact
 * strings, arrays and bytes, a tagged-field section after every struct).
 *
 * The TypeScript types of decoded and encodable values are derived from the definition, so a handler
 * cannot forget a required field or misspell one.
 */

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Parses Kafka's version notation: "3+", "0-2", "5" or "none". */
export function versionRange(text: string): VersionRange {
  if (text === 'none') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return { min: Number(plus[1]), max: Number.MAX_SAFE_INTEGER };
  const span = /^(\d+)-(\d+)$/.exec(text);
  if (span) return { min: Number(span[1]), max: Number(span[2]) };
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) };
  throw new Error(`bad version range ${JSON.stringify(text)}`);
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}

export type Primitive = 'int8' | 'int16' | 'int32' | 'int64' | 'float64' | 'bool' | 'string' | 'bytes' | 'records';

/** D: the decoded type; E: what the encoder accepts; O: whether an encoder may omit it (it has a default). */
export interface Field<D, E, O extends boolean> {
  readonly kind: Primitive | 'array';
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange | null;
  /** Used when a version lacks the field, and when an optional field is omitted. */
  readonly defaultValue: () => unknown;
  readonly item: Primitive | Struct<Shape> | null;
  readonly optional: O;
  /** Type carriers only; never set. */
  readonly decodedType?: D;
  readonly encodedType?: E;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any, any, boolean>;
export type Shape = { readonly [name: string]: AnyField };

export interface PlannedField {
  readonly name: string;
  readonly field: AnyField;
  readonly present: boolean;
  readonly nullable: boolean;
}

/** An ordered group of fields: a message body or the element of an array. */
export class Struct<S extends Shape> {
  private readonly plans = new Map<number, PlannedField[]>();

  constructor(readonly shape: S) {}

  /** The fields in wire order, with what holds for them at `version` (cached). */
  planFor(version: number): PlannedField[] {
    let plan = this.plans.get(version);
    if (!plan) {
      plan = Object.entries(this.shape).map(([name, field]) => ({
        name,
        field,
        present: inRange(field.versions, version),
        nullable: field.nullableVersions !== null && inRange(field.nullableVersions, version),
      }));
      this.plans.set(version, plan);
    }
    return plan;
  }
}

export function struct<S extends Shape>(shape: S): Struct<S> {
  return new Struct(shape);
}

export type Decoded<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Field<infer D, unknown, boolean> ? D : never };

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, unknown, true> ? K : never }[keyof S];
type EncodedOf<F> = F extends Field<unknown, infer E, boolean> ? E : never;
export type Encodable<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: EncodedOf<S[K]> } & {
  [K in OptionalKeys<S>]?: EncodedOf<S[K]>;
};

interface FieldOptions<T> {
  /** Versions in which the field may be null. */
  nullable?: string;
  default?: T;
}

type IsOptional<O> = O extends { default: unknown } ? true : O extends { nullable: string } ? true : false;
type Maybe<O, T> = O extends { nullable: string } ? T | null : T;

function field<D, E, O extends boolean>(kind: Field<D, E, O>['kind'], versions: string, options: FieldOptions<unknown>, fallback: unknown, item: Field<D, E, O>['item'] = null): Field<D, E, O> {
  const value = 'default' in options ? options.default : options.nullable !== undefined && fallback === '' ? null : fallback;
  return {
    kind,
    versions: versionRange(versions),
    nullableVersions: options.nullable === undefined ? null : versionRange(options.nullable),
    defaultValue: Array.isArray(value) ? () => [] : () => value,
    item,
    optional: ('default' in options || options.nullable !== undefined) as O,
  };
}

type NumberField<O> = Field<number, number, IsOptional<O>>;
export const int8 = <O extends FieldOptions<number> = object>(versions: string, options?: O): NumberField<O> => field('int8', versions, options ?? {}, 0);
export const int16 = <O extends FieldOptions<number> = object>(versions: string, options?: O): NumberField<O> => field('int16', versions, options ?? {}, 0);
export const int32 = <O extends FieldOptions<number> = object>(versions: string, options?: O): NumberField<O> => field('int32', versions, options ?? {}, 0);
export const int64 = <O extends FieldOptions<number> = object>(versions: string, options?: O): NumberField<O> => field('int64', versions, options ?? {}, 0);
export const bool = <O extends FieldOptions<boolean> = object>(versions: string, options?: O): Field<boolean, boolean, IsOptional<O>> =>
  field('bool', versions, options ?? {}, false);
export const string = <O extends FieldOptions<string | null> = object>(versions: string, options?: O): Field<Maybe<O, string>, Maybe<O, string>, IsOptional<O>> =>
  field('string', versions, options ?? {}, '');
export const bytes = <O extends FieldOptions<Buffer | null> = object>(versions: string, options?: O): Field<Maybe<O, Buffer>, Maybe<O, Buffer>, IsOptional<O>> =>
  field('bytes', versions, options ?? {}, Buffer.alloc(0));
/** A record set: RecordBatch v2 batches back to back, carried as opaque bytes; always nullable. */
export const records = (versions: string): Field<Buffer | null, Buffer | null, true> => field('records', versions, { nullable: versions }, null);

type ItemDecoded<I> = I extends Struct<infer S> ? Decoded<S> : I extends 'string' ? string : I extends 'bool' ? boolean : I extends 'bytes' ? Buffer : number;
type ItemEncoded<I> = I extends Struct<infer S> ? Encodable<S> : ItemDecoded<I>;

export const array = <I extends Exclude<Primitive, 'records'> | Struct<Shape>, O extends FieldOptions<never[] | null> = object>(
  versions: string,
  item: I,
  options?: O,
): Field<Maybe<O, ItemDecoded<I>[]>, Maybe<O, ItemEncoded<I>[]>, IsOptional<O>> => field('array', versions, options ?? {}, [], item);
