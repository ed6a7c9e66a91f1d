//! The `#[event]` attribute of `lambda-events`.
//!
//! Every AWS event type in `lambda-events` is declared with `#[event]` instead of a block of
//! derives and serde attributes pasted onto each struct. The attribute:
//!
//! - derives `Debug`, `Clone`, `PartialEq`, `serde::Serialize` and `serde::Deserialize`
//!   (and `Default` on structs, unless written `#[event(no_default)]`);
//! - gives every `Option<_>` field `#[serde(default, skip_serializing_if = "Option::is_none")]`,
//!   so that an absent field and `null` both parse and an absent field stays absent on output
//!   (a field that already names its own `skip_serializing_if` or `default` is left alone);
//! - adds, on structs with named fields, a field
//!   `#[cfg(feature = "catch-all-fields")] #[serde(flatten)] pub other: serde_json::Map<..>`
//!   that keeps fields AWS adds later (opt out with `#[event(closed)]`, for structs that already
//!   flatten or that are closed by design).
//!
//! It is meant for `lambda-events` itself and for the log and telemetry records of
//! `lambda-extension` (declared `#[event(closed, no_default)]`), which depend on `serde` and
//! `serde_json` by those names; it is not a general-purpose derive.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]

use proc_macro::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, parse_quote, Data, DeriveInput, Fields, Meta, Token, Type};

/// Declares an AWS event type: derives and serde defaults as described in the crate docs.
#[proc_macro_attribute]
pub fn event(args: TokenStream, input: TokenStream) -> TokenStream {
    let options = parse_macro_input!(args with Punctuated::<Meta, Token![,]>::parse_terminated);
    let mut item = parse_macro_input!(input as DeriveInput);
    let mut closed = false;
    let mut default = true;
    for option in &options {
        match option {
            Meta::Path(p) if p.is_ident("closed") => closed = true,
            Meta::Path(p) if p.is_ident("no_default") => default = false,
            other => {
                return syn::Error::new_spanned(other, "expected `closed` or `no_default`")
                    .to_compile_error()
                    .into()
            }
        }
    }

    let derives = match &mut item.data {
        Data::Struct(data) => {
            if let Fields::Named(fields) = &mut data.fields {
                for field in fields.named.iter_mut() {
                    if is_option(&field.ty) && !has_serde_key(&field.attrs) {
                        field.attrs.push(parse_quote!(
                            #[serde(default, skip_serializing_if = "Option::is_none")]
                        ));
                    }
                }
                if !closed {
                    fields.named.push(parse_quote!(
                        /// Fields this version of the type does not know, kept for a lossless
                        /// round trip (feature `catch-all-fields`).
                        #[cfg(feature = "catch-all-fields")]
                        #[serde(flatten)]
                        pub other: serde_json::Map<String, serde_json::Value>
                    ));
                }
            }
            if default {
                quote!(#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)])
            } else {
                quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
            }
        }
        Data::Enum(_) => {
            quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
        }
        Data::Union(_) => {
            return syn::Error::new_spanned(&item.ident, "#[event] does not apply to unions")
                .to_compile_error()
                .into()
        }
    };

    quote!(#derives #item).into()
}

/// `Option<..>`, `std::option::Option<..>` or `core::option::Option<..>`.
fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().is_some_and(|s| s.ident == "Option")
        }
        _ => false,
    }
}

/// Whether the field already says how serde treats its absence.
fn has_serde_key(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("skip_serializing_if")
                    || meta.path.is_ident("default")
                    || meta.path.is_ident("flatten")
                {
                    found = true;
                }
                // Consume any `= value` so parsing continues past it.
                if meta.input.peek(Token![=]) {
                    let _: syn::Lit = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        })
}
