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
//! - except on the `Option<_>` fields that AWS always sends, as `null` when they have no value
//!   (API Gateway's `"body": null`): mark such a field `#[event(null)]`, or the struct
//!   `#[event(nulls)]` when that holds for every `Option<_>` field of it. Such a field gets only
//!   `#[serde(default)]`, so `None` is written back as `null` and the event round-trips exactly;
//!   an input that lacked the key gains `"field": null` on output. The marker is for the types
//!   of events AWS sends to a function, where the evidence (AWS's sample events) shows the key
//!   with `null`; it is removed before serde sees the field, and it is an error on a field that
//!   is not an `Option<_>` or that names its own `skip_serializing_if`;
//! - with `#[event(keep_nulls)]` on a struct, remembers which `Option<_>` fields came as an
//!   explicit `null` and writes exactly those back as `null` (the others stay absent): for the
//!   objects AWS sends with `null`s in some events and without the keys in others (API
//!   Gateway's caller identity is all `null`s in a REST request and only `sourceIp` in a
//!   WebSocket message), so both round-trip exactly. The struct gains a field
//!   `pub explicit_nulls: crate::encodings::ExplicitNulls` (so this option works inside
//!   `lambda-events` only) and serde derives its impls on two private copies of it, one that
//!   reads `Option` fields as absent, `null` or a value and one that writes them, with the
//!   struct's own serde attributes, so names, defaults and error paths are unchanged. Fields
//!   marked `#[event(null)]` are written as `null` whenever they are `None`; fields with their
//!   own `default`, `skip_serializing_if`, `flatten` or `with` keep their serde behaviour
//!   (a struct with no other `Option<_>` field to track is a compile error);
//! - adds, on structs with named fields, a field
//!   `#[cfg(feature = "catch-all-fields")] #[serde(flatten)] pub other: serde_json::Map<..>`
//!   that keeps fields AWS adds later (opt out with `#[event(closed)]`, for structs that already
//!   flatten or that are closed by design).
//!
//! - turns an enum whose variants are all units (a *string enum*) into an **open** enum: it keeps
//!   values this version does not know in a catch-all `Other(String)` variant (added unless the
//!   enum declares its own one-`String` tuple variant) and writes them back unchanged, so one new
//!   value from AWS never fails a whole event. Wire names come from `#[serde(rename = "..")]` on
//!   a variant or `#[serde(rename_all = "..")]` on the enum, as with serde. The generated
//!   `Serialize`/`Deserialize` read the string once, without buffering, and the enum gets
//!   `as_str()` and `Display` (the wire name).
//!
//! ```
//! use lambda_events_derive::event;
//!
//! #[event]
//! #[serde(rename_all = "camelCase")]
//! pub struct Request {
//!     /// Sent as `null` when the request has no body.
//!     #[event(null)]
//!     pub body: Option<String>,
//!     /// Left out when there is none.
//!     pub trace_id: Option<String>,
//! }
//!
//! let json = serde_json::to_string(&Request::default()).unwrap();
//! assert_eq!(json, r#"{"body":null}"#);
//! ```
//!
//! The marker applies to `Option<_>` fields only:
//!
//! ```compile_fail
//! use lambda_events_derive::event;
//!
//! #[event]
//! pub struct Request {
//!     #[event(null)]
//!     pub body: String,
//! }
//! ```
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
    let mut nulls = false;
    let mut keep_nulls = false;
    for option in &options {
        match option {
            Meta::Path(p) if p.is_ident("closed") => closed = true,
            Meta::Path(p) if p.is_ident("no_default") => default = false,
            Meta::Path(p) if p.is_ident("nulls") => nulls = true,
            Meta::Path(p) if p.is_ident("keep_nulls") => keep_nulls = true,
            other => {
                return syn::Error::new_spanned(
                    other,
                    "expected `closed`, `no_default`, `nulls` or `keep_nulls`",
                )
                .to_compile_error()
                .into()
            }
        }
    }
    if let Err(e) = check_field_markers(&item, nulls || keep_nulls) {
        return e.to_compile_error().into();
    }

    // `keep_nulls`: the optional fields whose explicit `null`s are remembered (index among the
    // named fields, and whether the field is also marked `#[event(null)]`).
    let mut tracked: Vec<(usize, bool)> = Vec::new();
    let derives = match &mut item.data {
        Data::Struct(data) => {
            if let Fields::Named(fields) = &mut data.fields {
                for (index, field) in fields.named.iter_mut().enumerate() {
                    let null = match take_null_marker(&mut field.attrs) {
                        // Under `#[event(nulls)]`, a field that chose its own serde
                        // defaults keeps them.
                        Ok(marked) => {
                            marked
                                || (nulls && is_option(&field.ty) && !has_serde_key(&field.attrs))
                        }
                        Err(e) => return e.to_compile_error().into(),
                    };
                    if null {
                        if let Err(e) = check_null_field(field) {
                            return e.to_compile_error().into();
                        }
                    }
                    if keep_nulls
                        && is_option(&field.ty)
                        && !has_serde_key(&field.attrs)
                        && !has_serde_with(&field.attrs)
                    {
                        tracked.push((index, null));
                    } else if null {
                        if !has_serde_key(&field.attrs) {
                            field.attrs.push(parse_quote!(#[serde(default)]));
                        }
                    } else if is_option(&field.ty) && !has_serde_key(&field.attrs) {
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
            if keep_nulls {
                if tracked.is_empty() {
                    return syn::Error::new_spanned(
                        &item.ident,
                        "`#[event(keep_nulls)]` has no `Option` field to track here",
                    )
                    .to_compile_error()
                    .into();
                }
                return match keep_nulls_struct(item, &tracked, default) {
                    Ok(tokens) => tokens.into(),
                    Err(e) => e.to_compile_error().into(),
                };
            }
            if default {
                quote!(#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)])
            } else {
                quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
            }
        }
        Data::Enum(data) if is_string_enum(data) => {
            return match open_enum(item) {
                Ok(tokens) => tokens.into(),
                Err(e) => e.to_compile_error().into(),
            };
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

/// All variants are units, except at most one tuple variant of one field (the catch-all).
fn is_string_enum(data: &syn::DataEnum) -> bool {
    let mut catch_all = 0;
    for v in &data.variants {
        match &v.fields {
            Fields::Unit => {}
            Fields::Unnamed(f) if f.unnamed.len() == 1 => catch_all += 1,
            _ => return false,
        }
    }
    catch_all <= 1 && data.variants.len() > catch_all
}

/// Reads and removes `#[serde(rename = "..")]`/`#[serde(rename_all = "..")]` and
/// `#[serde(untagged)]` from `attrs`; returns the `rename`/`rename_all` value if any.
fn take_serde_name(attrs: &mut Vec<syn::Attribute>, key: &str) -> syn::Result<Option<String>> {
    let mut name = None;
    take_attrs(attrs, "serde", |meta| {
        if meta.path.is_ident(key) {
            let lit: syn::LitStr = meta.value()?.parse()?;
            name = Some(lit.value());
            Ok(())
        } else if meta.path.is_ident("untagged") {
            Ok(())
        } else {
            Err(meta.error("a string enum declared with #[event] takes only `rename`, `rename_all` and `untagged`"))
        }
    })?;
    Ok(name)
}

/// Removes the `#[ident(..)]` attributes from `attrs`, passing each nested item to `item`; the
/// first error of any of them.
fn take_attrs(
    attrs: &mut Vec<syn::Attribute>,
    ident: &str,
    mut item: impl FnMut(syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut error = None;
    attrs.retain(|a| {
        if !a.path().is_ident(ident) {
            return true;
        }
        if let Err(e) = a.parse_nested_meta(&mut item) {
            error.get_or_insert(e);
        }
        false
    });
    error.map_or(Ok(()), Err)
}

/// Applies a serde `rename_all` rule to a variant name written in PascalCase.
fn rename_variant(ident: &str, rule: &str, span: &syn::Ident) -> syn::Result<String> {
    let words = {
        let mut words: Vec<String> = Vec::new();
        for c in ident.chars() {
            if c.is_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            if let Some(w) = words.last_mut() {
                w.push(c);
            }
        }
        words
    };
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    Ok(match rule {
        "PascalCase" => ident.to_owned(),
        "camelCase" => {
            let mut s = lower.first().cloned().unwrap_or_default();
            s.push_str(&words.iter().skip(1).cloned().collect::<String>());
            s
        }
        "lowercase" => ident.to_lowercase(),
        "UPPERCASE" => ident.to_uppercase(),
        "snake_case" => lower.join("_"),
        "SCREAMING_SNAKE_CASE" => lower.join("_").to_uppercase(),
        "kebab-case" => lower.join("-"),
        "SCREAMING-KEBAB-CASE" => lower.join("-").to_uppercase(),
        other => {
            return Err(syn::Error::new_spanned(
                span,
                format!("unknown rename_all rule `{other}`"),
            ))
        }
    })
}

/// The open string enum: `Other(String)` catch-all, hand-rolled serde impls, `as_str`, `Display`.
fn open_enum(mut item: DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let rule = take_serde_name(&mut item.attrs, "rename_all")?;
    let ident = item.ident.clone();
    let Data::Enum(data) = &mut item.data else {
        return Err(syn::Error::new_spanned(&item.ident, "expected an enum"));
    };
    let mut catch_all = None;
    let mut names = Vec::new();
    let mut units = Vec::new();
    for v in data.variants.iter_mut() {
        let rename = take_serde_name(&mut v.attrs, "rename")?;
        if matches!(v.fields, Fields::Unit) {
            let wire = match (rename, &rule) {
                (Some(name), _) => name,
                (None, Some(rule)) => rename_variant(&v.ident.to_string(), rule, &v.ident)?,
                (None, None) => v.ident.to_string(),
            };
            names.push(wire);
            units.push(v.ident.clone());
        } else {
            catch_all = Some(v.ident.clone());
        }
    }
    let other = match catch_all {
        Some(other) => other,
        None => {
            data.variants.push(parse_quote!(
                /// A value this version does not know, kept as sent and written back unchanged.
                Other(String)
            ));
            parse_quote!(Other)
        }
    };
    let expecting = format!("a string (one of the values of {ident}, or any other)");
    Ok(quote! {
        #[derive(Debug, Clone, PartialEq)]
        #item

        impl #ident {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#units => #names, )*
                    Self::#other(value) => value.as_str(),
                }
            }

            fn from_known(value: &str) -> ::core::option::Option<Self> {
                match value {
                    #( #names => ::core::option::Option::Some(Self::#units), )*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #ident;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> ::core::result::Result<#ident, E> {
                        ::core::result::Result::Ok(
                            #ident::from_known(value).unwrap_or_else(|| #ident::#other(value.to_owned())),
                        )
                    }
                    fn visit_string<E: serde::de::Error>(self, value: String) -> ::core::result::Result<#ident, E> {
                        ::core::result::Result::Ok(match #ident::from_known(&value) {
                            ::core::option::Option::Some(known) => known,
                            ::core::option::Option::None => #ident::#other(value),
                        })
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    })
}

/// `#[event(nulls)]` applies to structs with named fields, `#[event(null)]` to their fields
/// only: an error anywhere else (enum variants, tuple structs), so that no marker is silently
/// ignored or reaches serde.
fn check_field_markers(item: &DeriveInput, nulls: bool) -> syn::Result<()> {
    let named = matches!(&item.data, Data::Struct(data) if matches!(data.fields, Fields::Named(_)));
    if nulls && !named {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`#[event(nulls)]` and `#[event(keep_nulls)]` apply to structs with named fields only",
        ));
    }
    let others: Vec<&syn::Field> = match &item.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(_) => Vec::new(),
            fields => fields.iter().collect(),
        },
        Data::Enum(data) => data.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        Data::Union(_) => Vec::new(),
    };
    match others
        .iter()
        .flat_map(|f| f.attrs.iter())
        .find(|a| a.path().is_ident("event"))
    {
        Some(attr) => Err(syn::Error::new_spanned(
            attr,
            "`#[event(null)]` applies to named fields of a struct only",
        )),
        None => Ok(()),
    }
}

/// Removes the field's `#[event(..)]` attributes; whether one of them was `#[event(null)]`.
fn take_null_marker(attrs: &mut Vec<syn::Attribute>) -> syn::Result<bool> {
    let mut marked = false;
    take_attrs(attrs, "event", |meta| {
        if meta.path.is_ident("null") {
            marked = true;
            Ok(())
        } else {
            Err(meta.error("expected `null` (`#[event(null)]`: AWS sends this field as `null` when it has no value)"))
        }
    })?;
    Ok(marked)
}

/// A field written as `null` when `None` must be an `Option` that does not choose its own
/// `skip_serializing_if`.
fn check_null_field(field: &syn::Field) -> syn::Result<()> {
    if !is_option(&field.ty) {
        return Err(syn::Error::new_spanned(
            &field.ty,
            "`#[event(null)]` applies to `Option<_>` fields only: it writes `None` as `null`",
        ));
    }
    if has_serde_skip(&field.attrs) {
        return Err(syn::Error::new_spanned(
            field,
            "`#[event(null)]` writes `None` as `null`; it conflicts with this field's own `skip_serializing_if`",
        ));
    }
    Ok(())
}

/// Whether a `#[serde(..)]` attribute gives the field its own (de)serialization function.
fn has_serde_with(attrs: &[syn::Attribute]) -> bool {
    serde_keys(attrs)
        .iter()
        .any(|k| k == "with" || k == "serialize_with" || k == "deserialize_with")
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> syn::Result<&Type> {
    if let Type::Path(p) = ty {
        if let Some(segment) = p.path.segments.last() {
            if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                    return Ok(inner);
                }
            }
        }
    }
    Err(syn::Error::new_spanned(ty, "expected `Option<T>`"))
}

/// `#[event(keep_nulls)]`: the struct remembers which optional fields came as `null`.
///
/// Generated: the struct without serde attributes plus a field
/// `pub explicit_nulls: crate::encodings::ExplicitNulls`; a private copy of it that serde
/// derives `Deserialize` for, its optional fields read as `Tri` (absent, null, value); and a
/// private borrowed copy that serde derives `Serialize` for, its optional fields written as
/// `NullOr` (the value, or `null` when it came as `null`, or left out). Both copies carry the
/// struct's serde attributes, so names, defaults and errors are serde's as usual.
fn keep_nulls_struct(
    mut item: DeriveInput,
    tracked: &[(usize, bool)],
    default: bool,
) -> syn::Result<proc_macro2::TokenStream> {
    if tracked.len() > 64 {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`#[event(keep_nulls)]` tracks at most 64 optional fields",
        ));
    }
    let ident = item.ident.clone();
    let shadow = quote::format_ident!("__{}Read", ident);
    let shadow_ref = quote::format_ident!("__{}Write", ident);
    let is_serde = |a: &&syn::Attribute| a.path().is_ident("serde");
    let is_cfg = |a: &&syn::Attribute| a.path().is_ident("cfg");
    let container: Vec<syn::Attribute> = item.attrs.iter().filter(is_serde).cloned().collect();
    item.attrs.retain(|a| !a.path().is_ident("serde"));

    let Data::Struct(syn::DataStruct {
        fields: Fields::Named(named),
        ..
    }) = &mut item.data
    else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`#[event(keep_nulls)]` applies to structs with named fields only",
        ));
    };
    let mut read_fields = Vec::new();
    let mut write_fields = Vec::new();
    let mut from_read = Vec::new();
    let mut to_write = Vec::new();
    let mut bit = 0u32;
    for (index, field) in named.named.iter_mut().enumerate() {
        let name = field.ident.clone();
        let ty = field.ty.clone();
        let serde: Vec<syn::Attribute> = field.attrs.iter().filter(is_serde).cloned().collect();
        let cfg: Vec<syn::Attribute> = field.attrs.iter().filter(is_cfg).cloned().collect();
        field.attrs.retain(|a| !a.path().is_ident("serde"));
        match tracked.iter().find(|(i, _)| *i == index) {
            Some((_, marked)) => {
                let inner = option_inner(&ty)?;
                read_fields.push(quote! {
                    #(#cfg)* #(#serde)* #[serde(default = "crate::encodings::Tri::absent")]
                    #name: crate::encodings::Tri<#inner>
                });
                write_fields.push(quote! {
                    #(#cfg)* #(#serde)*
                    #[serde(skip_serializing_if = "crate::encodings::NullOr::skip")]
                    #name: crate::encodings::NullOr<'__a, #inner>
                });
                from_read.push(quote! {
                    #(#cfg)* #name: read.#name.into_option(&mut explicit_nulls, #bit)
                });
                to_write.push(quote! {
                    #(#cfg)* #name: crate::encodings::NullOr::new(
                        &self.#name,
                        #marked || self.explicit_nulls.contains(#bit),
                    )
                });
                bit += 1;
            }
            None => {
                read_fields.push(quote!(#(#cfg)* #(#serde)* #name: #ty));
                write_fields.push(quote!(#(#cfg)* #(#serde)* #name: &'__a #ty));
                from_read.push(quote!(#(#cfg)* #name: read.#name));
                to_write.push(quote!(#(#cfg)* #name: &self.#name));
            }
        }
    }
    named.named.push(parse_quote!(
        /// Which of the optional fields came as an explicit `null`: they are written back as
        /// `null` (see [`ExplicitNulls`](crate::encodings::ExplicitNulls)).
        pub explicit_nulls: crate::encodings::ExplicitNulls
    ));

    let generics = &item.generics;
    let (_, ty_generics, _) = generics.split_for_impl();
    let type_params: Vec<&syn::Ident> = generics.type_params().map(|p| &p.ident).collect();
    let where_clause = &generics.where_clause;
    // The borrowed copy: the struct's generics behind a lifetime.
    let mut write_generics = generics.clone();
    write_generics.params.insert(0, parse_quote!('__a));
    // `Serialize` for the struct, bounded as serde would bound it.
    let mut ser_generics = generics.clone();
    for p in &type_params {
        ser_generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(#p: serde::Serialize));
    }
    let (ser_impl, _, ser_where) = ser_generics.split_for_impl();
    let mut de_generics = generics.clone();
    de_generics.params.insert(0, parse_quote!('de));
    for p in &type_params {
        de_generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(#p: serde::Deserialize<'de>));
    }
    let (de_impl, _, de_where) = de_generics.split_for_impl();
    let read_params = &generics.params;
    let write_params = &write_generics.params;

    let derives = if default {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    Ok(quote! {
        #derives
        #item

        const _: () = {
            #[derive(serde::Deserialize)]
            #(#container)*
            struct #shadow<#read_params> #where_clause {
                #(#read_fields,)*
            }

            #[derive(serde::Serialize)]
            #(#container)*
            struct #shadow_ref<#write_params> #where_clause {
                #(#write_fields,)*
            }

            impl #de_impl serde::Deserialize<'de> for #ident #ty_generics #de_where {
                fn deserialize<__D: serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    let read = <#shadow #ty_generics as serde::Deserialize<'de>>::deserialize(deserializer)?;
                    #[allow(unused_mut)]
                    let mut explicit_nulls = crate::encodings::ExplicitNulls::default();
                    ::core::result::Result::Ok(#ident {
                        #(#from_read,)*
                        explicit_nulls,
                    })
                }
            }

            impl #ser_impl serde::Serialize for #ident #ty_generics #ser_where {
                fn serialize<__S: serde::Serializer>(
                    &self,
                    serializer: __S,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    let write = #shadow_ref {
                        #(#to_write,)*
                    };
                    serde::Serialize::serialize(&write, serializer)
                }
            }
        };
    })
}

/// Whether a `#[serde(..)]` attribute names `skip_serializing_if` or `skip`.
fn has_serde_skip(attrs: &[syn::Attribute]) -> bool {
    serde_keys(attrs)
        .iter()
        .any(|k| k == "skip_serializing_if" || k == "skip" || k == "skip_serializing")
}

/// The keys named in the `#[serde(..)]` attributes, `key` or `key = value`.
fn serde_keys(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut keys = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if let Some(ident) = meta.path.get_ident() {
                keys.push(ident.to_string());
            }
            // Consume any `= value` so parsing continues past it.
            if meta.input.peek(Token![=]) {
                let _: syn::Lit = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    keys
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
    serde_keys(attrs)
        .iter()
        .any(|k| k == "skip_serializing_if" || k == "default" || k == "flatten")
}
