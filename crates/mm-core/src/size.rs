//! Numbers and sizes as the command language writes them: `4096`, `0x1000`, `64K`,
//! `16M`, `2G` (suffixes are powers of 1024, as in the kernel's `memparse`).

/// Parses a plain number, decimal or `0x` hex.
///
/// ```
/// assert_eq!(mm_core::size::parse_number("0x1000"), Ok(4096));
/// assert!(mm_core::size::parse_number("12abc").is_err());
/// ```
pub fn parse_number(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else {
        t.parse::<u64>()
    };
    parsed.map_err(|_| format!("'{text}' is not a number (write 4096 or 0x1000)"))
}

/// Parses a size with an optional `K`, `M`, `G` or `T` suffix (`memparse`).
///
/// ```
/// use mm_core::size::parse_size;
/// assert_eq!(parse_size("64K"), Ok(65536));
/// assert_eq!(parse_size("2G"), Ok(2 << 30));
/// assert_eq!(parse_size("0x1000"), Ok(4096));
/// assert!(parse_size("1Q").is_err());
/// ```
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, shift) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 10),
        Some('m' | 'M') => (&t[..t.len() - 1], 20),
        Some('g' | 'G') => (&t[..t.len() - 1], 30),
        Some('t' | 'T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let n = parse_number(digits)
        .map_err(|_| format!("'{text}' is not a size (write 4096, 64K, 16M or 2G)"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("size '{text}' is too large"))
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
