//! Compact JSON text for the front ends, written by a small `serde::Serializer`.
//!
//! The JS API and the app's embedding messages hand views and events to the page as
//! JSON text that `JSON.parse` turns into objects. `serde_json` writes the same text,
//! but its serializer is inlined into every field of every event (over a hundred
//! kinds), which costs the npm package's wasm kilobytes; here each value type's
//! writer is one out-of-line function that every field calls. The output is
//! `serde_json::to_string`'s, byte for byte (`tests` compare them on every event
//! kind and view the goldens produce).

use serde::ser::{self, Serialize};
use std::fmt;

/// A value that JSON cannot hold: a map key that is not a string or a number, or a
/// floating-point number (no view has one). Carries no message, so that a `Result`
/// of it is one word and every field's `?` stays cheap.
#[derive(Debug)]
pub struct JsonError;

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value JSON cannot hold")
    }
}

impl std::error::Error for JsonError {}

impl ser::Error for JsonError {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        JsonError
    }
}

/// `v` as compact JSON text.
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String, JsonError> {
    let mut w = Json { out: String::new() };
    v.serialize(&mut w)?;
    Ok(w.out)
}

/// The writer.
struct Json {
    out: String,
}

impl Json {
    /// A JSON string: quoted, with `"`, `\` and control characters escaped as
    /// `serde_json` escapes them.
    #[inline(never)]
    fn string(&mut self, s: &str) {
        let out = &mut self.out;
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let b = c as u8;
                    out.push_str("\\u00");
                    out.push(HEX[usize::from(b >> 4)] as char);
                    out.push(HEX[usize::from(b & 15)] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    #[inline(never)]
    fn unsigned(&mut self, v: u64) {
        self.out.push_str(&v.to_string());
    }

    #[inline(never)]
    fn signed(&mut self, v: i64) {
        self.out.push_str(&v.to_string());
    }

    /// `{"variant":` before a variant's content.
    #[inline(never)]
    fn variant_open(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }
}

/// A sequence or object being written: whether the next item needs a comma, and
/// whether a `{"variant":...}` wrapper must be closed at the end.
struct Compound<'a> {
    w: &'a mut Json,
    first: bool,
    wrapped: bool,
}

impl Compound<'_> {
    #[inline(never)]
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }

    #[inline(never)]
    fn key(&mut self, key: &str) {
        self.comma();
        self.w.string(key);
        self.w.out.push(':');
    }

    #[inline(never)]
    fn close(self, c: char) -> Result<(), JsonError> {
        self.w.out.push(c);
        if self.wrapped {
            self.w.out.push('}');
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Json {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), JsonError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), JsonError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), JsonError> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), JsonError> {
        self.signed(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), JsonError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), JsonError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), JsonError> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), JsonError> {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), JsonError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), JsonError> {
        Err(JsonError)
    }
    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsonError> {
        use ser::SerializeSeq;
        let mut s = self.serialize_seq(Some(v.len()))?;
        for b in v {
            s.serialize_element(b)?;
        }
        s.end()
    }
    fn serialize_none(self) -> Result<(), JsonError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), JsonError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), JsonError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), JsonError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        self.variant_open(variant);
        v.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, JsonError> {
        self.out.push('[');
        Ok(Compound {
            w: self,
            first: true,
            wrapped: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, JsonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, JsonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, JsonError> {
        self.variant_open(variant);
        self.out.push('[');
        Ok(Compound {
            w: self,
            first: true,
            wrapped: true,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, JsonError> {
        self.out.push('{');
        Ok(Compound {
            w: self,
            first: true,
            wrapped: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, JsonError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, JsonError> {
        self.variant_open(variant);
        self.out.push('{');
        Ok(Compound {
            w: self,
            first: true,
            wrapped: true,
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    #[inline(never)]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        self.comma();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close(']')
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close(']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close(']')
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close(']')
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    #[inline(never)]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonError> {
        self.comma();
        // Keys are strings; a number key is quoted, as serde_json does. Written in
        // place, then checked (no string allocated per key).
        let at = self.w.out.len();
        key.serialize(&mut *self.w)?;
        let written = &self.w.out[at..];
        if !written.starts_with('"') {
            if written.is_empty() || !written.bytes().all(|b| b == b'-' || b.is_ascii_digit()) {
                return Err(JsonError);
            }
            self.w.out.insert(at, '"');
            self.w.out.push('"');
        }
        self.w.out.push(':');
        Ok(())
    }
    #[inline(never)]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close('}')
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    #[inline(never)]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        self.key(key);
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close('}')
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.close('}')
    }
}
