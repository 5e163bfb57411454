import { MalformedMessageError } from './malformed-message.js';
import type { Reader } from './reader.js';
import type { AnyField, Decoded, Encodable, Primitive, Shape, Struct } from './schema.js';
import type { Writer } from './writer.js';

/**
 * Reads a struct at `version`. Fields the version lacks take their defaults; in flexible versions the
 * tagged-field section that ends every struct is read and its fields skipped (Sluice declares none it
 * needs to read; unknown tags must be ignored by the protocol's rules).
 */
export function decodeStruct<S extends Shape>(struct: Struct<S>, r: Reader, version: number, flexible: boolean): Decoded<S> {
  const out: Record<string, unknown> = {};
  for (const { name, field, present, nullable } of struct.planFor(version)) {
    out[name] = present ? decodeField(field, r, version, flexible, nullable, name) : field.defaultValue();
  }
  if (flexible) skipTaggedFields(r);
  return out as Decoded<S>;
}

/** Writes a struct at `version`: fields the version lacks are left out, omitted optional ones take their defaults. */
export function encodeStruct<S extends Shape>(struct: Struct<S>, value: Encodable<S>, w: Writer, version: number, flexible: boolean): void {
  const values = value as Record<string, unknown>;
  for (const { name, field, present, nullable } of struct.planFor(version)) {
    if (!present) continue;
    let v = values[name];
    if (v === undefined) v = field.defaultValue();
    // A field nullable only in later versions goes out as its empty value in earlier ones.
    if (v === null && !nullable) v = emptyValue(field);
    encodeField(field, v, w, version, flexible);
  }
  // Sluice writes no tagged fields: an empty section.
  if (flexible) w.uvarint(0);
}

function decodeField(field: AnyField, r: Reader, version: number, flexible: boolean, nullable: boolean, name: string): unknown {
  if (field.kind !== 'array') {
    const value = decodePrimitive(field.kind, r, flexible);
    if (value === null && !nullable && field.kind !== 'records') throw new MalformedMessageError(`field ${name} is null but not nullable in version ${version}`);
    return value;
  }
  const count = flexible ? r.uvarint() - 1 : r.int32();
  if (count < 0) {
    if (!nullable) throw new MalformedMessageError(`array ${name} is null but not nullable in version ${version}`);
    return null;
  }
  // Every element takes at least one byte: a count beyond the bytes left is a lie, not an allocation to make.
  if (count > r.remaining) throw new MalformedMessageError(`array ${name} claims ${count} elements with ${r.remaining} bytes left`);
  const item = field.item!;
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    if (typeof item === 'string') {
      const value = decodePrimitive(item, r, flexible);
      if (value === null) throw new MalformedMessageError(`array ${name} holds a null element`);
      out[i] = value;
    } else {
      out[i] = decodeStruct(item, r, version, flexible);
    }
  }
  return out;
}

function encodeField(field: AnyField, value: unknown, w: Writer, version: number, flexible: boolean): void {
  if (field.kind !== 'array') {
    encodePrimitive(field.kind, value, w, flexible);
    return;
  }
  const items = value as unknown[] | null;
  if (items === null) {
    if (flexible) w.uvarint(0);
    else w.int32(-1);
    return;
  }
  if (flexible) w.uvarint(items.length + 1);
  else w.int32(items.length);
  const item = field.item!;
  for (const element of items) {
    if (typeof item === 'string') encodePrimitive(item, element, w, flexible);
    else encodeStruct(item, element as Encodable<Shape>, w, version, flexible);
  }
}

function emptyValue(field: AnyField): unknown {
  switch (field.kind) {
    case 'array':
      return [];
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'bool':
      return false;
    default:
      return 0;
  }
}

function decodePrimitive(kind: Primitive, r: Reader, flexible: boolean): unknown {
  switch (kind) {
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'float64':
      return r.float64();
    case 'bool':
      return r.bool();
    case 'string':
      return flexible ? r.compactString() : r.string();
    case 'bytes':
    case 'records':
      return flexible ? r.compactBytes() : r.bytes();
  }
}

function encodePrimitive(kind: Primitive, value: unknown, w: Writer, flexible: boolean): void {
  switch (kind) {
    case 'int8':
      w.int8(value as number);
      return;
    case 'int16':
      w.int16(value as number);
      return;
    case 'int32':
      w.int32(value as number);
      return;
    case 'int64':
      w.int64(value as number);
      return;
    case 'float64':
      w.float64(value as number);
      return;
    case 'bool':
      w.bool(value as boolean);
      return;
    case 'string':
      if (flexible) w.compactString(value as string | null);
      else w.string(value as string | null);
      return;
    case 'bytes':
    case 'records':
      if (flexible) w.compactBytes(value as Buffer | null);
      else w.bytes(value as Buffer | null);
      return;
  }
}

/** Skips a tagged-field section: a count, then (tag, size, bytes) per field. */
export function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}
