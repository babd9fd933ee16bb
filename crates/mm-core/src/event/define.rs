//! `define_events!`: one subsystem's events declared the way the kernel declares its
//! tracepoints in `include/trace/events/*.h` (`TRACE_EVENT(name, ..., TP_STRUCT__entry,
//! ..., TP_printk)`): each variant's fields, the kernel function it models, the
//! tracepoint that fires there (if the kernel has one) and its sentence, side by side.
//!
//! ```text
//! define_events! {
//!     /// Page allocator steps.
//!     pub enum PageAllocEvent {
//!         /// `expand`: a block split in two.
//!         Split { zone: ZoneType, pfn: Pfn, upper: Pfn, order: u8, migratetype: MigrateType }
//!             function: "expand",
//!             tracepoint: None,
//!             sentence: format!("split block {pfn} into two order-{order} halves ..."),
//!     }
//! }
//! ```
//!
//! Inside `function`, `tracepoint` and `sentence` each field is bound by reference
//! under its own name. The macro writes the enum (serialised with its variant name as
//! `kind`), `KINDS`, and the exhaustive `kind`, `function`, `tracepoint` and `sentence`.

macro_rules! define_events {
    (
        $(#[$meta:meta])*
        $vis:vis enum $Enum:ident {
            $(
                $(#[$vmeta:meta])*
                $Var:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
                    function: $func:expr,
                    tracepoint: $tp:expr,
                    sentence: $sentence:expr,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Debug, serde::Serialize)]
        #[serde(tag = "kind")]
        $vis enum $Enum {
            $(
                $(#[$vmeta])*
                $Var { $( $(#[$fmeta])* $field: $ty ),* },
            )*
        }

        impl $Enum {
            /// Every kind of event this subsystem records, in declaration order.
            pub const KINDS: &'static [&'static str] = &[$(stringify!($Var)),*];

            /// The variant's name: the `kind` of its JSON form (`"Split"`).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Self::$Var { .. } => stringify!($Var),)*
                }
            }

            /// The kernel function this step models (`"expand"`).
            #[allow(unused_variables)]
            pub fn function(&self) -> &'static str {
                match self {
                    $(Self::$Var { $($field),* } => $func,)*
                }
            }

            /// The tracepoint the kernel fires at this step, as `perf trace` names it
            /// (`"kmem:mm_page_alloc"`), if there is one.
            #[allow(unused_variables)]
            pub fn tracepoint(&self) -> Option<&'static str> {
                match self {
                    $(Self::$Var { $($field),* } => $tp,)*
                }
            }

            /// The step in one sentence, without the function's name.
            #[allow(unused_variables)]
            pub fn sentence(&self) -> String {
                match self {
                    $(Self::$Var { $($field),* } => $sentence,)*
                }
            }
        }
    };
}

pub(crate) use define_events;

/// Addresses and page-table entries serialize as `"0x..."` strings: JavaScript numbers
/// cannot hold 64-bit values such as `0xffff888001000000` or an NX PTE exactly.
pub(crate) mod hex {
    use serde::Serializer;

    /// Serializes a u64 as a `0x` hex string.
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:#x}"))
    }
}
