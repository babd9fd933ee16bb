//! Numbers and sizes as the command language writes them: `4096`, `0x1000`, `64K`,
//! `16M`, `2G` (suffixes are powers of 1024, as in the kernel's `memparse`), and the
//! typed error every command gives for an argument it cannot read.

use std::fmt;

/// An argument a command could not read. The command changes nothing.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ArgError {
    /// Not a decimal or `0x` hex number.
    NotANumber(String),
    /// Not a size (`64K`, `16M`, `2G`).
    NotASize(String),
    /// A size beyond 64 bits.
    SizeTooLarge(String),
    /// Not an order from 0 to `MAX_PAGE_ORDER`.
    NotAnOrder(String),
    /// Not a process id.
    NotAPid(String),
    /// Not an address; the example shows what one looks like here.
    NotAnAddress {
        /// What was typed.
        text: String,
        /// An address of the right kind (user or direct map).
        example: &'static str,
    },
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::NotANumber(t) => write!(f, "'{t}' is not a number (write 4096 or 0x1000)"),
            ArgError::NotASize(t) => {
                write!(f, "'{t}' is not a size (write 4096, 64K, 16M or 2G)")
            }
            ArgError::SizeTooLarge(t) => write!(f, "size '{t}' is too large"),
            ArgError::NotAnOrder(t) => write!(f, "'{t}' is not an order (0..10)"),
            ArgError::NotAPid(t) => write!(f, "'{t}' is not a pid"),
            ArgError::NotAnAddress { text, example } => {
                write!(f, "'{text}' is not an address (write {example})")
            }
        }
    }
}

/// Parses a plain number, decimal or `0x` hex.
///
/// ```
/// use mm_core::vocab::parse_number;
/// assert_eq!(parse_number("0x1000"), Ok(4096));
/// assert!(parse_number("12abc").is_err());
/// ```
pub fn parse_number(text: &str) -> Result<u64, ArgError> {
    let t = text.trim();
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else {
        t.parse::<u64>()
    };
    parsed.map_err(|_| ArgError::NotANumber(text.to_string()))
}

/// Parses a size with an optional `K`, `M`, `G` or `T` suffix (`memparse`).
///
/// ```
/// use mm_core::vocab::parse_size;
/// assert_eq!(parse_size("64K"), Ok(65536));
/// assert_eq!(parse_size("2G"), Ok(2 << 30));
/// assert_eq!(parse_size("0x1000"), Ok(4096));
/// assert!(parse_size("1Q").is_err());
/// ```
pub fn parse_size(text: &str) -> Result<u64, ArgError> {
    let t = text.trim();
    let (digits, shift) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 10),
        Some('m' | 'M') => (&t[..t.len() - 1], 20),
        Some('g' | 'G') => (&t[..t.len() - 1], 30),
        Some('t' | 'T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let n = parse_number(digits).map_err(|_| ArgError::NotASize(text.to_string()))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| ArgError::SizeTooLarge(text.to_string()))
}

/// Parses an order, 0 to `MAX_PAGE_ORDER`.
pub fn parse_order(text: &str) -> Result<u8, ArgError> {
    parse_number(text)
        .ok()
        .and_then(|o| u8::try_from(o).ok())
        .filter(|o| *o <= super::MAX_PAGE_ORDER)
        .ok_or_else(|| ArgError::NotAnOrder(text.to_string()))
}

/// Parses a process id.
pub fn parse_pid(text: &str) -> Result<u32, ArgError> {
    parse_number(text)
        .ok()
        .and_then(|p| u32::try_from(p).ok())
        .ok_or_else(|| ArgError::NotAPid(text.to_string()))
}

/// Parses an address; `example` shows one of the kind the command wants.
pub fn parse_addr(text: &str, example: &'static str) -> Result<u64, ArgError> {
    parse_number(text).map_err(|_| ArgError::NotAnAddress {
        text: text.to_string(),
        example,
    })
}

/// Formats a byte count the way people say it: `16M`, `1G`, `6G`, `12K`.
pub fn format_size(bytes: u64) -> String {
    for (shift, suffix) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] {
        if bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return format!("{}{}", bytes >> shift, suffix);
        }
    }
    bytes.to_string()
}

/// `2,097,152`: a count with its thousands grouped, as the narration prints counts.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
